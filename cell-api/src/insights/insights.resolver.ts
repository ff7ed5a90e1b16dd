import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { daysBetween } from '@localstore/common';
import type { AuthorizedContext } from '../graphql/request-context';
import { UuidArg } from '../graphql/uuid-arg';
import { DashboardErrorCode, DashboardException } from '../dashboard/dashboard.exception';
import { Location } from '../locations/location.types';
import { LocationsService } from '../locations/locations.service';
import type { StoredAnomaly, StoredForecast, StoredRecommendation } from './insights.repository';
import { InsightsService, type NamedLocation } from './insights.service';
import {
  AnomaliesArgs,
  Anomaly,
  DismissArgs,
  ForecastArgs,
  ForecastDay,
  InsightsRefresh,
  PriceSuggestion,
  PricingArgs,
  Recommendation,
  RecommendationsArgs,
} from './insights.types';

const MAX_ANOMALY_DAYS = 92;

const asLocationRef = (location: Location): NamedLocation => ({
  id: location.id,
  name: location.name,
  timezone: location.timezone,
  lunarObservances: location.lunarObservances,
});

/** What the models say about a location: forecasts, advice, odd hours; and the owner's decisions. */
@Resolver(() => Location)
export class InsightsResolver {
  constructor(
    private readonly insights: InsightsService,
    private readonly locations: LocationsService,
  ) {}

  @ResolveField(() => [ForecastDay], {
    description: 'The last stored forecast from today on, per item and day (the models are not called).',
  })
  async forecast(@Parent() location: Location, @Args() args: ForecastArgs, @Context() ctx: AuthorizedContext): Promise<ForecastDay[]> {
    return (await this.insights.forecast(ctx.db, asLocationRef(location), args.days, args.itemId)).map(forecastDay);
  }

  @ResolveField(() => [Recommendation], {
    description: 'Owners and managers: pending advice first (most urgent first), then the last 30 days’ decided ones.',
  })
  async recommendations(
    @Parent() location: Location,
    @Args() args: RecommendationsArgs,
    @Context() ctx: AuthorizedContext,
  ): Promise<Recommendation[]> {
    ctx.principal.assertRole('owner', 'manager');
    return (await this.insights.recommendations(ctx.db, location.id, args.status ?? null)).map(recommendation);
  }

  @ResolveField(() => [Anomaly], { description: 'Owners and managers: anomalies detected between two local business dates, newest first.' })
  async anomalies(@Parent() location: Location, @Args() args: AnomaliesArgs, @Context() ctx: AuthorizedContext): Promise<Anomaly[]> {
    ctx.principal.assertRole('owner', 'manager');
    const days = daysBetween(args.from, args.to) + 1;
    if (days < 1 || days > MAX_ANOMALY_DAYS)
      throw new DashboardException(DashboardErrorCode.INVALID_DATE_RANGE, 'to', { maxDays: MAX_ANOMALY_DAYS });
    return (await this.insights.anomalies(ctx.db, location.id, args.from, args.to)).map(anomaly);
  }

  @Query(() => [PriceSuggestion], {
    description:
      'Owners: a suggested price per item from the location’s own sales (and competitors’ prices, if given). Asks the models now.',
  })
  async pricingAnalysis(@Args() args: PricingArgs, @Context() ctx: AuthorizedContext): Promise<PriceSuggestion[]> {
    ctx.principal.assertRole('owner');
    const location = await this.locations.visibleLocation(ctx, args.locationId);
    return this.insights.pricing(ctx.db, asLocationRef(location), args.competitorPrices ?? []);
  }

  @Mutation(() => InsightsRefresh, { description: 'Owners and managers: forecast and advise now rather than waiting for the night.' })
  async refreshInsights(
    @Args('locationId', { type: () => ID }, UuidArg) locationId: string,
    @Context() ctx: AuthorizedContext,
  ): Promise<InsightsRefresh> {
    ctx.principal.assertRole('owner', 'manager');
    const location = await this.locations.visibleLocation(ctx, locationId);
    const outcome = await this.insights.refresh(ctx.db, asLocationRef(location));
    return { forecastRows: outcome.forecastRows, newRecommendations: outcome.newRecommendations.map(recommendation) };
  }

  @Mutation(() => Recommendation, { description: 'Owners and managers: take the advice.' })
  async approveRecommendation(
    @Args('id', { type: () => ID }, UuidArg) id: string,
    @Context() ctx: AuthorizedContext,
  ): Promise<Recommendation> {
    ctx.principal.assertRole('owner', 'manager');
    return recommendation(
      await this.insights.decide(
        ctx.db,
        id,
        'approved',
        ctx.principal.userId,
        null,
        (locationId) => locationId && ctx.principal.assertLocation(locationId, 'id'),
      ),
    );
  }

  @Mutation(() => Recommendation, {
    description: 'Owners and managers: decline the advice; advice of a kind dismissed often comes lower and less often.',
  })
  async dismissRecommendation(@Args() args: DismissArgs, @Context() ctx: AuthorizedContext): Promise<Recommendation> {
    ctx.principal.assertRole('owner', 'manager');
    const reason = args.reason?.trim() || null;
    return recommendation(
      await this.insights.decide(
        ctx.db,
        args.id,
        'dismissed',
        ctx.principal.userId,
        reason,
        (locationId) => locationId && ctx.principal.assertLocation(locationId, 'id'),
      ),
    );
  }
}

function forecastDay(row: StoredForecast): ForecastDay {
  return {
    date: row.businessDate,
    itemId: row.itemId,
    expected: row.expected,
    low: row.low,
    high: row.high,
    method: row.method,
    holiday: row.holiday || null,
    generatedAt: row.generatedAt,
  };
}

function recommendation(row: StoredRecommendation): Recommendation {
  return { ...row, details: JSON.stringify(row.payload) };
}

function anomaly(row: StoredAnomaly): Anomaly {
  const reason = typeof row.details.reason === 'string' && row.details.reason ? row.details.reason : null;
  return { ...row, reason, details: JSON.stringify(row.details) };
}
