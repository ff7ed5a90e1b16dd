import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import { PLATFORM_HOST_LABEL, targetOfHost } from '@localstore/common';
import { type ControlPlaneMetrics, platformRouteOf } from '../observability/control-plane-metrics';
import type { PaymentWebhookIngress } from '../payments/payment-webhook-ingress';
import type { CellProxy } from './cell-proxy';
import type { RouteTable } from './route-table';
import { routerPage } from './router-pages';
import type { WebAppFiles } from '../web/web-app-files';

/**
 * The origin of the owner's app (`app.<domain>`, any scheme or port), the only other origin
 * a tenant's cell answers: the consolidated dashboard there reads each business's cell.
 */
export function isPlatformOrigin(origin: string | undefined, domain: string): boolean {
  if (!origin) return false;
  try {
    const { hostname, protocol } = new URL(origin);
    return hostname === `${PLATFORM_HOST_LABEL}.${domain}` && (protocol === 'https:' || protocol === 'http:');
  } catch {
    return false;
  }
}

/** Sign-in is the platform's on every host, so the staff app on `<slug>.<domain>` signs in on its own origin. */
const isIdentityPath = (path: string) => path.startsWith('/api/v1/auth/');

/**
 * The one listening server: the platform app for platform hosts, the cell proxy for
 * tenants, and the web app's files on both. Payment webhooks (on platform hosts) skip the
 * framework: they read their own bodies with their own limit and answer in each provider's
 * own format.
 */
export function createFrontDoor(options: {
  domain: string;
  platform: RequestListener;
  routes: RouteTable;
  proxy: CellProxy;
  ingress?: PaymentWebhookIngress;
  metrics?: ControlPlaneMetrics;
  web?: WebAppFiles | null;
}): Server {
  const { domain, platform, routes, proxy, ingress, metrics, web } = options;
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
      if (web?.has(req)) {
        metrics?.observe(req, res, 'web');
        return web.serve(req, res);
      }
      metrics?.observe(req, res, platformRouteOf(path));
      if (ingress?.handles(path)) return void ingress.handle(req, res);
      if (registry && path === '/metrics' && req.method === 'GET') {
        return void registry.metrics().then((text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text));
      }
      return platform(req, res);
    }
    if (target.kind === 'unknown') {
      metrics?.observe(req, res, 'unknown_host');
      return routerPage(req, res, 404, 'TENANT_NOT_FOUND');
    }
    const path = (req.url ?? '/').split('?')[0]!;
    const served = isIdentityPath(path) ? 'auth' : web?.has(req) ? 'web' : 'cell';
    metrics?.observe(req, res, served);
    if (!route) return routerPage(req, res, 404, 'TENANT_NOT_FOUND');
    if (route.suspended) return routerPage(req, res, 403, 'TENANT_SUSPENDED');
    if (served === 'auth') return platform(req, res);
    if (served === 'web') return web!.serve(req, res);
    const origin = req.headers.origin;
    const cors = isPlatformOrigin(origin, domain) ? { 'access-control-allow-origin': origin!, vary: 'Origin' } : undefined;
    if (cors && req.method === 'OPTIONS') {
      res
        .writeHead(204, {
          ...cors,
          'access-control-allow-methods': 'GET, POST',
          'access-control-allow-headers': 'authorization, content-type',
          'access-control-max-age': '600',
        })
        .end();
      return;
    }
    void proxy.forwardHttp(req, res, route, cors).catch(() => {
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
