/** A tenant slug: what its subdomain is made of. */
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export function isSlug(value: unknown): value is string {
  return typeof value === 'string' && SLUG_PATTERN.test(value);
}

/**
 * The tenant a request is for: the router's `X-Tenant` header when present, otherwise the
 * first label of the Host (`pho-bo-hanoi.localhost:8080` → `pho-bo-hanoi`). Returns null
 * when neither names a tenant (the platform host `app.<domain>` included).
 */
export function tenantSlugOfRequest(headers: { host?: string; xTenant?: string }, platformHost = 'app'): string | null {
  const fromRouter = headers.xTenant?.trim().toLowerCase();
  if (fromRouter) return isSlug(fromRouter) ? fromRouter : null;
  const host = headers.host?.trim().toLowerCase().replace(/:\d+$/, '');
  // An IP address (v4 or bracketed v6) names no tenant.
  if (!host || /^[\d.]+$/.test(host) || host.startsWith('[')) return null;
  const labels = host.split('.');
  if (labels.length < 2) return null;
  const first = labels[0]!;
  if (first === platformHost || !isSlug(first)) return null;
  return first;
}
