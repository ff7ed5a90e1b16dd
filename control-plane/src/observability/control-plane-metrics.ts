import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Pool } from 'pg';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What a request was, in a bounded set: a path or a slug never becomes a label value. */
export type HttpRoute = 'cell' | 'graphql' | 'auth' | 'jwks' | 'webhook' | 'health' | 'metrics' | 'other' | 'unknown_host' | 'web';

export function platformRouteOf(path: string): HttpRoute {
  if (path === '/graphql') return 'graphql';
  if (path.startsWith('/api/v1/auth/')) return 'auth';
  if (path === '/.well-known/jwks.json') return 'jwks';
  if (path.startsWith('/api/v1/webhooks/')) return 'webhook';
  if (path === '/healthz' || path === '/readyz') return 'health';
  if (path === '/metrics') return 'metrics';
  return 'other';
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

/**
 * The control plane's Prometheus metrics, on its own registry: RED per route of the front
 * door (the cell proxy included), the directory's pool, SMS sends of sign-in codes, and the
 * payments stream's publish → ack. Webhook outcomes and reconciliation register their own
 * counters on the same registry.
 */
export class ControlPlaneMetrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'control_plane_http_request_duration_seconds',
    help: 'Requests through the front door by route (cell = proxied to a tenant’s cell), method and status class',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly smsSends = new Counter({
    name: 'control_plane_otp_sms_total',
    help: 'Sign-in codes handed to the SMS gateway, by provider and outcome (sent, failed)',
    labelNames: ['provider', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly paymentPublish = new Histogram({
    name: 'control_plane_payment_publish_duration_seconds',
    help: 'Payment events published to JetStream until acknowledged, by outcome (acked, duplicate, failed)',
    labelNames: ['outcome'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers: [this.registry],
  });

  constructor(pool: () => Pool | undefined) {
    collectDefaultMetrics({ register: this.registry });
    const poolGauge = (name: string, help: string, read: (p: Pool) => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          const p = pool();
          this.set(p ? read(p) : 0);
        },
      });
    poolGauge('control_plane_db_pool_connections', 'Connections open in the directory pool', (p) => p.totalCount);
    poolGauge('control_plane_db_pool_idle_connections', 'Idle connections in the directory pool', (p) => p.idleCount);
    poolGauge('control_plane_db_pool_waiting_requests', 'Requests waiting for a directory connection', (p) => p.waitingCount);
  }

  /** Times one request until its answer is written (or the client goes away). */
  observe(req: IncomingMessage, res: ServerResponse, route: HttpRoute): void {
    const stop = this.httpDuration.startTimer();
    const method = METHODS.has(req.method ?? '') ? req.method! : 'other';
    res.once('close', () => stop({ route, method, status: res.writableFinished ? `${Math.floor(res.statusCode / 100)}xx` : 'aborted' }));
  }
}
