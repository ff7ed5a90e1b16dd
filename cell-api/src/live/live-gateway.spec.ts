import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import type { TestTenant } from '@localstore/cell-db/testing';
import { TestCell } from '../../test/test-cell';
import { EventBus } from '../events/event-bus';

/**
 * The Socket.IO gateway: the handshake, and delivery of numbered events to the rooms.
 * Real: the cell, its Socket.IO server, Postgres. Stubbed: nothing.
 */
describe('LiveGateway', () => {
  let cell: TestCell;
  let bus: EventBus;
  let tenant: TestTenant;
  let location: string;
  const sockets: Socket[] = [];

  const connect = (auth: Record<string, unknown>, headers: Record<string, string>): Promise<Socket> =>
    new Promise((resolve, reject) => {
      const socket = io(cell.url, { path: '/socket.io', transports: ['websocket'], reconnection: false, auth, extraHeaders: headers });
      sockets.push(socket);
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', reject);
    });
  const delivered = (tenantId: string, locationId: string, orderId: string) =>
    void bus.publish('live.numbered', tenantId, {
      locationId,
      event: 'order.voided',
      payload: {
        orderId,
        locationId,
        total: 1,
        itemCount: 1,
        paymentMethod: 'cash',
        businessDate: '2026-01-15',
        hour: 1,
        voidedAt: '',
        seq: 7,
      },
    });

  beforeAll(async () => {
    cell = await TestCell.start();
    bus = cell.running.app.get(EventBus);
    tenant = await cell.factories.newTenant();
    location = await cell.factories.newLocation(tenant);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await cell?.stop();
  });

  it('takes the token from the handshake’s auth or its Authorization header', async () => {
    const token = await cell.token({ tid: tenant.id });
    await expect(connect({ token }, { 'x-tenant': tenant.slug })).resolves.toBeDefined();
    await expect(connect({}, { 'x-tenant': tenant.slug, authorization: `Bearer ${token}` })).resolves.toBeDefined();
    await expect(connect({ token: 42 }, { 'x-tenant': tenant.slug })).rejects.toMatchObject({
      message: 'UNAUTHENTICATED',
      data: { code: 'UNAUTHENTICATED', reason: 'TOKEN_MISSING' },
    });
    await expect(connect({ token }, {})).rejects.toMatchObject({
      message: 'FORBIDDEN',
      data: { code: 'FORBIDDEN', reason: 'TENANT_NOT_IDENTIFIED' },
    });
  });

  it('delivers a numbered event once to a socket in both the tenant’s room and the location’s', async () => {
    const owner = await connect({ token: await cell.token({ tid: tenant.id }) }, { 'x-tenant': tenant.slug });
    expect(await owner.emitWithAck('join', { locationId: location })).toMatchObject({ ok: true });
    const heard: unknown[] = [];
    owner.on('order.voided', (payload) => heard.push(payload));
    const [first, second] = [randomUUID(), randomUUID()];
    delivered(tenant.id, location, first);
    delivered(tenant.id, location, second);
    await expect.poll(() => heard.length).toBe(2);
    expect(heard).toMatchObject([
      { orderId: first, seq: 7 },
      { orderId: second, seq: 7 },
    ]);
  });

  it('delivers nothing of another tenant’s rooms', async () => {
    const staff = await connect(
      { token: await cell.token({ tid: tenant.id, role: 'staff', locs: [location] }) },
      { 'x-tenant': tenant.slug },
    );
    expect(await staff.emitWithAck('join', { locationId: location })).toMatchObject({ ok: true });
    const heard: { orderId: string }[] = [];
    staff.on('order.voided', (payload: { orderId: string }) => heard.push(payload));
    const [foreign, own] = [randomUUID(), randomUUID()];
    delivered(randomUUID(), location, foreign);
    delivered(tenant.id, location, own);
    await expect.poll(() => heard.length).toBe(1);
    expect(heard[0]!.orderId).toBe(own);
  });
});
