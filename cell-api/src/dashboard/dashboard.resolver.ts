import { Args, Context, ID, Info, Int, Parent, Query, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import { type GraphQLResolveInfo, Kind } from 'graphql';
import { LocationsService } from '../locations/locations.service';
import type { AuthorizedContext } from '../graphql/request-context';
import { MoneyScalar } from '../graphql/scalars';
import { UuidArg } from '../graphql/uuid-arg';
import { Location } from '../locations/location.types';
import { DashboardService } from './dashboard.service';
import { TOP_ITEMS_KEPT } from './dashboard.repository';
import { Dashboard, DateRangeInput, DayComparison, HourlyTrend, PaymentMixEntry, TopItem } from './dashboard.types';
import { LimitArg } from './limit-arg';
import type { DashboardDelta } from '@localstore/common';
import { LiveSubscriptions } from '../live/live-subscriptions';
import { DashboardUpdate } from '../live/live.types';

/** Fields of `Location` answered from today's snapshot. */
const DASHBOARD_FIELDS = new Set(['todayRevenue', 'todayOrders', 'averageTicket', 'hourlyTrends', 'topItems', 'paymentMix', 'comparison']);

function asksForDashboard(info: GraphQLResolveInfo): boolean {
  return info.fieldNodes.some((node) =>
    node.selectionSet?.selections.some((selection) => selection.kind !== Kind.FIELD || DASHBOARD_FIELDS.has(selection.name.value)),
  );
}

/** The live figures of a location, for today in its own time zone. */
@Resolver(() => Location)
export class LocationDashboardResolver {
  constructor(
    private readonly dashboard: DashboardService,
    private readonly locations: LocationsService,
  ) {}

  @Query(() => Location, { description: 'One location, with its live figures for today.' })
  location(
    @Args('id', { type: () => ID }, UuidArg) id: string,
    @Context() ctx: AuthorizedContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Location> {
    // With dashboard fields selected, the snapshot statement also brings the location.
    return asksForDashboard(info) ? this.dashboard.locationWithToday(ctx, id) : this.locations.visibleLocation(ctx, id, 'id');
  }

  @ResolveField(() => MoneyScalar, { description: "Revenue of today's completed orders, in đồng." })
  async todayRevenue(@Parent() location: Location, @Context() ctx: AuthorizedContext): Promise<number> {
    return DashboardService.revenueOf(await this.dashboard.today(ctx, location.id));
  }

  @ResolveField(() => Int)
  async todayOrders(@Parent() location: Location, @Context() ctx: AuthorizedContext): Promise<number> {
    return DashboardService.ordersOf(await this.dashboard.today(ctx, location.id));
  }

  @ResolveField(() => MoneyScalar, { description: "Today's revenue per order, rounded to the đồng." })
  async averageTicket(@Parent() location: Location, @Context() ctx: AuthorizedContext): Promise<number> {
    const today = await this.dashboard.today(ctx, location.id);
    const orders = DashboardService.ordersOf(today);
    return orders > 0 ? Math.round(DashboardService.revenueOf(today) / orders) : 0;
  }

  @ResolveField(() => [HourlyTrend], { description: 'Hours of today that had sales, in local time.' })
  async hourlyTrends(@Parent() location: Location, @Context() ctx: AuthorizedContext): Promise<HourlyTrend[]> {
    return (await this.dashboard.today(ctx, location.id)).hourly;
  }

  @ResolveField(() => [TopItem])
  async topItems(
    @Parent() location: Location,
    @Context() ctx: AuthorizedContext,
    @Args('limit', { type: () => Int, defaultValue: 5 }, LimitArg) limit: number,
  ): Promise<TopItem[]> {
    return (await this.dashboard.today(ctx, location.id)).topItems.slice(0, limit);
  }

  @ResolveField(() => [PaymentMixEntry])
  async paymentMix(@Parent() location: Location, @Context() ctx: AuthorizedContext): Promise<PaymentMixEntry[]> {
    return (await this.dashboard.today(ctx, location.id)).paymentMix;
  }

  @ResolveField(() => DayComparison)
  async comparison(@Parent() location: Location, @Context() ctx: AuthorizedContext): Promise<DayComparison> {
    return DashboardService.comparisonOf(await this.dashboard.today(ctx, location.id));
  }
}

@Resolver(() => Dashboard)
export class DashboardResolver {
  constructor(private readonly dashboards: DashboardService) {}

  @Query(() => Dashboard, { description: 'Consolidated figures across locations (all visible ones when none are named).' })
  dashboard(
    @Args('range') range: DateRangeInput,
    @Args('locationIds', { type: () => [ID], nullable: true }, UuidArg) locationIds: string[] | undefined,
    @Context() ctx: AuthorizedContext,
  ): Promise<Dashboard> {
    return this.dashboards.consolidated(ctx, range, locationIds);
  }

  @ResolveField(() => [TopItem], { description: `Best sellers of the range (at most ${TOP_ITEMS_KEPT}).` })
  topItems(@Parent() dashboard: Dashboard, @Args('limit', { type: () => Int, defaultValue: 10 }, LimitArg) limit: number): TopItem[] {
    return dashboard.topItemsRanked.slice(0, limit);
  }
}

/** A location's figures as they change, over WebSocket (graphql-ws). */
@Resolver()
export class DashboardUpdatesResolver {
  constructor(private readonly live: LiveSubscriptions) {}

  @Subscription(() => DashboardUpdate, {
    description: 'Each change of the location’s figures (sales, voids) as it commits.',
    resolve: (delta: DashboardDelta) => delta,
  })
  dashboardUpdates(
    @Args('locationId', { type: () => ID }, UuidArg) locationId: string,
    @Context() ctx: AuthorizedContext,
  ): Promise<AsyncIterableIterator<DashboardDelta>> {
    return this.live.ofLocation(ctx, 'dashboard.delta', locationId);
  }
}
