import { createServer, request, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import pino from 'pino';
import { CellProxy } from './cell-proxy';
import type { TenantRoute } from './route-table';

const listen = (server: Server) =>
  new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

/**
 * The proxy's pooled connections to a cell. A cell closes an idle connection after its
 * keep-alive timeout; a proxy that reused the connection at that moment failed the request
 * with "socket hang up" (found by `make bench-web`, five quiet seconds between two sales).
 */
describe('the cell proxy', () => {
  let cell: Server;
  let front: Server;
  let proxy: CellProxy;
  let frontPort: number;
  const cellSockets: { socket: Socket; endedByProxy: boolean; closed: Promise<void> }[] = [];

  beforeAll(async () => {
    cell = createServer((_req, res) => res.end('ok'));
    // Announced to the proxy as `Keep-Alive: timeout=3`.
    cell.keepAliveTimeout = 3_000;
    cell.on('connection', (socket: Socket) => {
      const entry = { socket, endedByProxy: false, closed: new Promise<void>((resolve) => socket.once('close', () => resolve())) };
      // 'end' is the other side's FIN: the proxy let the connection go before the cell did.
      socket.once('end', () => (entry.endedByProxy = true));
      cellSockets.push(entry);
    });
    const cellPort = await listen(cell);
    const route: TenantRoute = {
      tenantId: 't',
      slug: 'pho',
      cellName: 'c',
      endpoint: `http://127.0.0.1:${cellPort}`,
      state: 'active',
      suspended: false,
    };
    proxy = new CellProxy(10_000, pino({ level: 'silent' }));
    front = createServer((req, res) => void proxy.forwardHttp(req, res, route));
    frontPort = await listen(front);
  });
  afterAll(async () => {
    proxy.close();
    await close(front);
    await close(cell);
  });

  const get = () =>
    new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: frontPort, path: '/graphql', agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    });

  it('reuses a connection while it is fresh, and lets it go before the cell’s keep-alive timeout', async () => {
    expect(await get()).toBe(200);
    expect(await get()).toBe(200);
    expect(cellSockets).toHaveLength(1);
    await cellSockets[0]!.closed;
    expect(cellSockets[0]!.endedByProxy).toBe(true);
    // The next request opens a new connection instead of writing into a closed one.
    expect(await get()).toBe(200);
    expect(cellSockets).toHaveLength(2);
  });
});
