import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type KeyLike, SignJWT } from 'jose';
import { AccessTokenVerifier, InvalidAccessTokenError, parseClaims } from './access-token';

const TENANT = '0b6f4a0e-6b1e-4c57-9a57-2f6f0d3c7a11';
const USER = '5f0e9d3c-2a1b-4c8d-9e7f-1a2b3c4d5e6f';

describe('access token verification against a JWKS served over HTTP', () => {
  let server: Server;
  let privateKey: KeyLike;
  let verifier: AccessTokenVerifier;

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256');
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256' };
    server = createServer((_, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    verifier = new AccessTokenVerifier({ jwksUrl: `http://127.0.0.1:${port}/jwks.json`, issuer: 'cp', audience: 'cell' });
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const sign = (claims: Record<string, unknown>, key: KeyLike = privateKey, issuer = 'cp', exp: string | number = '5m') =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setSubject(USER)
      .setIssuer(issuer)
      .setAudience('cell')
      .setExpirationTime(exp)
      .sign(key);

  const rejection = (promise: Promise<unknown>) =>
    promise.then(
      () => 'accepted',
      (error: unknown) => (error instanceof InvalidAccessTokenError ? error.reason : 'crashed'),
    );

  it('accepts a well-formed token and reads its claims', async () => {
    const claims = await verifier.verify(await sign({ tid: TENANT, role: 'manager', locs: [TENANT] }));
    expect(claims).toMatchObject({ userId: USER, tenantId: TENANT, role: 'manager', locationIds: [TENANT] });
  });

  it('rejects a token signed by another key', async () => {
    const other = await generateKeyPair('ES256');
    expect(await rejection(verifier.verify(await sign({ tid: TENANT, role: 'owner', locs: '*' }, other.privateKey)))).toBe('bad_signature');
  });

  it('rejects an expired token, another issuer, and an unsigned one', async () => {
    expect(await rejection(verifier.verify(await sign({ tid: TENANT, role: 'owner', locs: '*' }, privateKey, 'cp', 1)))).toBe('expired');
    expect(await rejection(verifier.verify(await sign({ tid: TENANT, role: 'owner', locs: '*' }, privateKey, 'evil')))).toBe('bad_claims');
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const body = Buffer.from(JSON.stringify({ sub: USER, tid: TENANT, role: 'owner', locs: '*', exp: 9e9 })).toString('base64url');
    expect(await rejection(verifier.verify(`${header}.${body}.`))).toBe('malformed');
    expect(await rejection(verifier.verify('not-a-jwt'))).toBe('malformed');
  });

  it('rejects claims of the wrong shape', () => {
    const base = { sub: USER, tid: TENANT, role: 'owner', locs: '*', exp: 9e9 };
    for (const bad of [
      { ...base, tid: 'not-a-uuid' },
      { ...base, role: 'admin' },
      { ...base, locs: 'all' },
      { ...base, locs: ['x'] },
      { ...base, sub: 42 },
    ]) {
      expect(() => parseClaims(bad)).toThrow(InvalidAccessTokenError);
    }
  });
});
