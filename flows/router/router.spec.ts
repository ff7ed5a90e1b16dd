import { randomUUID } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { RECORD_SALE } from '@localstore/cell-api/testing';
import { TestCell } from '@localstore/cell-api/testing';
import { type ScratchPostgres, startScratchPostgres } from '../harness/scratch-postgres';
import { eventually } from '@localstore/common/testing';
import { httpRequest, TestControlPlane } from '@localstore/control-plane/testing';

/**
 * The router in front of a real cell: Host decides the tenant, the route table comes from
 * the directory (and follows its changes), and the router stays up when the directory or a
 * cell does not. Real: control plane, cell API, Postgres, Redis, HTTP. Stubbed: SMS only.
 */
describe('the subdomain router', () => {
  let cp: TestControlPlane;
  let cell: TestCell;
  let tenantId: string;
  let token: string;
  let locationId: string;
  let itemId: string;
  const slug = `pho-${randomUUID().slice(0, 6)}`;
  const viaRouter = (path: string, options: { host?: string; headers?: Record<string, string>; body?: unknown; method?: string } = {}) =>
    httpRequest(`${cp.url}${path}`, { host: `${slug}.localhost`, ...options });
  const graphql = (query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}, host?: string) =>
    viaRouter('/graphql', {
      body: { query, variables },
      headers: { authorization: `Bearer ${token}`, ...headers },
      ...(host ? { host } : {}),
    });

  beforeAll(async () => {
    cp = await TestControlPlane.start();
    cell = await TestCell.start({ AUTH_JWKS_URL: cp.jwksUrl });
    tenantId = await cp.addTenant({ slug, cell: { name: 'test-cell', endpoint: cell.url } });
    await cell.factories.newTenant(slug, 'active', tenantId);
    locationId = await cell.factories.newLocation({ id: tenantId, slug });
    itemId = (await cell.factories.newMenuItem({ id: tenantId, slug })).id;
    await cp.addMember(tenantId, '+84913000001', 'owner');
    token = (await cp.signIn('+84913000001')).accessToken;
  });
  afterAll(async () => {
    await cp?.stop();
    await cell?.stop();
  });

  it("proxies a tenant's subdomain to its cell, with a token from the control plane", async () => {
    const answer = await graphql('{ locations { id name } }');
    expect(answer.status).toBe(200);
    expect(answer.json.data.locations).toEqual([{ id: locationId, name: 'Chi nhánh Quận 1' }]);
    const sale = await graphql(RECORD_SALE, { input: { id: randomUUID(), locationId, items: [{ itemId, quantity: 1 }] } });
    expect(sale.json.data.recordSale.total).toBe(55_000);
  });

  it('sets X-Tenant itself and drops the one a client sends', async () => {
    const forged = await graphql('{ locations { id } }', {}, { 'x-tenant': 'someone-else' });
    expect(forged.json.data.locations).toEqual([{ id: locationId }]);
  });

  it('reloads one at a time under a burst of route changes and ends with the last table', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    try {
      const slugs = Array.from({ length: 40 }, (_, i) => `burst-${i}-${randomUUID().slice(0, 4)}`);
      await Promise.all(slugs.map((s) => cp.addTenant({ slug: s, cell: { name: 'test-cell', endpoint: cell.url } })));
      await eventually(async () => slugs.every((s) => cp.running.routes.lookup(s)), 'every route of the burst');
      expect(slugs.filter((s) => !cp.running.routes.lookup(s))).toEqual([]);
      await cp.owner.query(`DELETE FROM tenants WHERE slug = ANY($1)`, [slugs]);
      await eventually(async () => !slugs.some((s) => cp.running.routes.lookup(s)), 'every route of the burst gone');
      expect(slugs.filter((s) => cp.running.routes.lookup(s))).toEqual([]);
      expect(warnings.filter((w) => w.includes('already executing a query'))).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('answers an unknown subdomain with a Vietnamese 404 page', async () => {
    const page = await viaRouter('/', { host: 'khong-co-quan-nay.localhost:8080', headers: { accept: 'text/html' } });
    expect(page.status).toBe(404);
    expect(page.text).toContain('Không tìm thấy cửa hàng');
    const api = await viaRouter('/graphql', { host: 'khong-co-quan-nay.localhost', body: { query: '{ locations { id } }' } });
    expect(api.status).toBe(404);
    expect(api.json.code).toBe('TENANT_NOT_FOUND');
  });

  it('serves the platform itself on app.<domain>', async () => {
    const health = await httpRequest(`${cp.url}/healthz`, { host: 'app.localhost' });
    expect(health.json).toEqual({ status: 'ok' });
  });

  it('answers 503 with Retry-After, not a hang, when the cell is down', async () => {
    const deadSlug = `chet-${randomUUID().slice(0, 6)}`;
    const since = cp.running.routes.lastLoadedAt;
    await cp.addTenant({ slug: deadSlug, cell: { name: 'dead-cell', endpoint: 'http://127.0.0.1:9' } });
    await cp.routesReloadedAfter(since);
    const answer = await viaRouter('/graphql', { host: `${deadSlug}.localhost`, body: { query: '{ locations { id } }' } });
    expect(answer.status).toBe(503);
    expect(answer.headers['retry-after']).toBe('5');
    expect(answer.json.code).toBe('CELL_UNAVAILABLE');
  });

  it('follows route changes from the directory without a restart, and lets reads through while draining', async () => {
    let since = cp.running.routes.lastLoadedAt;
    await cp.owner.query(`UPDATE routes SET state = 'draining' WHERE tenant_id = $1`, [tenantId]);
    await cp.routesReloadedAfter(since);
    const read = await graphql('query Read { locations { id } }');
    expect(read.status).toBe(200);
    const write = await graphql(RECORD_SALE, { input: { id: randomUUID(), locationId, items: [{ itemId, quantity: 1 }] } });
    expect(write.status).toBe(503);
    expect(write.headers['retry-after']).toBe('1');
    since = cp.running.routes.lastLoadedAt;
    await cp.owner.query(`UPDATE routes SET state = 'active' WHERE tenant_id = $1`, [tenantId]);
    await cp.routesReloadedAfter(since);
    expect((await graphql(RECORD_SALE, { input: { id: randomUUID(), locationId, items: [{ itemId, quantity: 1 }] } })).status).toBe(200);
  });

  it('keeps routing from its last table when the directory is unreachable', async () => {
    // Cut the router off the directory: its tables vanish and its connection is killed, so
    // every reload attempt fails while requests keep coming.
    await cp.owner.query(`ALTER SCHEMA "${cp.config.directory.schema}" RENAME TO "${cp.config.directory.schema}_away"`);
    try {
      // The control plane's own role may end its own sessions: drop the router's listener.
      const failuresBefore = cp.running.routes.directoryFailures;
      await cp.running.dataSource.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, [
        `control-plane:router:${cp.config.directory.schema}`,
      ]);
      await eventually(async () => cp.running.routes.directoryFailures > failuresBefore, 'the router to notice its lost listener');
      expect(cp.running.routes.directoryFailures).toBeGreaterThan(failuresBefore);
      const answer = await graphql('{ locations { id } }');
      expect(answer.status).toBe(200);
      expect(answer.json.data.locations).toEqual([{ id: locationId }]);
      expect(cp.running.routes.lookup(slug)).toBeDefined();
    } finally {
      await cp.owner.query(`ALTER SCHEMA "${cp.config.directory.schema}_away" RENAME TO "${cp.config.directory.schema}"`);
    }
  });

  describe('WebSocket upgrades', () => {
    let echo: Server;
    const wsSlug = `ws-${randomUUID().slice(0, 6)}`;
    beforeAll(async () => {
      // A stand-in cell that accepts an upgrade and echoes bytes, so the test sees the pipe.
      echo = createServer((_, res) => res.writeHead(426).end());
      echo.on('upgrade', (req, socket: Socket) => {
        socket.write(
          `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nX-Seen-Tenant: ${req.headers['x-tenant']}\r\n\r\n`,
        );
        socket.on('data', (chunk) => socket.write(chunk));
        socket.on('end', () => socket.end());
      });
      await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
      const since = cp.running.routes.lastLoadedAt;
      await cp.addTenant({
        slug: wsSlug,
        cell: { name: 'echo-cell', endpoint: `http://127.0.0.1:${(echo.address() as AddressInfo).port}` },
      });
      await cp.routesReloadedAfter(since);
    });
    afterAll(() => new Promise<void>((resolve) => echo.close(() => resolve())));

    it('passes an upgrade through to the cell and pipes both ways', async () => {
      const { headers, reply } = await new Promise<{ headers: Record<string, unknown>; reply: string }>((resolve, reject) => {
        const req = request(`${cp.url}/socket.io/?EIO=4&transport=websocket`, {
          headers: {
            host: `${wsSlug}.localhost`,
            connection: 'Upgrade',
            upgrade: 'websocket',
            'x-tenant': 'forged',
            'sec-websocket-version': '13',
            'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
          },
        });
        req.on('upgrade', (res, socket) => {
          socket.once('data', (chunk) => {
            resolve({ headers: res.headers, reply: chunk.toString() });
            socket.destroy();
          });
          socket.write('xin chào');
        });
        req.on('response', (res) => reject(new Error(`no upgrade: ${res.statusCode}`)));
        req.on('error', reject);
        req.end();
      });
      expect(headers['x-seen-tenant']).toBe(wsSlug);
      expect(reply).toBe('xin chào');
    });

    it('refuses an upgrade for an unknown subdomain', async () => {
      const status = await new Promise<string>((resolve) => {
        const req = request(`${cp.url}/socket.io/`, {
          headers: { host: 'khong-co.localhost', connection: 'Upgrade', upgrade: 'websocket' },
        });
        req.on('response', (res) => resolve(String(res.statusCode)));
        req.on('upgrade', () => resolve('upgraded'));
        req.on('error', () => resolve('closed'));
        req.end();
      });
      expect(status).toBe('404');
    });
  });
});

