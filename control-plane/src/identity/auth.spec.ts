import { randomUUID } from 'node:crypto';
import { AccessTokenVerifier } from '@localstore/common';
import { TestControlPlane } from '../../test/test-control-plane';
import { openApiValidator } from '../../test/openapi';

/**
 * Phone sign-in through the real REST API. Real: Postgres, Redis, HTTP, JWT. Replaced:
 * the SMS gateway, by a local server that checks Twilio's request format.
 */
describe('phone sign-in and tokens', () => {
  let cp: TestControlPlane;
  const validate = openApiValidator();

  beforeAll(async () => {
    cp = await TestControlPlane.start();
  });
  afterAll(() => cp?.stop());

  it('accepts a number as people type it, and texts a 6-digit code', async () => {
    const answer = await cp.api('/api/v1/auth/otp/request', { phone: '0901 234 567' });
    expect(answer.status).toBe(202);
    validate('post', '/api/v1/auth/otp/request', answer);
    expect(answer.json).toEqual({ phone: '+84901234567', expiresIn: 120 });
    expect(cp.sms.codeSentTo('+84901234567')).toMatch(/^\d{6}$/);
  });

  it('refuses landlines, foreign numbers and junk, naming the field', async () => {
    for (const [phone, code] of [
      ['028 3822 1234', 'PHONE_NOT_MOBILE'],
      ['+1 415 555 2671', 'PHONE_FOREIGN'],
      ['xin chào', 'PHONE_INVALID'],
      [12345, 'PHONE_INVALID'],
      [undefined, 'PHONE_INVALID'],
    ] as const) {
      const answer = await cp.api('/api/v1/auth/otp/request', phone === undefined ? {} : { phone });
      expect(answer.status).toBe(400);
      expect(answer.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(answer.json).toMatchObject({ code, field: 'phone', status: 400 });
      validate('post', '/api/v1/auth/otp/request', answer);
    }
    const notJson = await cp.api('/api/v1/auth/otp/request', '{"phone": ');
    expect(notJson.status).toBe(400);
    expect(notJson.json).toMatchObject({ code: 'INVALID_INPUT', field: 'body' });
    const huge = await cp.api('/api/v1/auth/otp/request', { phone: 'x'.repeat(100_000) });
    expect(huge.status).toBe(413);
    const nowhere = await cp.api('/api/v1/auth/nowhere', {});
    expect(nowhere.status).toBe(404);
    expect(nowhere.json.code).toBe('NOT_FOUND');
  });

  it('limits requests per phone, answering 429 with Retry-After', async () => {
    const phone = '0912 000 001';
    expect((await cp.api('/api/v1/auth/otp/request', { phone })).status).toBe(202);
    const again = await cp.api('/api/v1/auth/otp/request', { phone });
    expect(again.status).toBe(429);
    expect(Number(again.headers['retry-after'])).toBeGreaterThan(0);
    expect(again.json.code).toBe('TOO_MANY_REQUESTS');
    validate('post', '/api/v1/auth/otp/request', again);
  });

  it('signs in with the right code once, and returns tokens a cell can verify', async () => {
    const phone = '+84912000002';
    await cp.api('/api/v1/auth/otp/request', { phone });
    const code = cp.sms.codeSentTo(phone);
    const answer = await cp.api('/api/v1/auth/otp/verify', { phone: '0912000002', code });
    expect(answer.status).toBe(200);
    validate('post', '/api/v1/auth/otp/verify', answer);
    expect(answer.json).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, tenant: null, tenants: [] });
    const verifier = new AccessTokenVerifier({ jwksUrl: cp.jwksUrl, issuer: 'localstore-control-plane', audience: 'localstore-cell' });
    expect((await verifier.verifyIdentity(answer.json.accessToken)).userId).toMatch(/^[0-9a-f-]{36}$/);
    // A tenant-less token is not accepted where a tenant is required (every cell).
    await expect(verifier.verify(answer.json.accessToken)).rejects.toThrow();
    const replay = await cp.api('/api/v1/auth/otp/verify', { phone, code });
    expect(replay.status).toBe(401);
  });

  it('kills a code after five wrong tries', async () => {
    const phone = '+84912000003';
    await cp.api('/api/v1/auth/otp/request', { phone });
    const code = cp.sms.codeSentTo(phone);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) expect((await cp.api('/api/v1/auth/otp/verify', { phone, code: wrong })).json.code).toBe('OTP_INVALID');
    const locked = await cp.api('/api/v1/auth/otp/verify', { phone, code });
    expect(locked.status).toBe(401);
    expect(locked.json.code).toBe('OTP_LOCKED');
    expect((await cp.api('/api/v1/auth/otp/verify', { phone, code })).json.code).toBe('OTP_INVALID');
  });

  it('refuses malformed codes without spending a try', async () => {
    for (const code of ['12345', '1234567', 'abcdef', 123456, null]) {
      const answer = await cp.api('/api/v1/auth/otp/verify', { phone: '+84912000004', code });
      expect(answer.status).toBe(400);
      expect(answer.json).toMatchObject({ code: 'INVALID_INPUT', field: 'code' });
    }
  });

  it('signs a member of one business straight into it', async () => {
    const tenantId = await cp.addTenant({ slug: 'pho-mot', cell: { name: 'pooled-1', endpoint: 'http://127.0.0.1:9' } });
    await cp.addMember(tenantId, '+84912000005', 'manager');
    const pair = await cp.signIn('+84912000005');
    expect(pair.tenant).toEqual({ id: tenantId, slug: 'pho-mot', name: 'pho-mot', role: 'manager' });
    const verifier = new AccessTokenVerifier({ jwksUrl: cp.jwksUrl, issuer: 'localstore-control-plane', audience: 'localstore-cell' });
    expect(await verifier.verify(pair.accessToken)).toMatchObject({ tenantId, role: 'manager', locationIds: '*' });
  });

  it('rotates refresh tokens, and revokes the whole login when an old one comes back', async () => {
    const first = await cp.signIn('+84912000006');
    const second = await cp.api('/api/v1/auth/refresh', { refreshToken: first.refreshToken });
    expect(second.status).toBe(200);
    validate('post', '/api/v1/auth/refresh', second);
    expect(second.json.refreshToken).not.toBe(first.refreshToken);
    const stolen = await cp.api('/api/v1/auth/refresh', { refreshToken: first.refreshToken });
    expect(stolen.status).toBe(401);
    expect(stolen.json.code).toBe('REFRESH_INVALID');
    // The thief's replay also ends the legitimate holder's session: the family is revoked.
    expect((await cp.api('/api/v1/auth/refresh', { refreshToken: second.json.refreshToken })).status).toBe(401);
    const [event] = await cp.owner.query(`SELECT kind FROM security_events WHERE kind = 'refresh_token_reuse'`);
    expect(event).toEqual({ kind: 'refresh_token_reuse' });
  });

  it('logs out by revoking the refresh token', async () => {
    const pair = await cp.signIn('+84912000007');
    expect((await cp.api('/api/v1/auth/logout', { refreshToken: pair.refreshToken })).status).toBe(204);
    expect((await cp.api('/api/v1/auth/refresh', { refreshToken: pair.refreshToken })).status).toBe(401);
    for (const refreshToken of [undefined, 42, 'x'.repeat(500)]) {
      expect((await cp.api('/api/v1/auth/refresh', { refreshToken })).status).toBe(401);
    }
  });

  it('switches to another business the user belongs to, and only to those', async () => {
    const a = await cp.addTenant({ slug: `a-${randomUUID().slice(0, 6)}`, cell: { name: 'pooled-1', endpoint: 'http://127.0.0.1:9' } });
    const b = await cp.addTenant({ slug: `b-${randomUUID().slice(0, 6)}`, cell: { name: 'pooled-1', endpoint: 'http://127.0.0.1:9' } });
    const stranger = await cp.addTenant({
      slug: `c-${randomUUID().slice(0, 6)}`,
      cell: { name: 'pooled-1', endpoint: 'http://127.0.0.1:9' },
    });
    await cp.addMember(a, '+84912000008', 'owner');
    await cp.addMember(b, '+84912000008', 'staff');
    const pair = await cp.signIn('+84912000008');
    expect(pair.tenant).toBeNull();
    expect(pair.tenants.map((t: any) => t.id).sort()).toEqual([a, b].sort());
    const auth = { authorization: `Bearer ${pair.accessToken}` };
    const switched = await cp.api('/api/v1/auth/switch-tenant', { tenantId: b }, auth);
    expect(switched.status).toBe(200);
    validate('post', '/api/v1/auth/switch-tenant', switched);
    expect(switched.json.tenant).toMatchObject({ id: b, role: 'staff' });
    expect((await cp.api('/api/v1/auth/switch-tenant', { tenantId: stranger }, auth)).status).toBe(403);
    expect((await cp.api('/api/v1/auth/switch-tenant', { tenantId: 'nope' }, auth)).json).toMatchObject({ status: 400, field: 'tenantId' });
    expect((await cp.api('/api/v1/auth/switch-tenant', { tenantId: b })).status).toBe(401);
  });

  it('rotates signing keys while tokens signed by the old key keep working', async () => {
    const before = await cp.signIn('+84912000009');
    const oldKids = (await cp.api('/.well-known/jwks.json')).json.keys.map((k: any) => k.kid);
    await cp.owner.query(`UPDATE signing_keys SET created_at = now() - interval '400 days' WHERE retired_at IS NULL`);
    await cp.running.keyRing.refresh();
    const jwks = await cp.api('/.well-known/jwks.json');
    validate('get', '/.well-known/jwks.json', jwks);
    const kids = jwks.json.keys.map((k: any) => k.kid);
    expect(kids).toEqual(expect.arrayContaining(oldKids));
    expect(kids).toHaveLength(oldKids.length + 1);
    const after = await cp.signIn('+84912000010');
    const kidOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).kid;
    expect(kidOf(after.accessToken)).not.toBe(kidOf(before.accessToken));
    const verifier = new AccessTokenVerifier({ jwksUrl: cp.jwksUrl, issuer: 'localstore-control-plane', audience: 'localstore-cell' });
    expect((await verifier.verifyIdentity(before.accessToken)).userId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await verifier.verifyIdentity(after.accessToken)).userId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
