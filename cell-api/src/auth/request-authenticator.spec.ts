import { randomUUID } from 'node:crypto';
import type { TestTenant } from '@localstore/cell-db/testing';
import { TestCell } from '../../test/test-cell';
import { AuthException } from './auth.exception';
import { credentialsOf, RequestAuthenticator } from './request-authenticator';

const headers = (values: Record<string, string>) => (name: string) => values[name];

/**
 * The one access rule of the cell, as the Socket.IO handshake calls it whole. Real:
 * Postgres under RLS, ES256 tokens checked against a JWKS over HTTP. Stubbed: nothing.
 */
describe('RequestAuthenticator', () => {
  let cell: TestCell;
  let sut: RequestAuthenticator;
  let tenant: TestTenant;
  let suspended: TestTenant;
  let other: TestTenant;

  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => 'accepted',
      (error: unknown) => (error instanceof AuthException ? error.code : `not an AuthException: ${String(error)}`),
    );

  beforeAll(async () => {
    cell = await TestCell.start();
    sut = cell.running.app.get(RequestAuthenticator);
    tenant = await cell.factories.newTenant();
    suspended = await cell.factories.newTenant(undefined, 'suspended');
    other = await cell.factories.newTenant();
  });
  afterAll(async () => {
    await cell?.stop();
  });

  it('reads the bearer token and the tenant the router or the Host names', () => {
    expect(credentialsOf(headers({ authorization: 'Bearer abc.def.ghi ', 'x-tenant': 'pho-bo' }))).toEqual({
      token: 'abc.def.ghi',
      tenantSlug: 'pho-bo',
    });
    expect(credentialsOf(headers({ authorization: 'Basic abc', host: 'pho-bo.localhost:8080' }))).toMatchObject({ token: undefined });
    expect(credentialsOf(headers({ authorization: 'bearer abc' })).token).toBeUndefined();
    expect(credentialsOf(headers({}))).toEqual({ token: undefined, tenantSlug: null });
  });

  it('lets in a valid token for its own active tenant', async () => {
    const userId = randomUUID();
    const principal = await sut.authenticate({ token: await cell.token({ tid: tenant.id, sub: userId }), tenantSlug: tenant.slug });
    expect({ tenantId: principal.tenantId, userId: principal.userId }).toEqual({ tenantId: tenant.id, userId });
  });

  it('refuses with the reason GraphQL gives: no token, a bad one, an expired one', async () => {
    expect(await refusal(sut.authenticate({ token: undefined, tenantSlug: tenant.slug }))).toBe('TOKEN_MISSING');
    expect(await refusal(sut.authenticate({ token: 'abc.def.ghi', tenantSlug: tenant.slug }))).toBe('TOKEN_INVALID');
    expect(await refusal(sut.authenticate({ token: 'x'.repeat(100_000), tenantSlug: tenant.slug }))).toBe('TOKEN_INVALID');
    const expired = await cell.issuer.sign(
      { sub: randomUUID(), tid: tenant.id, role: 'owner', locs: '*' },
      { expiresIn: Math.floor(Date.now() / 1000) - 3_600 },
    );
    expect(await refusal(sut.authenticate({ token: expired, tenantSlug: tenant.slug }))).toBe('TOKEN_EXPIRED');
  });

  it('refuses a tenant that is not named, not the token’s, or suspended', async () => {
    const token = await cell.token({ tid: tenant.id });
    expect(await refusal(sut.authenticate({ token, tenantSlug: null }))).toBe('TENANT_NOT_IDENTIFIED');
    expect(await refusal(sut.authenticate({ token, tenantSlug: other.slug }))).toBe('TENANT_MISMATCH');
    expect(await refusal(sut.authenticate({ token: await cell.token({ tid: randomUUID() }), tenantSlug: tenant.slug }))).toBe(
      'TENANT_MISMATCH',
    );
    expect(await refusal(sut.authenticate({ token: await cell.token({ tid: suspended.id }), tenantSlug: suspended.slug }))).toBe(
      'TENANT_SUSPENDED',
    );
  });

  it('gives the socket handshake the same refusals as a GraphQL request', async () => {
    const { io } = await import('socket.io-client');
    const expired = await cell.issuer.sign(
      { sub: randomUUID(), tid: tenant.id, role: 'owner', locs: '*' },
      { expiresIn: Math.floor(Date.now() / 1000) - 3_600 },
    );
    for (const [token, slug, code, reason] of [
      [expired, tenant.slug, 'UNAUTHENTICATED', 'TOKEN_EXPIRED'],
      [await cell.token({ tid: suspended.id }), suspended.slug, 'FORBIDDEN', 'TENANT_SUSPENDED'],
    ] as const) {
      const answer = await cell.gql('{ locations { id } }', {}, { token, tenant: slug });
      expect(answer.errors![0]!.extensions).toMatchObject({ code, reason });
      const socket = io(cell.url, {
        path: '/socket.io',
        transports: ['websocket'],
        reconnection: false,
        auth: { token },
        extraHeaders: { 'x-tenant': slug },
      });
      const refused = await new Promise<Error & { data?: unknown }>((resolve) => socket.once('connect_error', resolve));
      socket.disconnect();
      expect({ message: refused.message, data: refused.data }).toEqual({ message: code, data: { code, reason } });
    }
  });
});
