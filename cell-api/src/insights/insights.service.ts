import { Inject, Injectable } from '@nestjs/common';
import { addDays, localDateHour } from '@localstore/common';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../config/cell-config.token';
import type { TenantDb } from '@localstore/cell-db';
import { renderMessage } from '../errors/messages/catalog';
import { UnitOfWork } from '../events/unit-of-work';
import { InferenceError } from '../integrations/inference/inference-client';
import { type LocationRef, MAX_FORECAST_DAYS, ModelOperations, type PriceSuggestion } from '../integrations/model-operations';
import { NotificationsService } from '../notifications/notifications.service';
import { InsightsRepository, type StoredAnomaly, type StoredForecast, type StoredRecommendation } from './insights.repository';
import {
  InsightsErrorCode,
  InsightsUnavailableException,
  RecommendationConflictCode,
  RecommendationDecidedException,
  RecommendationErrorCode,
  RecommendationNotFoundException,
} from './insights.exception';
import { RecommendationsCache } from './recommendations-cache';

/** The sales a night's recommendations look at: the last four weeks. */
const ADVICE_WINDOW_DAYS = 28;
const RECOMMENDATIONS_SHOWN = 50;
const ANOMALIES_SHOWN = 200;

export interface RefreshOutcome {
  forecastRows: number;
  newRecommendations: StoredRecommendation[];
}

export type NamedLocation = LocationRef & { name: string };

/**
 * Forecasts, recommendations and anomalies of a location: asks the models (nightly, or
 * when an owner asks), stores what they say, and reads it back for the screens. Reading
 * never calls a model, so the dashboards and the last forecast stay up with the model
 * server down.
 */
@Injectable()
export class InsightsService {
  constructor(
    private readonly models: ModelOperations,
    private readonly insights: InsightsRepository,
    private readonly cache: RecommendationsCache,
    private readonly work: UnitOfWork,
    private readonly notifications: NotificationsService,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Today's and the next days' forecast for every item, then today's advice from it; new
   * advice is announced (socket, and a push to owners with no screen open) after commit.
   */
  async refresh(db: TenantDb, location: NamedLocation, now = new Date()): Promise<RefreshOutcome> {
    const today = localDateHour(now, location.timezone).businessDate;
    const forecasts = await this.modelCall(() => this.models.predictDemand(db, location, 'all', MAX_FORECAST_DAYS, now));
    await this.insights.saveForecasts(db, location.id, forecasts);
    const advice = await this.modelCall(() =>
      this.models.getRecommendations(
        db,
        location,
        { from: addDays(today, -ADVICE_WINDOW_DAYS), to: addDays(today, -1) },
        today,
        forecasts,
        now,
      ),
    );
    const created = await this.insights.saveAdvice(db, location.id, today, advice);
    if (created.length > 0) {
      const push = await this.notifications.ownerPush(db, {
        title: renderMessage('vi', 'PUSH_RECOMMENDATIONS_TITLE', { location: location.name }),
        body: renderMessage('vi', created.length > 1 ? 'PUSH_RECOMMENDATIONS_BODY_MORE' : 'PUSH_RECOMMENDATIONS_BODY', {
          title: created[0]!.title,
          others: created.length - 1,
        }),
        data: { kind: 'recommendations', locationId: location.id, recommendationId: created[0]!.id },
      });
      const tenantId = db.tenantId;
      this.work.afterCommit(db, () => this.cache.invalidate(tenantId, location.id));
      for (const rec of created) {
        this.work.publish(db, 'recommendation.new', {
          recommendationId: rec.id,
          locationId: location.id,
          kind: rec.kind,
          title: rec.title,
          priority: rec.priority,
          createdAt: new Date(rec.createdAt).toISOString(),
        });
      }
      this.work.afterCommit(db, push);
    }
    return { forecastRows: forecasts.length, newRecommendations: created };
  }

  /** The stored forecast from today on; never calls a model. */
  forecast(db: TenantDb, location: LocationRef, days: number, itemId?: string, now = new Date()): Promise<StoredForecast[]> {
    return this.insights.forecasts(db, location.id, localDateHour(now, location.timezone).businessDate, days, itemId);
  }

  recommendations(db: TenantDb, locationId: string, status: string | null): Promise<StoredRecommendation[]> {
    return this.cache.list(db.tenantId, locationId, status ?? 'all', () =>
      this.insights.recommendations(db, locationId, status, RECOMMENDATIONS_SHOWN),
    );
  }

  async decide(
    db: TenantDb,
    id: string,
    status: 'approved' | 'dismissed',
    userId: string,
    reason: string | null,
    visible: (locationId: string | null) => void,
  ): Promise<StoredRecommendation> {
    const found = await this.insights.recommendation(db, id);
    if (!found) throw new RecommendationNotFoundException(RecommendationErrorCode.RECOMMENDATION_NOT_FOUND, 'id');
    visible(found.locationId);
    const decided = await this.insights.decide(db, id, status, userId, reason);
    if (!decided)
      throw new RecommendationDecidedException(RecommendationConflictCode.RECOMMENDATION_DECIDED, 'id', { status: found.status });
    await this.insights.audit(db, userId, `recommendation.${status}`, id, { kind: decided.kind, ...(reason ? { reason } : {}) });
    const tenantId = db.tenantId;
    if (decided.locationId) this.work.afterCommit(db, () => this.cache.invalidate(tenantId, decided.locationId!));
    return decided;
  }

  anomalies(db: TenantDb, locationId: string, from: string, to: string): Promise<StoredAnomaly[]> {
    return this.insights.anomalies(db, locationId, from, to, ANOMALIES_SHOWN);
  }

  pricing(db: TenantDb, location: LocationRef, competitorPrices: readonly { itemId: string; price: number }[]): Promise<PriceSuggestion[]> {
    return this.modelCall(() => this.models.analyzePricing(db, location, competitorPrices));
  }

  /** A model that cannot answer is the service being unavailable, whatever the reason. */
  private async modelCall<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof InferenceError)) throw error;
      // A refused request is our bug (the contract), not the owner's: log it loudly.
      if (error.kind === 'invalid_input' || error.kind === 'not_found')
        this.logger.error({ err: error }, 'the model server refused a request the cell built');
      throw new InsightsUnavailableException(InsightsErrorCode.MODELS_UNAVAILABLE, undefined, { kind: error.kind });
    }
  }
}
