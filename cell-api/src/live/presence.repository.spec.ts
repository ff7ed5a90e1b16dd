import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import type { TestTenant } from '@localstore/cell-db/testing';
import { TestCell } from '../../test/test-cell';
import { PresenceRepository } from './presence.repository';

/** Who has a screen open, as the notifications ask it. Real: the cell, its Socket.IO server, Postgres. Stubbed: nothing. */
describe('PresenceRepository', () => {
  let cell: TestCell;
  let tenant: TestTenant;
  let other: TestTenant;
  let sut: PresenceRepository;
  const sockets: Socket[] = [];

  const open = async (tenantOf: TestTenant, userId: string): Promise<Socket> => {
    const socket = io(cell.url, {
      path: '/socket.io',
      transports: ['websocket'],
      reconnection: false,
      auth: { token: await cell.token({ tid: tenantOf.id, sub: userId }) },
      extraHeaders: { 'x-tenant': tenantOf.slug },
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
    sut = cell.running.app.get(PresenceRepository);
    tenant = await cell.factories.newTenant();
    other = await cell.factories.newTenant();
  });
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await cell?.stop();
  });

  it('counts a user with a socket open, and nobody else', async () => {
    const [present, absent] = [randomUUID(), randomUUID()];
    await open(tenant, present);
    expect(await sut.usersWithOpenScreens(tenant.id, [present, absent])).toEqual(new Set([present]));
  });

  it('does not count the same user id’s socket in another tenant', async () => {
    const userId = randomUUID();
    await open(other, userId);
    expect(await sut.usersWithOpenScreens(tenant.id, [userId])).toEqual(new Set());
  });

  it('stops counting a user once their socket has closed', async () => {
    const userId = randomUUID();
    const socket = await open(tenant, userId);
    expect((await sut.usersWithOpenScreens(tenant.id, [userId])).size).toBe(1);
    socket.disconnect();
    await expect.poll(async () => (await sut.usersWithOpenScreens(tenant.id, [userId])).size).toBe(0);
  });
});
