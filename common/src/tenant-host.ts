/** A tenant slug: what its subdomain is made of. */
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export function isSlug(value: unknown): value is string {
  return typeof value === 'string' && SLUG_PATTERN.test(value);
}

/** Who answers a Host: the platform itself, one tenant's cell, or no one. */
export type HostTarget = { kind: 'platform' } | { kind: 'tenant'; slug: string } | { kind: 'unknown' };

/** The first label of the platform's own host, `app.<domain>`. */
export const PLATFORM_HOST_LABEL = 'app';

/**
 * The one rule that reads a Host header. The bare domain, `app.<domain>`, plain addresses
 * (IPv4, bracketed IPv6: health checks, the JWKS for cells) and an empty Host are the
 * platform; `<slug>.<domain>` is that tenant; anything else is no one's. Case and the port
 * do not count; a trailing dot does (`pho.localhost.` is not under `localhost`).
 *
 * The router knows its `domain` and holds a Host to it. A cell does not know the domain it
 * is served under (the router in front does), so without `domain` any host of two labels
 * or more names the tenant of its first label (`pho.` and `localhost.` are one label with
 * a trailing dot, so a bare host): a cell only ever trusts that together with the
 * caller's token, whose tenant must be the same.
 */
export function targetOfHost(hostHeader: string | undefined, domain?: string): HostTarget {
  const host = typeof hostHeader === 'string' ? hostHeader.trim().toLowerCase().replace(/:\d+$/, '') : '';
  if (host === '' || /^[\d.]+$/.test(host) || host.startsWith('[')) return { kind: 'platform' };
  const dot = host.indexOf('.');
  const rest = dot < 0 ? '' : host.slice(dot + 1);
  if (domain === undefined ? rest === '' : host === domain) return { kind: 'platform' };
  if (domain !== undefined && rest !== domain) return { kind: 'unknown' };
  const label = host.slice(0, dot);
  if (label === PLATFORM_HOST_LABEL) return { kind: 'platform' };
  return isSlug(label) ? { kind: 'tenant', slug: label } : { kind: 'unknown' };
}

/**
 * The tenant a request to a cell is for: the router's `X-Tenant` header when present,
 * otherwise the tenant of the Host (`pho-bo-hanoi.localhost:8080` → `pho-bo-hanoi`).
 * Returns null when neither names a tenant (the platform host `app.<domain>` included).
 */
export function tenantSlugOfRequest(headers: { host?: string; xTenant?: string }): string | null {
  const fromRouter = typeof headers.xTenant === 'string' ? headers.xTenant.trim().toLowerCase() : '';
  if (fromRouter) return isSlug(fromRouter) ? fromRouter : null;
  const target = targetOfHost(headers.host);
  return target.kind === 'tenant' ? target.slug : null;
}
