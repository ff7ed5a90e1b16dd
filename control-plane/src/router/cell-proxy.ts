import { Agent, type IncomingHttpHeaders, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { parse, type OperationDefinitionNode } from 'graphql';
import type { Logger } from 'pino';
import { readBody } from '../http/request-body';
import { routerPage } from './router-pages';
import type { TenantRoute } from './route-table';

/** Headers that describe one hop and must not be forwarded (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const MAX_DRAINING_BODY = 1024 * 1024;

/**
 * Forwards a tenant's requests to its cell: HTTP with pooled keep-alive connections, and
 * WebSocket upgrades (Socket.IO, graphql-ws) as raw byte pipes. The tenant is stated by
 * the router in `X-Tenant`; whatever the client sent under that name is dropped. A cell
 * that does not answer in time yields 503 with Retry-After, never a hanging request.
 */
export class CellProxy {
  /**
   * `timeout` bounds how long an idle connection is kept, and with it set Node also honours
   * the cell's `Keep-Alive: timeout=5` and lets the socket go a second before the cell
   * would. Without it an idle socket was reused just as the cell closed it, and a sale
   * failed with "socket hang up" after five quiet seconds (seen in `make bench-web`).
   */
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 512, keepAliveMsecs: 10_000, timeout: 60_000 });
  /** Open WebSocket tunnels, closed when the router stops. */
  private readonly tunnels = new Set<Duplex>();

  constructor(
    private readonly timeoutMs: number,
    private readonly logger: Logger,
  ) {}

  /** `extraHeaders` are added to the cell's answer (the router's CORS headers). */
  async forwardHttp(req: IncomingMessage, res: ServerResponse, route: TenantRoute, extraHeaders?: Record<string, string>): Promise<void> {
    let body: Buffer | undefined;
    if (route.state === 'draining' && !SAFE_METHODS.has(req.method ?? 'GET')) {
      // A GraphQL query is a read even when POSTed; only it passes while draining.
      // Past the limit the connection is closed, as a body that large is no GraphQL read.
      body = await readBody(req, MAX_DRAINING_BODY).catch((error: unknown) => {
        req.destroy();
        throw error;
      });
      if (!isGraphqlRead(req.url, body)) {
        res.setHeader('Retry-After', '1');
        routerPage(req, res, 503, 'TENANT_DRAINING');
        return;
      }
    }
    const target = new URL(req.url ?? '/', route.endpoint);
    const upstream = request(target, {
      method: req.method,
      headers: forwardedHeaders(req, route, false),
      agent: this.agent,
      timeout: this.timeoutMs,
    });
    upstream.on('response', (cellResponse) => {
      const headers = { ...cellResponse.headers, ...extraHeaders };
      for (const name of HOP_BY_HOP) delete headers[name];
      res.writeHead(cellResponse.statusCode ?? 502, headers);
      cellResponse.pipe(res);
    });
    upstream.on('timeout', () => upstream.destroy(new Error('cell timed out')));
    upstream.on('error', (error) => {
      this.logger.warn({ err: error, tenant: route.slug, cell: route.cellName }, 'cell unreachable');
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.setHeader('Retry-After', '5');
      routerPage(req, res, 503, 'CELL_UNAVAILABLE');
    });
    if (body) upstream.end(body);
    else req.pipe(upstream);
  }

  forwardUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, route: TenantRoute): void {
    const target = new URL(req.url ?? '/', route.endpoint);
    const upstream = request(target, { method: 'GET', headers: forwardedHeaders(req, route, true), timeout: this.timeoutMs });
    upstream.on('upgrade', (cellResponse, cellSocket, cellHead) => {
      const lines = [`HTTP/1.1 ${cellResponse.statusCode} ${cellResponse.statusMessage}`];
      for (let i = 0; i < cellResponse.rawHeaders.length; i += 2)
        lines.push(`${cellResponse.rawHeaders[i]}: ${cellResponse.rawHeaders[i + 1]}`);
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (cellHead.length > 0) socket.write(cellHead);
      if (head.length > 0) cellSocket.write(head);
      cellSocket.pipe(socket).pipe(cellSocket);
      this.tunnels.add(socket);
      // Either side going away ends the tunnel: a half-open WebSocket helps no one.
      const close = () => {
        this.tunnels.delete(socket);
        cellSocket.destroy();
        socket.destroy();
      };
      for (const side of [cellSocket, socket]) {
        side.on('error', close);
        side.on('close', close);
        side.on('end', close);
      }
    });
    upstream.on('response', (cellResponse) => {
      // The cell refused the upgrade: pass its answer on and close.
      socket.end(`HTTP/1.1 ${cellResponse.statusCode} ${cellResponse.statusMessage}\r\nConnection: close\r\n\r\n`);
      cellResponse.resume();
    });
    upstream.on('timeout', () => upstream.destroy(new Error('cell timed out')));
    upstream.on('error', () => socket.end('HTTP/1.1 503 Service Unavailable\r\nRetry-After: 5\r\nConnection: close\r\n\r\n'));
    upstream.end();
  }

  close(): void {
    for (const tunnel of this.tunnels) tunnel.destroy();
    this.tunnels.clear();
    this.agent.destroy();
  }
}

function forwardedHeaders(req: IncomingMessage, route: TenantRoute, upgrade: boolean): IncomingHttpHeaders {
  const headers: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name === 'x-tenant' || (!upgrade && HOP_BY_HOP.has(name))) continue;
    headers[name] = value;
  }
  headers['x-tenant'] = route.slug;
  const priorFor = req.headers['x-forwarded-for'];
  headers['x-forwarded-for'] = [priorFor, req.socket.remoteAddress].filter(Boolean).join(', ');
  headers['x-forwarded-host'] = req.headers.host;
  headers['x-forwarded-proto'] = 'http';
  return headers;
}

/** Whether a POST is a GraphQL query (a read): every operation it may run is a query. */
export function isGraphqlRead(url: string | undefined, body: Buffer): boolean {
  if (!url?.startsWith('/graphql')) return false;
  try {
    const { query, operationName } = JSON.parse(body.toString('utf8')) as { query?: string; operationName?: string };
    if (typeof query !== 'string') return false;
    const operations = parse(query).definitions.filter((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
    const chosen = operationName ? operations.filter((op) => op.name?.value === operationName) : operations;
    return chosen.length > 0 && chosen.every((op) => op.operation === 'query');
  } catch {
    return false;
  }
}
