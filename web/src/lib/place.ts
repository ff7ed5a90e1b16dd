/**
 * Where the app is running decides what it is: `app.<domain>` is the owner's platform app,
 * `<slug>.<domain>` is one business's store app. The domain is whatever follows, so the same
 * build serves `localhost:8080` and a real domain.
 */
export type Place = { kind: 'platform'; domain: string } | { kind: 'tenant'; slug: string; domain: string };

export function placeOf(hostname: string): Place {
  const host = hostname.toLowerCase();
  const dot = host.indexOf('.');
  if (dot < 0 || /^[\d.]+$/.test(host)) return { kind: 'platform', domain: host };
  const [label, domain] = [host.slice(0, dot), host.slice(dot + 1)];
  return label === 'app' ? { kind: 'platform', domain } : { kind: 'tenant', slug: label, domain };
}

export function currentPlace(): Place {
  return placeOf(window.location.hostname);
}

const portPart = () => (window.location.port ? `:${window.location.port}` : '');

/** `https://<slug>.<domain>[:port]`: a business's store app and its cell. */
export function tenantOrigin(slug: string): string {
  return `${window.location.protocol}//${slug}.${currentPlace().domain}${portPart()}`;
}

export function platformOrigin(): string {
  return `${window.location.protocol}//app.${currentPlace().domain}${portPart()}`;
}