describe("the router when the directory's PostgreSQL stops", () => {
  let scratch: ScratchPostgres;
  let cp: TestControlPlane;
  let cell: TestCell;
  const slug = `ben-${randomUUID().slice(0, 6)}`;

  beforeAll(async () => {
    // The directory on a server of its own, so stopping it leaves the cell's database up.
    scratch = await startScratchPostgres();
    cp = await TestControlPlane.start({ DIRECTORY_DATABASE_URL: scratch.controlUrl, DIRECTORY_OWNER_URL: scratch.ownerUrl });
    cell = await TestCell.start({ AUTH_JWKS_URL: cp.jwksUrl });
  });
  afterAll(async () => {
    await cp?.stop({ directoryGone: true });
    await cell?.stop();
    scratch?.remove();
  });

  it('keeps serving tenants from the last route table it had', async () => {
    const tenantId = await cp.addTenant({ slug, cell: { name: 'test-cell', endpoint: cell.url } });
    await cell.factories.newTenant(slug, 'active', tenantId);
    const locationId = await cell.factories.newLocation({ id: tenantId, slug });
    await cp.addMember(tenantId, '+84913000009', 'owner');
    const token = (await cp.signIn('+84913000009')).accessToken;
    for (let i = 0; i < 100 && !cp.running.routes.lookup(slug); i++) await new Promise((r) => setTimeout(r, 20));

    scratch.kill();
    // The directory is really gone: the platform says it is not ready.
    expect((await httpRequest(`${cp.url}/readyz`, { host: 'app.localhost' })).status).toBe(503);

    const answer = await httpRequest(`${cp.url}/graphql`, {
      host: `${slug}.localhost`,
      body: { query: '{ locations { id } }' },
      headers: { authorization: `Bearer ${token}` },
    });
    expect(answer.status).toBe(200);
    expect(answer.json.data.locations).toEqual([{ id: locationId }]);
  });
});
