import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { CacheStore } from '../cache/cache-store';
import { CACHE_STORE, ROOT_LOGGER } from '../config/cell-config.token';
import { CellMetrics } from '../observability/cell-metrics';
import type { StoredRecommendation } from './insights.repository';

/** The design's 5 minutes; new advice and every decision make the entry stale at once. */
const RECOMMENDATIONS_TTL_SECONDS = 300;

const scope = (tenantId: string, locationId: string) => `recs:${tenantId}:${locationId}`;

/**
 * A location's recommendation list in the cell's cache (Redis, or memory on one process),
 * under a version that new advice and decisions bump after their commit. A failing cache
 * is skipped: the list comes from SQL.
 */
@Injectable()
export class RecommendationsCache {
  constructor(
    @Inject(CACHE_STORE) private readonly store: CacheStore,
    private readonly metrics: CellMetrics,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  async list(
    tenantId: string,
    locationId: string,
    variant: string,
    load: () => Promise<StoredRecommendation[]>,
  ): Promise<StoredRecommendation[]> {
    let key: string | undefined;
    try {
      const [version] = await this.store.versions([scope(tenantId, locationId)]);
      key = `recs:${tenantId}:${locationId}:${version}:${variant}`;
      const [text] = await this.store.get([key]);
      if (text) {
        this.metrics.cacheRequests.inc({ cache: 'recommendations', outcome: 'hit' });
        return (JSON.parse(text) as StoredRecommendation[]).map(revive);
      }
    } catch (error) {
      this.failed(error);
      key = undefined;
    }
    this.metrics.cacheRequests.inc({ cache: 'recommendations', outcome: 'miss' });
    const rows = await load();
    if (key) await this.store.set([[key, JSON.stringify(rows)]], RECOMMENDATIONS_TTL_SECONDS).catch((error: unknown) => this.failed(error));
    return rows;
  }

  async invalidate(tenantId: string, locationId: string): Promise<void> {
    await this.store.bump([scope(tenantId, locationId)]).catch((error: unknown) => this.failed(error));
  }

  private failed(error: unknown): void {
    this.metrics.cacheRequests.inc({ cache: 'recommendations', outcome: 'error' });
    this.logger.warn({ err: error }, 'recommendations cache unavailable; reading the database');
  }
}

function revive(row: StoredRecommendation): StoredRecommendation {
  return { ...row, createdAt: new Date(row.createdAt), decidedAt: row.decidedAt ? new Date(row.decidedAt) : null };
}
