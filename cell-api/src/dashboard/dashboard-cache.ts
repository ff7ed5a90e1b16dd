import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { localDateHour } from '@localstore/common';
import type { Logger } from 'pino';
import type { CacheStore } from '../cache/cache-store';
import { CACHE_STORE, ROOT_LOGGER } from '../config/cell-config.token';
import { CellMetrics } from '../observability/cell-metrics';
import type { RangeFigures } from './dashboard.repository';
import type { TodaySnapshot } from './dashboard.types';

/** The design's 60 s for dashboard figures; a change makes them stale at once anyway. */
const DASHBOARD_TTL_SECONDS = 60;

const locationScope = (tenantId: string, locationId: string) => `loc:${tenantId}:${locationId}`;
const tenantScope = (tenantId: string) => `tenant:${tenantId}`;

/**
 * Dashboard figures in Redis (or memory on one process). Each location's "today" lives under
 * the location's version and each range under the tenant's; a sale or a void bumps both
 * after its commit and before its answer, so a cached answer is never older than a sale a
 * client has been told about. A cache that fails is skipped: the figures come from SQL.
 */
@Injectable()
export class DashboardCache {
  constructor(
    @Inject(CACHE_STORE) private readonly store: CacheStore,
    private readonly metrics: CellMetrics,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  async todaySnapshots(
    tenantId: string,
    locationIds: readonly string[],
    load: (ids: readonly string[]) => Promise<TodaySnapshot[]>,
    now = new Date(),
  ): Promise<Map<string, TodaySnapshot>> {
    const found = new Map<string, TodaySnapshot>();
    let keys: string[] = [];
    try {
      const versions = await this.store.versions(locationIds.map((id) => locationScope(tenantId, id)));
      keys = locationIds.map((id, i) => `dash:today:${tenantId}:${id}:${versions[i]}`);
      const cached = await this.store.get(keys);
      cached.forEach((text, i) => {
        if (!text) return;
        const snapshot = JSON.parse(text) as TodaySnapshot;
        // "Today" ends at the location's midnight, whatever the entry's age.
        if (snapshot.location && snapshot.businessDate !== localDateHour(now, snapshot.location.timezone).businessDate) return;
        found.set(locationIds[i]!, snapshot);
      });
    } catch (error) {
      this.failed(error);
      keys = [];
    }
    this.count('today', found.size, locationIds.length - found.size);
    const missing = locationIds.filter((id) => !found.has(id));
    if (missing.length === 0) return found;
    const loaded = await load(missing);
    for (const snapshot of loaded) found.set(snapshot.locationId, snapshot);
    if (keys.length > 0) {
      const keyOf = new Map(locationIds.map((id, i) => [id, keys[i]!]));
      await this.store
        .set(
          loaded.map((s) => [keyOf.get(s.locationId)!, JSON.stringify(s)] as [string, string]),
          DASHBOARD_TTL_SECONDS,
        )
        .catch((error: unknown) => this.failed(error));
    }
    return found;
  }

  async rangeFigures(
    tenantId: string,
    locationIds: readonly string[],
    period: string,
    load: () => Promise<RangeFigures>,
  ): Promise<RangeFigures> {
    let key: string | undefined;
    try {
      const [version] = await this.store.versions([tenantScope(tenantId)]);
      const ids = createHash('sha256')
        .update([...locationIds].sort().join(','))
        .digest('hex')
        .slice(0, 32);
      key = `dash:range:${tenantId}:${version}:${ids}:${period}`;
      const [text] = await this.store.get([key]);
      if (text) {
        this.count('range', 1, 0);
        return JSON.parse(text) as RangeFigures;
      }
    } catch (error) {
      this.failed(error);
      key = undefined;
    }
    this.count('range', 0, 1);
    const figures = await load();
    if (key) await this.store.set([[key, JSON.stringify(figures)]], DASHBOARD_TTL_SECONDS).catch((error: unknown) => this.failed(error));
    return figures;
  }

  /** After a commit that changed a location's figures (a sale, a void). */
  async changed(tenantId: string, locationId: string): Promise<void> {
    try {
      await this.store.bump([locationScope(tenantId, locationId), tenantScope(tenantId)]);
    } catch (error) {
      // Cached figures may now be stale for up to the TTL: say so loudly.
      this.logger.error({ err: error, tenant_id: tenantId }, 'dashboard cache invalidation failed');
      this.metrics.cacheRequests.inc({ cache: 'invalidation', outcome: 'error' });
    }
  }

  private count(cache: 'today' | 'range', hits: number, misses: number): void {
    if (hits > 0) this.metrics.cacheRequests.inc({ cache, outcome: 'hit' }, hits);
    if (misses > 0) this.metrics.cacheRequests.inc({ cache, outcome: 'miss' }, misses);
  }

  private failed(error: unknown): void {
    this.logger.warn({ err: error }, 'dashboard cache unavailable; reading from the database');
    this.metrics.cacheRequests.inc({ cache: 'store', outcome: 'error' });
  }
}
