import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import type { TestMenuItem, TestTenant } from '@localstore/cell-db/testing';
import { RECORD_SALE, VOID_ORDER } from '../../test/operations';
import { TestCell } from '../../test/test-cell';

/** Socket.IO rooms on a real cell: who may join what, and what arrives. Stubbed: nothing. */
describe('live updates over Socket.IO', () => {
  let cell: TestCell;
  let a: TestTenant;
  let b: TestTenant;
  let aQ1: string;
  let aQ3: string;
  let bQ1: string;
  let aItem: TestMenuItem;
  let bItem: TestMenuItem;
  const sockets: Socket[] = [];

  const connect = (token: string | undefined, tenant: string): Promise<Socket> =>
    new Promise((resolve, reject) => {
      const socket = io(cell.url, {
        path: '/socket.io',
        transports: ['websocket'],
        reconnection: false,
        auth: token ? { token } : {},
        extraHeaders: { 'x-tenant': tenant },
      });
      sockets.push(socket);
      socket.on('connect', () => resolve(socket));
      socket.on('connect_error', (error: Error & { data?: unknown }) => reject(error));
    });
  const join = (socket: Socket, locationId: unknown) => socket.emitWithAck('join', { locationId });
  const sell = (tenant: TestTenant, token: string, locationId: string, itemId: string) =>
    cell.gql(RECORD_SALE, { input: { id: randomUUID(), locationId, items: [{ itemId, quantity: 2 }] } }, { token, tenant: tenant.slug });
  /** Every payload of `event` that `socket` receives from now on, in order. */
  const received = (socket: Socket, event: string): Record<string, unknown>[] => {
    const payloads: Record<string, unknown>[] = [];
    socket.on(event, (payload: Record<string, unknown>) => payloads.push(payload));
    return payloads;
  };
  /** Waits until the payloads name the order `orderId` (the marker a "nothing arrived" test sends last). */
  const until = (payloads: Record<string, unknown>[], orderId: string) =>
    vi.waitFor(() => expect(payloads.map((payload) => payload.orderId)).toContain(orderId), { timeout: 10_000 });
  const nextSale = (socket: Socket, waitMs = 1500) =>
    new Promise<Record<string, unknown> | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), waitMs);
      socket.once('sale.recorded', (sale) => {
        clearTimeout(timer);
        resolve(sale);
      });
    });

  beforeAll(async () => {
    cell = await TestCell.start();
    a = await cell.factories.newTenant('live-a');
    b = await cell.factories.newTenant('live-b');
    aQ1 = await cell.factories.newLocation(a, 'A – Quận 1');
    aQ3 = await cell.factories.newLocation(a, 'A – Quận 3');
    bQ1 = await cell.factories.newLocation(b, 'B – Quận 1');
    aItem = await cell.factories.newMenuItem(a);
    bItem = await cell.factories.newMenuItem(b);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await cell?.stop();
  });

  it("delivers a sale to the location's room once it is committed", async () => {
    const token = await cell.token({ tid: a.id, role: 'staff', locs: [aQ1] });
    const socket = await connect(token, a.slug);
    expect(await join(socket, aQ1)).toMatchObject({ ok: true });
    const arriving = nextSale(socket);
    await sell(a, token, aQ1, aItem.id);
    expect(await arriving).toMatchObject({ locationId: aQ1, total: 110_000, itemCount: 2 });
  });

  it("sends the changed figures with a sale, and takes them back with a void, to the location's room", async () => {
    const owner = await cell.token({ tid: a.id });
    const socket = await connect(owner, a.slug);
    expect(await join(socket, aQ1)).toMatchObject({ ok: true });
    const next = (event: string) => new Promise<Record<string, unknown>>((resolve) => socket.once(event, resolve));
    const saleDelta = next('dashboard.delta');
    const sold = await sell(a, owner, aQ1, aItem.id);
    const orderId = sold.data!.recordSale.id;
    expect(await saleDelta).toMatchObject({
      cause: 'sale.recorded',
      orderId,
      locationId: aQ1,
      revenue: 110_000,
      orders: 1,
      items: 2,
      paymentMethod: 'cash',
    });

    const [voided, voidDelta] = [next('order.voided'), next('dashboard.delta')];
    const answer = await cell.gql(VOID_ORDER, { id: orderId, reason: 'Khách đổi ý' }, { token: owner, tenant: a.slug });
    expect(answer.errors).toBeUndefined();
    expect(await voided).toMatchObject({ orderId, locationId: aQ1, total: 110_000 });
    const delta = await voidDelta;
    expect(delta).toMatchObject({ cause: 'order.voided', orderId, revenue: -110_000, orders: -1, items: -2 });
    expect(delta.businessDate).toBe(sold.data!.recordSale.businessDate);
  });

  it('sends nothing of a void that was refused', async () => {
    const owner = await cell.token({ tid: a.id });
    const staff = await cell.token({ tid: a.id, role: 'staff', locs: [aQ1] });
    const socket = await connect(owner, a.slug);
    const sold = await sell(a, owner, aQ1, aItem.id);
    const voids = received(socket, 'order.voided');
    const refused = await cell.gql(VOID_ORDER, { id: sold.data!.recordSale.id, reason: 'thử' }, { token: staff, tenant: a.slug });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // The owner's void of another order, after the refused one: once its event is here, one of
    // the refused void would be too.
    const marker = (await sell(a, owner, aQ1, aItem.id)).data!.recordSale.id;
    expect((await cell.gql(VOID_ORDER, { id: marker, reason: 'Khách đổi ý' }, { token: owner, tenant: a.slug })).errors).toBeUndefined();
    await until(voids, marker);
    expect(voids.map((event) => event.orderId)).toEqual([marker]);
  });

  it("sends the owner every location's sales through the tenant room", async () => {
    const owner = await cell.token({ tid: a.id });
    const socket = await connect(owner, a.slug);
    const arriving = nextSale(socket);
    await sell(a, owner, aQ3, aItem.id);
    expect(await arriving).toMatchObject({ locationId: aQ3 });
  });

  it('sends nothing for a sale that failed', async () => {
    const owner = await cell.token({ tid: a.id });
    const socket = await connect(owner, a.slug);
    const sales = received(socket, 'sale.recorded');
    const failed = await cell.gql(
      RECORD_SALE,
      { input: { id: randomUUID(), locationId: aQ1, items: [{ itemId: aItem.id, quantity: 1 }], discount: 10_000_000 } },
      { token: owner, tenant: a.slug },
    );
    expect(failed.errors).toBeDefined();
    // A sale that succeeds, after the failed one: once its event is here, one of the failed sale would be too.
    const marker = (await sell(a, owner, aQ1, aItem.id)).data!.recordSale.id;
    await until(sales, marker);
    expect(sales.map((sale) => sale.orderId)).toEqual([marker]);
  });

  it('keeps a user out of rooms their token does not cover', async () => {
    const staff = await cell.token({ tid: a.id, role: 'staff', locs: [aQ1] });
    const socket = await connect(staff, a.slug);
    expect(await join(socket, aQ3)).toEqual({ ok: false, code: 'FORBIDDEN' });
    expect(await join(socket, 'không-phải-uuid')).toEqual({ ok: false, code: 'BAD_USER_INPUT', field: 'locationId' });
  });

  it("never lets tenant A into tenant B's rooms, nor hears B's sales", async () => {
    const aOwner = await cell.token({ tid: a.id });
    const socket = await connect(aOwner, a.slug);
    expect(await join(socket, bQ1)).toEqual({ ok: false, code: 'NOT_FOUND' });
    const sales = received(socket, 'sale.recorded');
    await sell(b, await cell.token({ tid: b.id }), bQ1, bItem.id);
    // A sale of A's own, after B's: once its event is here, B's would be too.
    const marker = (await sell(a, aOwner, aQ1, aItem.id)).data!.recordSale.id;
    await until(sales, marker);
    expect(sales.map((sale) => sale.orderId)).toEqual([marker]);
    await expect(connect(aOwner, b.slug)).rejects.toMatchObject({ message: 'FORBIDDEN', data: { reason: 'TENANT_MISMATCH' } });
  });

  it('refuses a handshake without a valid token', async () => {
    await expect(connect(undefined, a.slug)).rejects.toMatchObject({ message: 'UNAUTHENTICATED' });
    await expect(connect('abc.def.ghi', a.slug)).rejects.toMatchObject({ message: 'UNAUTHENTICATED' });
  });

  it('numbers a location’s events, and gives a client that reconnects what it missed, in order', async () => {
    const token = await cell.token({ tid: a.id, role: 'staff', locs: [aQ3] });
    const first = await connect(token, a.slug);
    const joined = (await first.emitWithAck('join', { locationId: aQ3 })) as { ok: boolean; seq: number };
    expect(joined).toMatchObject({ ok: true, seq: expect.any(Number) });
    const seen: { event: string; seq: number }[] = [];
    for (const event of ['sale.recorded', 'dashboard.delta'])
      first.on(event, (payload: { seq: number }) => seen.push({ event, seq: payload.seq }));
    await sell(a, token, aQ3, aItem.id);
    for (let i = 0; i < 100 && seen.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    expect(seen.map((e) => e.seq).sort()).toEqual([joined.seq + 1, joined.seq + 2]);
    const lastApplied = Math.max(...seen.map((e) => e.seq));
    first.disconnect();

    // Offline: two sales and a void happen.
    const sold = await sell(a, token, aQ3, aItem.id);
    await sell(a, token, aQ3, aItem.id);
    await cell.gql(
      VOID_ORDER,
      { id: sold.data!.recordSale.id, reason: 'Nhập nhầm' },
      { token: await cell.token({ tid: a.id }), tenant: a.slug },
    );
    const again = await connect(token, a.slug);
    let caughtUp:
      { ok: boolean; seq: number; resync: boolean; missed: { event: string; payload: { seq: number; orderId: string } }[] } | undefined;
    for (let i = 0; i < 100; i++) {
      caughtUp = (await again.emitWithAck('join', { locationId: aQ3, since: lastApplied })) as typeof caughtUp;
      if (caughtUp!.seq >= lastApplied + 6) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(caughtUp).toMatchObject({ ok: true, resync: false, seq: lastApplied + 6 });
    expect(caughtUp!.missed.map((m) => m.payload.seq)).toEqual([1, 2, 3, 4, 5, 6].map((n) => lastApplied + n));
    expect(caughtUp!.missed.map((m) => m.event).filter((e) => e === 'dashboard.delta')).toHaveLength(3);
    expect(caughtUp!.missed.find((m) => m.event === 'order.voided')!.payload.orderId).toBe(sold.data!.recordSale.id);
    // A number from before what the journal keeps (or from nowhere): refetch.
    expect(await again.emitWithAck('join', { locationId: aQ3, since: lastApplied + 1_000 })).toMatchObject({
      ok: true,
      resync: true,
      missed: [],
    });
    expect(await again.emitWithAck('join', { locationId: aQ3, since: -1 })).toEqual({ ok: false, code: 'BAD_USER_INPUT', field: 'since' });
    expect(await again.emitWithAck('join', { locationId: aQ3, since: 'abc' })).toEqual({
      ok: false,
      code: 'BAD_USER_INPUT',
      field: 'since',
    });
  });
});
