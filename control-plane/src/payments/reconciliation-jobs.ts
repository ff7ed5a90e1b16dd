import { isPaymentProvider } from '@localstore/common';
import { type Job, Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import type { PaymentReconciler } from './payment-reconciler';

const QUEUE = 'payments-reconcile';

interface QueryJob {
  provider: string;
  orderRef: string;
}

/**
 * Runs reconciliation on a schedule. With Redis: BullMQ — a job scheduler starts a sweep
 * every interval (one sweep across all replicas), the sweep adds one job per payment due,
 * each retried with exponential backoff; a job that fails every attempt stays in the
 * queue's failed set, the dead-letter list, until an operator retries or removes it.
 * Without Redis (one machine): a timer runs the same sweep in this process.
 */
export class ReconciliationJobs {
  private queue?: Queue;
  private worker?: Worker;
  private connection?: Redis;
  private timer?: NodeJS.Timeout;
  private readonly outcomes: Counter<'outcome'>;

  constructor(
    private readonly reconciler: PaymentReconciler,
    private readonly options: { redisUrl?: string; keyPrefix: string; intervalSeconds: number; attempts?: number; backoffMs?: number },
    private readonly logger: Logger,
    registry: Registry,
  ) {
    this.outcomes = new Counter({
      name: 'payment_reconciliations_total',
      help: 'Payments asked about by reconciliation, by what became of them',
      labelNames: ['outcome'],
      registers: [registry],
    });
  }

  async start(): Promise<void> {
    const intervalMs = this.options.intervalSeconds * 1000;
    if (!this.options.redisUrl) {
      const tick = () => void this.sweepInProcess().finally(() => (this.timer = setTimeout(tick, intervalMs)));
      this.timer = setTimeout(tick, intervalMs);
      return;
    }
    this.connection = new Redis(this.options.redisUrl, { maxRetriesPerRequest: null });
    this.connection.on('error', (error: Error) => this.logger.warn({ err: error }, 'reconciliation redis connection error'));
    const prefix = `${this.options.keyPrefix}bull`;
    this.queue = new Queue(QUEUE, { connection: this.connection, prefix });
    this.worker = new Worker(QUEUE, (job: Job) => this.process(job), { connection: this.connection.duplicate(), prefix, concurrency: 4 });
    this.worker.on('failed', (job, error) => {
      if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
        this.outcomes.inc({ outcome: 'dead_lettered' });
        this.logger.error({ err: error, job: job.name, data: job.data }, 'reconciliation gave up on a payment; it stays in the failed set');
      }
    });
    this.worker.on('error', (error) => this.logger.warn({ err: error }, 'reconciliation worker error'));
    await this.queue.upsertJobScheduler('sweep', { every: intervalMs }, { name: 'sweep' });
  }

  /** Runs one sweep now (and waits for its queries, without Redis). */
  async sweepNow(): Promise<void> {
    if (this.queue) await this.queue.add('sweep', {}, { removeOnComplete: true, removeOnFail: 100 });
    else await this.sweepInProcess();
  }

  /** The dead-letter list: query jobs that failed every attempt. */
  async deadLetters(): Promise<QueryJob[]> {
    if (!this.queue) return [];
    return (await this.queue.getFailed()).filter((job) => job.name === 'query').map((job) => job.data as QueryJob);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    await this.worker?.close();
    await this.queue?.close();
    await this.connection?.quit().catch(() => this.connection?.disconnect());
  }

  private async process(job: Job): Promise<void> {
    if (job.name === 'sweep') {
      const due = await this.reconciler.due();
      await this.queue!.addBulk(
        due.map((intent) => ({
          name: 'query',
          data: { provider: intent.provider, orderRef: intent.orderRef } satisfies QueryJob,
          // One job per payment at a time: a later sweep does not add it twice.
          opts: {
            jobId: `query-${intent.provider}-${intent.orderRef}`,
            attempts: this.options.attempts ?? 5,
            backoff: { type: 'exponential', delay: this.options.backoffMs ?? 5_000 },
            removeOnComplete: true,
            removeOnFail: false,
          },
        })),
      );
      return;
    }
    const { provider, orderRef } = job.data as QueryJob;
    if (!isPaymentProvider(provider) || typeof orderRef !== 'string') return;
    this.outcomes.inc({ outcome: await this.reconciler.reconcile(provider, orderRef) });
  }

  private async sweepInProcess(): Promise<void> {
    try {
      for (const intent of await this.reconciler.due()) {
        try {
          this.outcomes.inc({ outcome: await this.reconciler.reconcile(intent.provider, intent.orderRef) });
        } catch (error) {
          this.outcomes.inc({ outcome: 'failed' });
          this.logger.warn(
            { err: error, provider: intent.provider, order_ref: intent.orderRef },
            'reconciliation query failed; asked again next sweep',
          );
        }
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'reconciliation sweep failed');
    }
  }
}
