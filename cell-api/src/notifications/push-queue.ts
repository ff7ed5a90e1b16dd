import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { type Job, Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import type { CellConfig } from '../config/cell-config';
import { CELL_CONFIG, ROOT_LOGGER } from '../config/cell-config.token';
import { withTenantTransaction } from '@localstore/cell-db';
import { CellMetrics } from '../observability/cell-metrics';
import { FcmSender } from './fcm-sender';
import { PushDevicesRepository } from './push-devices.repository';
import type { PushMessage, PushOutcome } from './push-message';
import { WebPushSender } from './web-push-sender';

export interface PushJob {
  tenantId: string;
  deviceId: string;
  message: PushMessage;
}

const QUEUE = 'push';

/**
 * Sends pushes as jobs. With Redis: a BullMQ queue shared by the cell's processes, each
 * job retried with exponential backoff; one that fails every attempt stays in the failed
 * set (the dead-letter list). Without Redis (one process): sent in the background with the
 * same retries. A device the provider calls gone is pruned.
 */
@Injectable()
export class PushQueue implements OnModuleDestroy {
  private readonly fcm?: FcmSender;
  private readonly webPush?: WebPushSender;
  private queue?: Queue;
  private worker?: Worker;
  private connection?: Redis;
  private readonly inProcess = new Set<Promise<void>>();

  constructor(
    @Inject(CELL_CONFIG) private readonly config: CellConfig,
    private readonly dataSource: DataSource,
    private readonly devices: PushDevicesRepository,
    private readonly metrics: CellMetrics,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {
    const { fcm, webPush, allowHttpEndpoints } = config.notifications;
    if (fcm) this.fcm = new FcmSender(fcm);
    if (webPush) this.webPush = new WebPushSender(webPush, allowHttpEndpoints);
  }

  /** Whether a device of this kind can be reached at all (its channel is configured). */
  canSend(kind: 'fcm' | 'webpush'): boolean {
    return kind === 'fcm' ? this.fcm !== undefined : this.webPush !== undefined;
  }

  async enqueue(jobs: PushJob[]): Promise<void> {
    if (jobs.length === 0) return;
    const queue = this.redisQueue();
    if (queue) {
      await queue.addBulk(
        jobs.map((data) => ({
          name: 'push',
          data,
          opts: {
            attempts: this.config.notifications.attempts,
            backoff: { type: 'exponential', delay: this.config.notifications.backoffMs },
            removeOnComplete: 1_000,
            removeOnFail: false,
          },
        })),
      );
      return;
    }
    for (const job of jobs) {
      const run = this.withRetries(job).finally(() => this.inProcess.delete(run));
      this.inProcess.add(run);
    }
  }

  /** The dead-letter list: pushes that failed every attempt (Redis only). */
  async deadLetters(): Promise<PushJob[]> {
    return (await this.redisQueue()?.getFailed())?.map((job) => job.data as PushJob) ?? [];
  }

  /**
   * Pushes not settled yet: waiting, being sent, or waiting for a retry. Once none is left,
   * every push enqueued so far has been sent or given up, so one that must not be sent cannot
   * still arrive: what a test waits for before checking that a push did not go out.
   */
  async unsettled(): Promise<number> {
    const queue = this.redisQueue();
    if (!queue) return this.inProcess.size;
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    return Object.values(counts).reduce((sum, count) => sum + count, 0);
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.allSettled([...this.inProcess]);
    await this.worker?.close();
    await this.queue?.close();
    await this.connection?.quit().catch(() => this.connection?.disconnect());
  }

  private redisQueue(): Queue | undefined {
    if (!this.config.redis || this.queue) return this.queue;
    this.connection = new Redis(this.config.redis.url, { maxRetriesPerRequest: null });
    this.connection.on('error', (error: Error) => this.logger.warn({ err: error }, 'push queue redis connection error'));
    const prefix = `${this.config.redis.keyPrefix}bull`;
    this.queue = new Queue(QUEUE, { connection: this.connection, prefix });
    this.worker = new Worker(QUEUE, (job: Job) => this.deliver(job.data as PushJob), {
      connection: this.connection.duplicate(),
      prefix,
      concurrency: 8,
    });
    this.worker.on('failed', (job, error) => {
      if (job && job.attemptsMade >= this.config.notifications.attempts) {
        this.metrics.pushes.inc({ kind: 'any', outcome: 'dead_lettered' });
        this.logger.error(
          { err: error, tenant_id: (job.data as PushJob).tenantId },
          'push gave up after every attempt; it stays in the failed set',
        );
      }
    });
    this.worker.on('error', (error) => this.logger.warn({ err: error }, 'push worker error'));
    return this.queue;
  }

  private async withRetries(job: PushJob): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.deliver(job);
        return;
      } catch (error) {
        if (attempt >= this.config.notifications.attempts) {
          this.metrics.pushes.inc({ kind: 'any', outcome: 'dead_lettered' });
          this.logger.error({ err: error, tenant_id: job.tenantId }, 'push gave up after every attempt');
          return;
        }
        await new Promise((r) => setTimeout(r, this.config.notifications.backoffMs * 2 ** (attempt - 1)));
      }
    }
  }

  /** One device: sends, prunes it if gone, throws for a retry. */
  private async deliver(job: PushJob): Promise<void> {
    const device = await withTenantTransaction(this.dataSource, job.tenantId, (db) => this.devices.byId(db, job.deviceId));
    if (!device) return; // unregistered meanwhile
    let outcome: PushOutcome;
    try {
      if (device.kind === 'fcm') {
        if (!this.fcm) return;
        outcome = await this.fcm.send(device.token, job.message);
      } else {
        if (!this.webPush) return;
        outcome = await this.webPush.send({ endpoint: device.token, p256dh: device.p256dh!, auth: device.auth! }, job.message);
      }
    } catch (error) {
      this.metrics.pushes.inc({ kind: device.kind, outcome: 'retried' });
      throw error;
    }
    this.metrics.pushes.inc({ kind: device.kind, outcome });
    await withTenantTransaction(this.dataSource, job.tenantId, (db) =>
      outcome === 'gone' ? this.devices.prune(db, device.id) : this.devices.markSent(db, device.id),
    );
    if (outcome === 'gone') this.logger.info({ tenant_id: job.tenantId, kind: device.kind }, 'push device gone; pruned');
  }
}
