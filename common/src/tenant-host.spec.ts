import { tenantSlugOfRequest } from './tenant-host';

describe('which tenant a request is for', () => {
  it('prefers the router\'s X-Tenant header', () => {
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
