import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Pool } from 'pg';

const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * The cell's Prometheus metrics, on a registry of its own. Label values are bounded:
 * operation names come from clients, so only the first 200 distinct well-formed names
 * get a series of their own and the rest are counted as `other`.
 */
export class CellMetrics {
  readonly registry = new Registry();
  private readonly knownOperations = new Set<string>();
  private static readonly MAX_OPERATIONS = 200;

  readonly graphqlDuration = new Histogram({
    name: 'cell_graphql_request_duration_seconds',
    help: 'GraphQL request duration by operation name, type and outcome (ok; rejected: the caller’s error, such as bad input or no access; error: ours)',
    labelNames: ['operation', 'type', 'outcome'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly dbQueries = new Counter({
    name: 'cell_db_queries_total',
    help: 'SQL statements sent on tenant transactions',
    registers: [this.registry],
  });

  readonly salesRecorded = new Counter({
    name: 'cell_sales_recorded_total',
    help: 'Sales recorded (new orders; idempotent replays are not counted)',
    registers: [this.registry],
  });

  readonly cacheRequests = new Counter({
    name: 'cell_cache_requests_total',
    help: 'Dashboard cache lookups by cache (today, range) and outcome (hit, miss), and store errors',
    labelNames: ['cache', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly modelInference = new Histogram({
    name: 'cell_model_inference_duration_seconds',
    help: 'Calls to the model server by model and outcome (ok, unavailable, deadline, invalid_input, not_found, circuit_open, failed)',
    labelNames: ['model', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 180],
    registers: [this.registry],
  });

  readonly pushes = new Counter({
    name: 'cell_pushes_total',
    help: 'Push notifications by channel (fcm, webpush) and outcome (sent, gone, retried, dead_lettered)',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly paymentsConsumed = new Counter({
    name: 'cell_payments_consumed_total',
    help: 'Payment events taken from the stream, by provider and what became of them',
    labelNames: ['provider', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly liveEmitLag = new Histogram({
    name: 'cell_live_emit_lag_seconds',
    help: 'From a committed change to its Socket.IO emit (its number in the journal included), by event',
    labelNames: ['event'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });

  readonly socketConnections = new Gauge({
    name: 'cell_socket_connections',
    help: 'Socket.IO connections open on this process',
    registers: [this.registry],
  });

  readonly paymentsPending = new Gauge({
    name: 'cell_payments_consumer_pending',
    help: 'Payment events in the stream not yet delivered to this process’s consumers, as of each consumer’s last delivery (the consumer lag)',
    registers: [this.registry],
  });

  constructor(cellName: string, pool: () => Pool | undefined) {
    this.registry.setDefaultLabels({ cell: cellName });
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
    poolGauge('cell_db_pool_connections', 'Connections open in the application pool', (p) => p.totalCount);
    poolGauge('cell_db_pool_idle_connections', 'Idle connections in the application pool', (p) => p.idleCount);
    poolGauge('cell_db_pool_waiting_requests', 'Requests waiting for a pooled connection', (p) => p.waitingCount);
  }

  operationLabel(name: string | null | undefined): string {
    if (!name || !OPERATION_NAME.test(name)) return 'anonymous';
    if (this.knownOperations.has(name)) return name;
    if (this.knownOperations.size >= CellMetrics.MAX_OPERATIONS) return 'other';
    this.knownOperations.add(name);
    return name;
  }
}
