import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { request } from 'node:http';
import { TestCell } from '@localstore/cell-api/testing';
import { httpRequest, TestControlPlane } from '@localstore/control-plane/testing';

/** The raw body of an answer (the JSON helper decodes text; gzip needs the bytes). */
function rawRequest(
  url: string,
  host: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { host, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * The web app's files through the real front door: on app.<domain> and a business's host,
 * never on an unknown one, nothing outside the export, and a business's cell answering the
 * platform origin (and only it) across origins.
 */
describe('the front door serves the web app', () => {
  let cp: TestControlPlane;
  let cell: TestCell;
  let dir: string;
  const slug = `quan-${randomUUID().slice(0, 6)}`;
  const INLINE_SCRIPTS = ['self.__next_f=self.__next_f||[]', 'self.__next_f.push([1,"Phở \\u003c/b\\u003e"])'];
  const page = '<!doctype html><html lang="vi"><title>Bán hàng</title>' + 'Phở bò '.repeat(200) + '</html>';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'web-out-'));
    mkdirSync(join(dir, 'sales'));
    mkdirSync(join(dir, '_next/static/chunks'), { recursive: true });
    writeFileSync(
      join(dir, 'index.html'),
      `<!doctype html><title>LocalStore</title>${INLINE_SCRIPTS.map((s) => `<script>${s}</script>`).join('')}<script src="/_next/static/chunks/app-1a2b.js" async=""></script>`,
    );
    writeFileSync(join(dir, 'sales/index.html'), page);
    writeFileSync(join(dir, '_next/static/chunks/app-1a2b.js'), 'console.log("app")');
    writeFileSync(join(tmpdir(), 'outside-the-export.txt'), 'must not be served');
    cp = await TestControlPlane.start({ WEB_APP_DIR: dir });
    cell = await TestCell.start({ AUTH_JWKS_URL: cp.jwksUrl });
    const id = await cp.addTenant({ slug, cell: { name: 'test-cell', endpoint: cell.url } });
    await cell.factories.newTenant(slug, 'active', id);
  });
  afterAll(async () => {
    await cp?.stop();
    await cell?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives each page a Content-Security-Policy that allows its own inline scripts by hash and nothing injected', async () => {
    const answer = await httpRequest(`${cp.url}/`, { host: `app.localhost:${cp.running.port}` });
    const policy = Object.fromEntries(
      String(answer.headers['content-security-policy'])
        .split('; ')
        .map((d) => [d.split(' ')[0], d.split(' ').slice(1)]),
    );
    const hashes = INLINE_SCRIPTS.map((text) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`);
    expect(policy['script-src']).toEqual(["'self'", ...hashes]);
    expect(policy['script-src']).not.toContain("'unsafe-inline'");
    expect(policy['script-src']).not.toContain("'unsafe-eval'");
    expect(policy['frame-ancestors']).toEqual(["'none'"]);
    expect(policy['object-src']).toEqual(["'none'"]);
    // The owner's app reads each business's cell on the platform's other hosts, at the port it came from.
    expect(policy['connect-src']).toEqual([
      "'self'",
      ...['https', 'wss', 'http', 'ws'].map((scheme) => `${scheme}://*.localhost:${cp.running.port}`),
    ]);
    // A page without inline scripts allows scripts from its origin only.
    const sales = await httpRequest(`${cp.url}/sales/`, { host: `${slug}.localhost` });
    expect(String(sales.headers['content-security-policy'])).toContain("script-src 'self';");
    expect(String(sales.headers['content-security-policy'])).toContain("connect-src 'self' https://*.localhost wss://*.localhost");
    // Scripts and other files need none.
    const script = await httpRequest(`${cp.url}/_next/static/chunks/app-1a2b.js`, { host: 'app.localhost' });
    expect(script.headers['content-security-policy']).toBeUndefined();
  });

  it("serves a page on app.<domain> and on a business's host, with and without the trailing slash", async () => {
    for (const host of ['app.localhost', `${slug}.localhost`]) {
      for (const path of ['/sales/', '/sales']) {
        const answer = await httpRequest(`${cp.url}${path}`, { host });
        expect(answer.status).toBe(200);
        expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
        expect(answer.headers['cache-control']).toBe('no-cache');
        expect(answer.headers['x-content-type-options']).toBe('nosniff');
        expect(answer.text).toBe(page);
      }
    }
  });

  it('gzips text, caches hashed build output for a year and revalidates pages by ETag', async () => {
    const gz = await rawRequest(`${cp.url}/sales/`, 'app.localhost', { 'accept-encoding': 'gzip, br' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString('utf8')).toBe(page);
    expect(gz.body.length).toBeLessThan(Buffer.byteLength(page) / 4);
    const chunk = await rawRequest(`${cp.url}/_next/static/chunks/app-1a2b.js`, 'app.localhost');
    expect(chunk.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(chunk.headers['content-type']).toBe('text/javascript; charset=utf-8');
    const again = await rawRequest(`${cp.url}/sales/`, 'app.localhost', { 'if-none-match': String(gz.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });

  it('serves nothing outside the export, however the path is written', async () => {
    for (const path of [
      '/../outside-the-export.txt',
      '/%2e%2e/outside-the-export.txt',
      '/sales/../../outside-the-export.txt',
      '/..%2foutside-the-export.txt',
      '/%00',
      '/%E0%A4%A',
    ]) {
      const answer = await httpRequest(`${cp.url}${path}`, { host: 'app.localhost' });
      expect(answer.text).not.toContain('must not be served');
      expect(answer.status).toBeGreaterThanOrEqual(400);
    }
  });

  it('serves no app for a business that does not exist, and only GET and HEAD', async () => {
    const unknown = await httpRequest(`${cp.url}/sales/`, { host: 'khong-co-quan-nay.localhost' });
    expect(unknown.status).toBe(404);
    expect(unknown.text).not.toContain('Bán hàng');
    const posted = await httpRequest(`${cp.url}/sales/`, { host: 'app.localhost', body: { x: 1 } });
    expect(posted.status).toBe(404);
    const head = await rawRequest(`${cp.url}/sales/`, 'app.localhost', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(Number(head.headers['content-length'])).toBe(Buffer.byteLength(page));
    expect(head.body.length).toBe(0);
  });

  it("answers sign-in on a business's own host", async () => {
    const answer = await httpRequest(`${cp.url}/api/v1/auth/otp/request`, { host: `${slug}.localhost`, body: { phone: '0901 234 567' } });
    expect(answer.status).toBe(202);
    expect(answer.json.phone).toBe('+84901234567');
    const bad = await httpRequest(`${cp.url}/api/v1/auth/otp/request`, { host: `${slug}.localhost`, body: { phone: ['0901234567'] } });
    expect(bad.status).toBe(400);
    expect(bad.json.field).toBe('phone');
  });

  it("lets the platform's origin, and no other, read a business's cell across origins", async () => {
    const preflight = (origin: string) =>
      httpRequest(`${cp.url}/graphql`, {
        method: 'OPTIONS',
        host: `${slug}.localhost`,
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
      });
    const allowed = await preflight('http://app.localhost:8080');
    expect(allowed.status).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe('http://app.localhost:8080');
    expect(allowed.headers['access-control-allow-headers']).toBe('authorization, content-type');
    for (const origin of [
      'http://evil.example',
      'http://app.localhost.evil.example',
      'http://other-quan.localhost',
      'null',
      'javascript:alert(1)',
    ]) {
      expect((await preflight(origin)).headers['access-control-allow-origin']).toBeUndefined();
    }
    const query = await httpRequest(`${cp.url}/graphql`, {
      host: `${slug}.localhost`,
      headers: { origin: 'https://app.localhost' },
      body: { query: '{ locations { id } }' },
    });
    expect(query.headers['access-control-allow-origin']).toBe('https://app.localhost');
    expect(query.json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const foreign = await httpRequest(`${cp.url}/graphql`, {
      host: `${slug}.localhost`,
      headers: { origin: 'http://evil.example' },
      body: { query: '{ locations { id } }' },
    });
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
  });
});
