import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { io, type Socket } from 'socket.io-client';
import type { TestMenuItem, TestTenant } from '@localstore/cell-db/testing';
import { RECORD_SALE } from '../../test/operations';
import { TestCell } from '../../test/test-cell';
import { type RunningCell, startCell } from '../main';
import { REDIS_URL } from '@localstore/common/testing';

/**
 * Two cell API processes on one schema, as a cell's pods are: with Redis configured, a sale
 * recorded through one reaches a socket held by the other; without it (the embedded
 * default), each process reaches only its own sockets. Real: Redis, Postgres, both cells.
 */
describe('live updates across cell processes', () => {
  const sockets: Socket[] = [];
  const cells: TestCell[] = [];
  const seconds: RunningCell[] = [];

  /** A first cell, and a second process of the same cell (same schema, same settings). */
  async function pair(
    env: Record<string, string>,
  ): Promise<{ first: TestCell; second: RunningCell; tenant: TestTenant; location: string; item: TestMenuItem }> {
    const first = await TestCell.start(env);
    cells.push(first);
    const second = await startCell({ ...first.config, port: 0 }, pino({ level: 'silent' }));
    seconds.push(second);
    const tenant = await first.factories.newTenant(`hai-${randomUUID().slice(0, 6)}`);
    return { first, second, tenant, location: await first.factories.newLocation(tenant), item: await first.factories.newMenuItem(tenant) };
  }

  const listen = async (url: string, token: string, tenant: TestTenant, locationId: string): Promise<Socket> => {
    const socket = io(url, {
      path: '/socket.io',
      transports: ['websocket'],
      reconnection: false,
      auth: { token },
      extraHeaders: { 'x-tenant': tenant.slug },
    });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.on('connect', () => resolve());
      socket.on('connect_error', reject);
    });
    expect(await socket.emitWithAck('join', { locationId })).toMatchObject({ ok: true });
    return socket;
  };
  const nextSale = (socket: Socket, waitMs: number) =>
    new Promise<Record<string, unknown> | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), waitMs);
      socket.once('sale.recorded', (sale) => {
        clearTimeout(timer);
        resolve(sale);
      });
    });

  /** The orders of the sales `socket` hears of from now on, in order. */
  const salesHeard = (socket: Socket): string[] => {
    const orderIds: string[] = [];
    socket.on('sale.recorded', (sale: { orderId: string }) => orderIds.push(sale.orderId));
    return orderIds;
  };
  /** Records a sale through the cell process at `url`; returns its order's id. */
  const sellThrough = async (url: string, token: string, tenant: TestTenant, input: Record<string, unknown>): Promise<string> => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-tenant': tenant.slug },
      body: JSON.stringify({ query: RECORD_SALE, variables: { input } }),
    });
    return ((await response.json()) as { data: { recordSale: { id: string } } }).data.recordSale.id;
  };

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    for (const second of seconds) await second.app.close();
    for (const cell of cells) await cell.stop();
  });

  it('carries a sale recorded on one process to a socket held by the other, through Redis', async () => {
    const { first, second, tenant, location, item } = await pair({ REDIS_URL, REDIS_KEY_PREFIX: `test:${randomUUID().slice(0, 8)}:` });
    const token = await first.token({ tid: tenant.id });
    const onSecond = await listen(second.url, token, tenant, location);
    const arriving = nextSale(onSecond, 5_000);
    const sold = await first.gql(
      RECORD_SALE,
      { input: { id: randomUUID(), locationId: location, items: [{ itemId: item.id, quantity: 2 }] } },
      { token, tenant: tenant.slug },
    );
    expect(sold.errors).toBeUndefined();
    expect(await arriving).toMatchObject({ orderId: sold.data!.recordSale.id, locationId: location, total: 2 * item.price });
  });

  it('reaches only its own sockets without Redis (the embedded default)', async () => {
    const { first, second, tenant, location, item } = await pair({});
    const token = await first.token({ tid: tenant.id });
    const onFirst = await listen(first.url, token, tenant, location);
    const onSecond = await listen(second.url, token, tenant, location);
    const [here, there] = [salesHeard(onFirst), salesHeard(onSecond)];
    const sold = await sellThrough(first.url, token, tenant, {
      id: randomUUID(),
      locationId: location,
      items: [{ itemId: item.id, quantity: 1 }],
    });
    // A sale through the second process, after the first's: once the second's socket has it, it
    // would have had the first's too, had anything carried it across.
    const marker = await sellThrough(second.url, token, tenant, {
      id: randomUUID(),
      locationId: location,
      items: [{ itemId: item.id, quantity: 1 }],
    });
    await vi.waitFor(() => expect(there).toContain(marker), { timeout: 10_000 });
    await vi.waitFor(() => expect(here).toContain(sold), { timeout: 10_000 });
    expect(there).toEqual([marker]);
  });
});
