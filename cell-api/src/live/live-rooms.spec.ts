import { randomUUID } from 'node:crypto';
import type { SaleRecordedEvent } from '@localstore/common';
import { io, type Socket } from 'socket.io-client';
import type { TestTenant } from '@localstore/cell-db/testing';
import { TestCell } from '../../test/test-cell';
import { EventBus } from '../events/event-bus';
import type { NumberedScreenEvent } from '../events/event-map';

/**
 * The room protocol: numbering each location's events as they are published, and `join`.
 * Real: the cell (its bus, journal in memory, Socket.IO), Postgres. Stubbed: nothing.
 */
describe('LiveRooms', () => {
  let cell: TestCell;
  let bus: EventBus;
  let tenant: TestTenant;
  let q1: string;
  let q3: string;
  const numbered: { tenantId: string; event: NumberedScreenEvent }[] = [];
  const sockets: Socket[] = [];

  const sale = (locationId: string, orderId = randomUUID()): SaleRecordedEvent => ({
    orderId,
    locationId,
    total: 45_000,
    itemCount: 1,
    paymentMethod: 'cash',
    channel: 'dine_in',
    businessDate: '2026-01-15',
    hour: 12,
    createdAt: new Date().toISOString(),
  });
  const connect = async (token: string): Promise<Socket> => {
    const socket = io(cell.url, {
      path: '/socket.io',
      transports: ['websocket'],
      reconnection: false,
      auth: { token },
      extraHeaders: { 'x-tenant': tenant.slug },
    });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    return socket;
  };

  beforeAll(async () => {
    cell = await TestCell.start();
    bus = cell.running.app.get(EventBus);
    bus.subscribe('live.numbered', (tenantId, event) => void numbered.push({ tenantId, event }), { label: 'test' });
    tenant = await cell.factories.newTenant();
    q1 = await cell.factories.newLocation(tenant, 'Quận 1');
    q3 = await cell.factories.newLocation(tenant, 'Quận 3');
  });
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await cell?.stop();
  });

  it('numbers a location’s events in the order published, a sale’s delta right after the sale', async () => {
    const [first, second] = [sale(q1), sale(q1)];
    void bus.publish('sale.recorded', tenant.id, first);
    void bus.publish('sale.recorded', tenant.id, second);
    await expect.poll(() => numbered.filter((n) => n.event.locationId === q1).length).toBe(4);
    const ofQ1 = numbered
      .filter((n) => n.event.locationId === q1)
      .map((n) => ({
        tenant: n.tenantId,
        event: n.event.event,
        orderId: (n.event.payload as { orderId: string }).orderId,
        seq: n.event.payload.seq,
      }));
    expect(ofQ1).toEqual([
      { tenant: tenant.id, event: 'sale.recorded', orderId: first.orderId, seq: 1 },
      { tenant: tenant.id, event: 'dashboard.delta', orderId: first.orderId, seq: 2 },
      { tenant: tenant.id, event: 'sale.recorded', orderId: second.orderId, seq: 3 },
      { tenant: tenant.id, event: 'dashboard.delta', orderId: second.orderId, seq: 4 },
    ]);
  });

  it('keeps each location’s numbers of its own', async () => {
    void bus.publish('sale.recorded', tenant.id, sale(q3));
    await expect.poll(() => numbered.filter((n) => n.event.locationId === q3).map((n) => n.event.payload.seq)).toEqual([1, 2]);
  });

  it('answers a join with the room’s latest number, and what came after a number it is given', async () => {
    const socket = await connect(await cell.token({ tid: tenant.id }));
    expect(await socket.emitWithAck('join', { locationId: q1 })).toEqual({ ok: true, seq: 4 });
    const caughtUp = (await socket.emitWithAck('join', { locationId: q1, since: 2 })) as {
      ok: boolean;
      seq: number;
      resync: boolean;
      missed: { event: string; payload: { seq: number } }[];
    };
    expect({ ...caughtUp, missed: caughtUp.missed.map((m) => [m.event, m.payload.seq]) }).toEqual({
      ok: true,
      seq: 4,
      resync: false,
      missed: [
        ['sale.recorded', 3],
        ['dashboard.delta', 4],
      ],
    });
  });

  it('refuses hostile joins by the field at fault, and survives a join with no acknowledgement', async () => {
    const socket = await connect(await cell.token({ tid: tenant.id }));
    for (const [payload, answer] of [
      [null, { ok: false, code: 'BAD_USER_INPUT', field: 'locationId' }],
      [[q1], { ok: false, code: 'BAD_USER_INPUT', field: 'locationId' }],
      [{ locationId: `${q1}' OR 1=1 --` }, { ok: false, code: 'BAD_USER_INPUT', field: 'locationId' }],
      [
        { locationId: q1, since: 1.5 },
        { ok: false, code: 'BAD_USER_INPUT', field: 'since' },
      ],
      [
        { locationId: q1, since: Number.MAX_SAFE_INTEGER + 2 },
        { ok: false, code: 'BAD_USER_INPUT', field: 'since' },
      ],
      [
        { locationId: q1, since: '3' },
        { ok: false, code: 'BAD_USER_INPUT', field: 'since' },
      ],
      [{ locationId: randomUUID() }, { ok: false, code: 'NOT_FOUND' }],
    ] as const) {
      expect(await socket.emitWithAck('join', payload), JSON.stringify(payload)).toEqual(answer);
    }
    socket.emit('join', { locationId: q1 });
    expect(await socket.emitWithAck('join', { locationId: q3 })).toMatchObject({ ok: true });
  });
});
