import { createHash } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { localDateHour, VN_TIME_ZONE } from '@localstore/common';
import { type Job, Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import type { CellConfig } from '../config/cell-config';
import { CELL_CONFIG, ROOT_LOGGER } from '../config/cell-config.token';
import { withTenantTransaction } from '@localstore/cell-db';
import { InsightsService } from './insights.service';
import { locationsOf, type ServedLocation, servedLocations } from './served-locations';

const QUEUE = 'insights';
const NIGHTLY = 'nightly';
const REFRESH = 'refresh';
/** Catch-up refreshes carry their own job ids: the night's completed job of the same date is kept and would swallow them. */
const CATCH_UP = 'catch-up';
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
    // A cell that was down (or not yet up) at midnight catches up with today's run.
    void this.catchUp().catch((error: unknown) => this.logger.warn({ err: error }, 'catching up with tonight’s insights failed'));
  }

  /**
   * Queues today's refresh of every served location whose forecast was not made today,
   * one after another without the night's spread: the night is over, and the workers'
   * concurrency of one already keeps the model server's load to one call per process.
   */
  async catchUp(now = new Date()): Promise<RefreshJob[]> {
    const date = localDateHour(now, VN_TIME_ZONE).businessDate;
    const stale: ServedLocation[] = [];
    for (const location of await servedLocations(this.dataSource)) {
      const [row] = await withTenantTransaction(this.dataSource, location.tenantId, (db) =>
        db.query<{ fresh: boolean }>(
          `SELECT coalesce(max(generated_at) >= ($2::date)::timestamp AT TIME ZONE $3, false) AS fresh FROM demand_forecasts WHERE location_id = $1`,
          [location.id, date, VN_TIME_ZONE],
        ),
      );
      if (!row?.fresh) stale.push(location);
    }
    return this.queueRefreshes(stale, date, false);
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
    return this.queueRefreshes(await servedLocations(this.dataSource), localDateHour(now, VN_TIME_ZONE).businessDate);
  }

  private async queueRefreshes(locations: readonly ServedLocation[], date: string, spread = true): Promise<RefreshJob[]> {
    const jobs = locations.map((location) => ({ tenantId: location.tenantId, locationId: location.id, date }));
    if (jobs.length === 0) return jobs;
    if (this.queue) {
      await this.queue.addBulk(
        jobs.map((data) => ({
          name: REFRESH,
          data,
          opts: {
            jobId: `${spread ? REFRESH : CATCH_UP}:${data.locationId}:${date}`,
            delay: spread ? this.delayOf(data.locationId) : 0,
            attempts: 4,
            backoff: { type: 'exponential', delay: 60_000 },
            removeOnComplete: 1_000,
            removeOnFail: 1_000,
          },
        })),
      );
    } else {
      const before = this.running ?? Promise.resolve();
      this.running = before.then(() => this.runInProcess(jobs, spread));
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
      this.logger.info(
        {
          tenant_id: job.tenantId,
          location_id: job.locationId,
          forecast_rows: outcome.forecastRows,
          new_recommendations: outcome.newRecommendations.length,
        },
        'insights refreshed',
      );
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
    this.worker.on('failed', (job, error) =>
      this.logger.warn({ err: error, job: job?.name, attempts: job?.attemptsMade }, 'insights job failed'),
    );
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

  private async runInProcess(jobs: RefreshJob[], spread: boolean): Promise<void> {
    const gapMs = spread && jobs.length > 0 ? (this.config.insights.spreadMinutes * 60_000) / jobs.length : 0;
    for (const job of jobs) {
      if (this.stopped) return;
      await this.refreshLocation(job).catch((error: unknown) =>
        this.logger.warn({ err: error, location_id: job.locationId }, 'nightly insights of a location failed'),
      );
      await new Promise((resolve) => setTimeout(resolve, gapMs).unref());
    }
  }
}
