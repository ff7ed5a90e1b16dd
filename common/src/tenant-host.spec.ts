import { targetOfHost, tenantSlugOfRequest } from './tenant-host';

describe('which tenant a request is for', () => {
  it("prefers the router's X-Tenant header", () => {
    expect(tenantSlugOfRequest({ host: 'ignored.localhost', xTenant: 'pho-bo-hanoi' })).toBe('pho-bo-hanoi');
  });

  it('falls back to the first label of the Host', () => {
    expect(tenantSlugOfRequest({ host: 'banh-mi-co-ba.localhost:3001' })).toBe('banh-mi-co-ba');
    expect(tenantSlugOfRequest({ host: 'Ca-Phe-Sua-Da.localstoreplatform.com' })).toBe('ca-phe-sua-da');
  });

  it('names no tenant for the platform host, a bare host or an IP address', () => {
    expect(tenantSlugOfRequest({ host: 'app.localhost:8080' })).toBeNull();
    expect(tenantSlugOfRequest({ host: 'localhost:3001' })).toBeNull();
    expect(tenantSlugOfRequest({ host: '127.0.0.1:3001' })).toBeNull();
    expect(tenantSlugOfRequest({ host: '[::1]:3001' })).toBeNull();
    expect(tenantSlugOfRequest({})).toBeNull();
  });

  it('refuses header values that are not slugs', () => {
    expect(tenantSlugOfRequest({ xTenant: '../../etc' })).toBeNull();
    expect(tenantSlugOfRequest({ xTenant: 'a'.repeat(64) })).toBeNull();
    expect(tenantSlugOfRequest({ xTenant: 'pho bo' })).toBeNull();
  });
});

describe('who answers a Host at the router, which knows its domain', () => {
  const at = (host: string | undefined) => targetOfHost(host, 'localstoreplatform.com');

  it("sends a business's subdomain to its tenant, whatever the case or port", () => {
    expect(at('pho-bo-hanoi.localstoreplatform.com')).toEqual({ kind: 'tenant', slug: 'pho-bo-hanoi' });
    expect(at('Pho-Bo-Hanoi.LocalStorePlatform.COM:443')).toEqual({ kind: 'tenant', slug: 'pho-bo-hanoi' });
    expect(at('  pho-bo-hanoi.localstoreplatform.com:8080  ')).toEqual({ kind: 'tenant', slug: 'pho-bo-hanoi' });
  });

  it('keeps app.<domain>, the bare domain, plain addresses and an empty Host for the platform', () => {
    for (const host of [
      'app.localstoreplatform.com',
      'APP.localstoreplatform.com:8080',
      'localstoreplatform.com',
      '10.0.0.7:8080',
      '[::1]:8080',
      '[2001:db8::1]',
      '',
      '   ',
      undefined,
    ]) {
      expect(at(host)).toEqual({ kind: 'platform' });
    }
  });

  it('answers no one for hosts outside its domain or not a slug under it', () => {
    for (const host of [
      'localhost',
      'evil.example',
      'pho.localstoreplatform.com.evil.example',
      'app.localstoreplatform.com.evil.example',
      'pho.evil-localstoreplatform.com',
      'a.b.localstoreplatform.com',
      '.localstoreplatform.com',
      '-pho.localstoreplatform.com',
      'pho_bo.localstoreplatform.com',
      `${'a'.repeat(64)}.localstoreplatform.com`,
      'pho.localstoreplatform.com:http',
      'pho.localstoreplatform.com/../admin',
      'pho\u0000.localstoreplatform.com',
      'phở.localstoreplatform.com',
      `${'a'.repeat(100_000)}.localstoreplatform.com`,
    ]) {
      expect(at(host)).toEqual({ kind: 'unknown' });
    }
  });

  it('holds a trailing dot to the letter: `pho.<domain>.` is not under the domain', () => {
    expect(at('pho.localstoreplatform.com.')).toEqual({ kind: 'unknown' });
    expect(at('app.localstoreplatform.com.')).toEqual({ kind: 'unknown' });
    expect(at('localstoreplatform.com.')).toEqual({ kind: 'unknown' });
  });

  it('reads a single-label domain (localhost in development) the same way', () => {
    expect(targetOfHost('banh-mi.localhost:8080', 'localhost')).toEqual({ kind: 'tenant', slug: 'banh-mi' });
    expect(targetOfHost('app.localhost', 'localhost')).toEqual({ kind: 'platform' });
    expect(targetOfHost('localhost:8080', 'localhost')).toEqual({ kind: 'platform' });
    expect(targetOfHost('a.banh-mi.localhost', 'localhost')).toEqual({ kind: 'unknown' });
  });
});

describe('which tenant a Host names at a cell, which does not know its domain', () => {
  it("takes the first label of any host of two labels or more, as the router's rule does under its domain", () => {
    expect(targetOfHost('pho.localhost')).toEqual({ kind: 'tenant', slug: 'pho' });
    expect(targetOfHost('pho.cell-1.internal.example:3001')).toEqual({ kind: 'tenant', slug: 'pho' });
    expect(targetOfHost('pho.localhost.')).toEqual({ kind: 'tenant', slug: 'pho' });
  });

  it('names no tenant for a bare host, the platform label, an address or a label that is not a slug', () => {
    expect(tenantSlugOfRequest({ host: 'APP.localhost' })).toBeNull();
    expect(tenantSlugOfRequest({ host: '.localhost' })).toBeNull();
    expect(tenantSlugOfRequest({ host: '10.1.2.3' })).toBeNull();
    expect(tenantSlugOfRequest({ host: 'pho bo.localhost' })).toBeNull();
    expect(tenantSlugOfRequest({ host: `${'a'.repeat(64)}.localhost` })).toBeNull();
  });

  it('reads a single label with a trailing dot as a bare host, not as a tenant (it named one before the rules merged)', () => {
    expect(tenantSlugOfRequest({ host: 'localhost.' })).toBeNull();
    expect(tenantSlugOfRequest({ host: 'pho.:3001' })).toBeNull();
    expect(targetOfHost('pho.')).toEqual({ kind: 'platform' });
  });

  it('ignores a Host or X-Tenant that is not a string at all', () => {
    expect(tenantSlugOfRequest({ host: ['pho.localhost'] as unknown as string })).toBeNull();
    expect(tenantSlugOfRequest({ host: 'pho.localhost', xTenant: 42 as unknown as string })).toBe('pho');
  });
});
