import { createHash } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { localDateHour, VN_TIME_ZONE } from '@localstore/common';
import { type Job, Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import type { CellConfig } from '../config/cell-config';
import { CELL_CONFIG, ROOT_LOGGER } from '../config/cell-config.token';
import { withTenantTransaction } from '../database/tenant-transaction';
import { InsightsService } from './insights.service';
import { locationsOf, servedLocations } from './served-locations';

const QUEUE = 'insights';
const NIGHTLY = 'nightly';
const REFRESH = 'refresh';
/** Local midnight in Vietnam, every day. */
const NIGHTLY_PATTERN = '0 0 * * *';
const DAY_MS = 86_400_000;
/** Vietnam keeps UTC+7 all year (no daylight saving). */
const VN_OFFSET_MS = 7 * 3_600_000;

export interface RefreshJob {
  tenantId: string;
  locationId: string;
  /** The business date the night's run is for (the job id carries it, so it runs once). */
  date: string;
}

/**
 * The nightly forecasts and recommendations: at 00:00 Asia/Ho_Chi_Minh one job lists the
 * locations this cell serves and queues one refresh per location, each delayed by a
 * stable share of the spread window, so a cell's locations (and the cells among them)
 * do not all call the model server in the same minute.
 *
 * With Redis: a BullMQ job scheduler (one however many processes register it) and a
 * queue every process works at concurrency one; a refresh that fails (the model server
 * down) is retried with backoff. Without Redis (one process): a timer to the next local
 * midnight, the refreshes run one after another over the same window.
 */
@Injectable()
export class NightlyInsights implements OnApplicationBootstrap, OnModuleDestroy {
  private queue?: Queue;
  private worker?: Worker;
  private connection?: Redis;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    @Inject(CELL_CONFIG) private readonly config: CellConfig,
    private readonly dataSource: DataSource,
    private readonly insights: InsightsService,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.insights.nightly) return;
    if (this.config.redis) await this.startQueue(this.config.redis);
    else this.armTimer();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
    await this.worker?.close();
    await this.queue?.close();
    await this.connection?.quit().catch(() => this.connection?.disconnect());
  }

  /** The night's fan-out: one refresh per served location, spread over the window. */
  async runNight(now = new Date()): Promise<RefreshJob[]> {
    const date = localDateHour(now, VN_TIME_ZONE).businessDate;
    const locations = await servedLocations(this.dataSource);
    const jobs = locations.map((location) => ({ tenantId: location.tenantId, locationId: location.id, date }));
    if (this.queue) {
      await this.queue.addBulk(
        jobs.map((data) => ({
          name: REFRESH,
          data,
          opts: { jobId: `${REFRESH}:${data.locationId}:${date}`, delay: this.delayOf(data.locationId), attempts: 4, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: 1_000, removeOnFail: 1_000 },
        })),
      );
    } else {
      this.running = this.runInProcess(jobs);
    }
    this.logger.info({ locations: jobs.length, date }, 'nightly insights queued');
    return jobs;
  }

  /** One location's refresh in its own tenant transaction. */
  async refreshLocation(job: RefreshJob, now = new Date()): Promise<void> {
    await withTenantTransaction(this.dataSource, job.tenantId, async (db) => {
      const [location] = await locationsOf(db, job.locationId);
      if (!location) return; // gone, or the tenant moved away meanwhile
      const outcome = await this.insights.refresh(db, location, now);
      this.logger.info({ tenant_id: job.tenantId, location_id: job.locationId, forecast_rows: outcome.forecastRows, new_recommendations: outcome.newRecommendations.length }, 'insights refreshed');
    });
  }

  /** The BullMQ scheduler's entry, for the tests and the operators' eyes. */
  async scheduler(): Promise<{ pattern?: string | null; tz?: string | null } | undefined> {
    return (await this.queue?.getJobSchedulers())?.find((s) => s.key === NIGHTLY || s.name === NIGHTLY) ?? undefined;
  }

  private delayOf(locationId: string): number {
    const spreadMs = this.config.insights.spreadMinutes * 60_000;
    const share = createHash('sha256').update(locationId).digest().readUInt32BE(0) / 0x1_0000_0000;
    return Math.floor(share * spreadMs);
  }

  private async startQueue(redis: { url: string; keyPrefix: string }): Promise<void> {
    this.connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    this.connection.on('error', (error: Error) => this.logger.warn({ err: error }, 'insights queue redis connection error'));
    const prefix = `${redis.keyPrefix}bull`;
    this.queue = new Queue(QUEUE, { connection: this.connection, prefix });
    await this.queue.upsertJobScheduler(NIGHTLY, { pattern: NIGHTLY_PATTERN, tz: VN_TIME_ZONE }, { name: NIGHTLY });
    this.worker = new Worker(
      QUEUE,
      async (job: Job) => {
        if (job.name === NIGHTLY) await this.runNight(new Date(job.timestamp));
        else await this.refreshLocation(job.data as RefreshJob);
      },
      { connection: this.connection.duplicate(), prefix, concurrency: 1 },
    );
    this.worker.on('failed', (job, error) => this.logger.warn({ err: error, job: job?.name, attempts: job?.attemptsMade }, 'insights job failed'));
    this.worker.on('error', (error) => this.logger.warn({ err: error }, 'insights worker error'));
  }

  private armTimer(now = Date.now()): void {
    if (this.stopped) return;
    const nextMidnight = Math.floor((now + VN_OFFSET_MS) / DAY_MS + 1) * DAY_MS - VN_OFFSET_MS;
    this.timer = setTimeout(() => {
      void this.runNight().catch((error: unknown) => this.logger.error({ err: error }, 'nightly insights failed'));
      this.armTimer();
    }, nextMidnight - now);
    this.timer.unref();
  }

  private async runInProcess(jobs: RefreshJob[]): Promise<void> {
    const gapMs = jobs.length > 0 ? (this.config.insights.spreadMinutes * 60_000) / jobs.length : 0;
    for (const job of jobs) {
      if (this.stopped) return;
      await this.refreshLocation(job).catch((error: unknown) => this.logger.warn({ err: error, location_id: job.locationId }, 'nightly insights of a location failed'));
      await new Promise((resolve) => setTimeout(resolve, gapMs).unref());
    }
  }
}
