import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import { isSlug } from '@localstore/common';
import { type ControlPlaneMetrics, platformRouteOf } from '../observability/control-plane-metrics';
import type { PaymentWebhookIngress } from '../payments/payment-webhook-ingress';
import type { CellProxy } from './cell-proxy';
import type { RouteTable } from './route-table';
import { routerPage } from './router-pages';

export type HostTarget = { kind: 'platform' } | { kind: 'tenant'; slug: string } | { kind: 'unknown' };

/**
 * Decides who answers a Host: `app.<domain>`, the bare domain and plain addresses (health
 * checks, the JWKS for cells) are the control plane; `<slug>.<domain>` is a tenant's cell.
 */
export function targetOfHost(hostHeader: string | undefined, domain: string): HostTarget {
  const host = (hostHeader ?? '').trim().toLowerCase().replace(/:\d+$/, '');
  if (host === '' || host === domain || host === `app.${domain}` || /^[\d.]+$/.test(host) || host.startsWith('[')) return { kind: 'platform' };
  if (!host.endsWith(`.${domain}`)) return { kind: 'unknown' };
  const label = host.slice(0, -(domain.length + 1));
  return isSlug(label) ? { kind: 'tenant', slug: label } : { kind: 'unknown' };
}

/**
 * The one listening server: the platform app for platform hosts, the cell proxy for
 * tenants. Payment webhooks (on platform hosts) skip the framework: they read their own
 * bodies with their own limit and answer in each provider's own format.
 */
export function createFrontDoor(options: { domain: string; platform: RequestListener; routes: RouteTable; proxy: CellProxy; ingress?: PaymentWebhookIngress; metrics?: ControlPlaneMetrics }): Server {
  const { domain, platform, routes, proxy, ingress, metrics } = options;
  const registry = metrics?.registry;
  const routeOf = (req: IncomingMessage) => {
    const target = targetOfHost(req.headers.host, domain);
    if (target.kind !== 'tenant') return { target, route: undefined };
    return { target, route: routes.lookup(target.slug) };
  };
  const server = createServer((req, res) => {
    const { target, route } = routeOf(req);
    if (target.kind === 'platform') {
      const path = (req.url ?? '/').split('?')[0]!;
      metrics?.observe(req, res, platformRouteOf(path));
      if (ingress?.handles(path)) return void ingress.handle(req, res);
      if (registry && path === '/metrics' && req.method === 'GET') {
        return void registry.metrics().then((text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text));
      }
      return platform(req, res);
    }
    metrics?.observe(req, res, target.kind === 'tenant' ? 'cell' : 'unknown_host');
    if (!route) return routerPage(req, res, 404, 'TENANT_NOT_FOUND');
    if (route.suspended) return routerPage(req, res, 403, 'TENANT_SUSPENDED');
    void proxy.forwardHttp(req, res, route).catch(() => {
      if (!res.headersSent) routerPage(req, res, 503, 'CELL_UNAVAILABLE');
    });
  });
  server.on('upgrade', (req, socket, head) => {
    const { route } = routeOf(req);
    if (!route || route.suspended) {
      socket.end(route ? 'HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n' : 'HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    proxy.forwardUpgrade(req, socket, head, route);
  });
  server.keepAliveTimeout = 65_000;
  return server;
}
