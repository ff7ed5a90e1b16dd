import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { addDays, localDateHour } from '@localstore/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import type { CellConfig } from '../config/cell-config';
import { CELL_CONFIG, ROOT_LOGGER } from '../config/cell-config.token';
import { withTenantTransaction } from '@localstore/cell-db';
import { renderMessage } from '../errors/messages/catalog';
import { EventBus } from '../events/event-bus';
import { UnitOfWork } from '../events/unit-of-work';
import { InferenceError } from '../integrations/inference/inference-client';
import { ModelOperations } from '../integrations/model-operations';
import { NotificationsService } from '../notifications/notifications.service';
import { InsightsRepository } from './insights.repository';
import { locationsOf } from './served-locations';

interface LocalHour {
  businessDate: string;
  hour: number;
}

interface Watched {
  tenantId: string;
  locationId: string;
  lastActivity: Date;
  /** The first local hour not yet judged. */
  next?: LocalHour;
  firstSeen: Date;
}

/** How often closed hours are looked for. */
const TICK_MS = 60_000;
/** A location quiet this long is let go (closed for the night); its next sale brings it back. */
const FORGET_AFTER_MS = 6 * 3_600_000;
/** Hours judged at most in one call (a watch that fell behind catches up a day at most). */
const MAX_HOURS_PER_CALL = 24;

const after = (h: LocalHour): LocalHour =>
  h.hour === 23 ? { businessDate: addDays(h.businessDate, 1), hour: 0 } : { businessDate: h.businessDate, hour: h.hour + 1 };
const before = (a: LocalHour, b: LocalHour) => a.businessDate < b.businessDate || (a.businessDate === b.businessDate && a.hour < b.hour);

/**
 * The design's StreamSalesData, as the cell feeds it: every sale, void and payment this
 * process records marks its location as live; once a minute, the hours of live locations
 * that have closed since are sent to the anomaly model in one small batch per location,
 * so an odd hour (MoMo payments gone quiet, a run of voids, a dead lunch) is flagged a
 * minute or so after it ends. A flagged hour is recorded once (several processes may judge
 * it), shown on the location's screens and pushed to owners with no screen open.
 */
@Injectable()
export class AnomalyWatch implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly watched = new Map<string, Watched>();
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<void>;

  constructor(
    @Inject(CELL_CONFIG) private readonly config: CellConfig,
    private readonly dataSource: DataSource,
    private readonly models: ModelOperations,
    private readonly insights: InsightsRepository,
    private readonly bus: EventBus,
    private readonly work: UnitOfWork,
    private readonly notifications: NotificationsService,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.insights.anomalyWatch) return;
    for (const event of ['sale.recorded', 'order.voided', 'payment.received'] as const) {
      this.bus.subscribe(event, (tenantId, { locationId }) => this.note(tenantId, locationId, new Date()), { label: 'AnomalyWatch' });
    }
    this.timer = setInterval(() => void this.tick(), TICK_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking?.catch(() => undefined);
  }

  note(tenantId: string, locationId: string, at: Date): void {
    const key = `${tenantId}:${locationId}`;
    const entry = this.watched.get(key);
    if (entry) entry.lastActivity = at;
    else this.watched.set(key, { tenantId, locationId, lastActivity: at, firstSeen: at });
  }

  /** Judges every closed hour of the watched locations; one tick at a time. */
  tick(now = new Date()): Promise<void> {
    this.ticking ??= this.judgeAll(now).finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  private async judgeAll(now: Date): Promise<void> {
    for (const [key, entry] of this.watched) {
      try {
        await this.judge(entry, now);
      } catch (error) {
        // The model server down (or the breaker open): the hours wait for the next tick.
        const level = error instanceof InferenceError ? 'info' : 'warn';
        this.logger[level]({ err: error, tenant_id: entry.tenantId, location_id: entry.locationId }, 'could not judge closed hours yet');
      }
      if (now.getTime() - entry.lastActivity.getTime() > FORGET_AFTER_MS) this.watched.delete(key);
    }
  }

  private async judge(entry: Watched, now: Date): Promise<void> {
    await withTenantTransaction(this.dataSource, entry.tenantId, async (db) => {
      const [location] = await locationsOf(db, entry.locationId);
      if (!location) return;
      const current = localDateHour(now, location.timezone);
      entry.next ??= localDateHour(entry.firstSeen, location.timezone);
      const closed: LocalHour[] = [];
      for (let hour = entry.next; before(hour, current) && closed.length < MAX_HOURS_PER_CALL; hour = after(hour)) closed.push(hour);
      if (closed.length === 0) return;
      const verdicts = await this.models.scoreHours(db, location, closed, now);
      entry.next = after(closed.at(-1)!);
      for (const verdict of verdicts.filter((v) => v.anomalous)) {
        const recorded = await this.insights.recordHourlyAnomaly(db, location.id, verdict);
        if (!recorded) continue;
        const push = await this.notifications.ownerPush(db, {
          title: renderMessage('vi', 'PUSH_ANOMALY_TITLE', { location: location.name }),
          body: verdict.reason,
          data: { kind: 'anomaly', anomalyId: recorded.id, locationId: location.id },
        });
        this.work.publish(db, 'anomaly.detected', {
          anomalyId: recorded.id,
          locationId: location.id,
          kind: 'hourly_pattern',
          severity: 'warning',
          reason: 'HOURLY_ANOMALY',
          message: verdict.reason,
          detectedAt: new Date(recorded.detectedAt).toISOString(),
        });
        this.work.afterCommit(db, push);
      }
    });
  }
}
