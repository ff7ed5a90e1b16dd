import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { addDays, daysBetween } from '@localstore/common';
import type { Principal } from '../auth/principal';
import type { TenantDb } from '@localstore/cell-db';
import { type CellRequestContext, loaderOf } from '../graphql/request-context';
import { LocationErrorCode, LocationException } from '../locations/location.exception';
import type { Location } from '../locations/location.types';
import { LocationsService } from '../locations/locations.service';
import { DashboardErrorCode, DashboardException } from './dashboard.exception';
import { DashboardRepository } from './dashboard.repository';
import { DashboardCache } from './dashboard-cache';
import { type Dashboard, type DayComparison, type DateRangeInput, type TodaySnapshot, totalsOf } from './dashboard.types';

type AuthorizedDbContext = CellRequestContext & { db: TenantDb; principal: Principal };

/** The longest range one dashboard covers: a year and a bit, for year-on-year views. */
export const MAX_DASHBOARD_DAYS = 400;

const EMPTY_SNAPSHOT = (locationId: string): TodaySnapshot => ({
  locationId,
  businessDate: '',
  location: null,
  hourly: [],
  paymentMix: [],
  topItems: [],
  lastWeek: { revenue: 0, orders: 0, revenueSoFar: 0 },
});

@Injectable()
export class DashboardService {
  constructor(
    private readonly dashboards: DashboardRepository,
    private readonly locations: LocationsService,
    private readonly cache: DashboardCache,
  ) {}

  /** Today's figures of a location; every dashboard field of every location in a request shares one query. */
  today(ctx: CellRequestContext & { db: TenantDb }, locationId: string): Promise<TodaySnapshot> {
    return loaderOf(
      ctx,
      'todaySnapshot',
      () =>
        new DataLoader<string, TodaySnapshot>(async (ids) => {
          const load = (missing: readonly string[]) => this.dashboards.todaySnapshots(ctx.db, missing);
          const byId = ctx.noCache
            ? new Map((await load(ids)).map((s) => [s.locationId, s]))
            : await this.cache.todaySnapshots(ctx.db.tenantId, ids, load);
          return ids.map((id) => byId.get(id) ?? EMPTY_SNAPSHOT(id));
        }),
    ).load(locationId);
  }

  /**
   * A location asked for with its dashboard: one statement answers both, and the location
   * loader is primed so nothing else reads it again. NOT_FOUND / FORBIDDEN as for any location.
   */
  async locationWithToday(ctx: AuthorizedDbContext, id: string): Promise<Location> {
    ctx.principal.assertLocation(id, 'id');
    const { location } = await this.today(ctx, id);
    if (!location) throw new LocationException(LocationErrorCode.LOCATION_NOT_FOUND, 'id');
    const found: Location = { ...location, createdAt: new Date(location.createdAt) };
    this.locations.loader(ctx).prime(id, found);
    return found;
  }

  static revenueOf(snapshot: TodaySnapshot): number {
    return snapshot.hourly.reduce((sum, h) => sum + h.revenue, 0);
  }

  static ordersOf(snapshot: TodaySnapshot): number {
    return snapshot.hourly.reduce((sum, h) => sum + h.orders, 0);
  }

  static comparisonOf(snapshot: TodaySnapshot): DayComparison {
    const today = DashboardService.revenueOf(snapshot);
    const { revenue, orders, revenueSoFar } = snapshot.lastWeek;
    return {
      sameWeekdayLastWeekRevenue: revenue,
      sameWeekdayLastWeekOrders: orders,
      sameTimeLastWeekRevenue: revenueSoFar,
      revenueChangePercent: revenueSoFar > 0 ? Math.round(((today - revenueSoFar) / revenueSoFar) * 1000) / 10 : null,
    };
  }

  /** The owner's consolidated view over the chosen (or every visible) location. */
  async consolidated(ctx: AuthorizedDbContext, range: DateRangeInput, locationIds: string[] | undefined): Promise<Dashboard> {
    const days = daysBetween(range.from, range.to) + 1;
    if (days < 1 || days > MAX_DASHBOARD_DAYS) {
      throw new DashboardException(DashboardErrorCode.INVALID_DATE_RANGE, 'range', { maxDays: MAX_DASHBOARD_DAYS });
    }
    let ids: string[];
    if (locationIds && locationIds.length > 0) {
      locationIds.forEach((id, i) => ctx.principal.assertLocation(id, `locationIds[${i}]`));
      ids = [...new Set(locationIds)];
    } else {
      ids = (await this.locations.visibleTo(ctx.db, ctx.principal)).map((location) => location.id);
    }
    const previousFrom = addDays(range.from, -days);
    const load = () => this.dashboards.rangeFigures(ctx.db, ids, range.from, range.to, previousFrom);
    const figures = ctx.noCache ? await load() : await this.cache.rangeFigures(ctx.db.tenantId, ids, `${range.from}:${range.to}`, load);
    const sum = (key: 'revenue' | 'orders' | 'items') => figures.locations.reduce((total, l) => total + l[key], 0);
    return {
      from: range.from,
      to: range.to,
      totals: totalsOf(sum('revenue'), sum('orders'), sum('items')),
      previousPeriod: totalsOf(figures.previous.revenue, figures.previous.orders, figures.previous.items),
      locations: figures.locations.map((l) => ({
        locationId: l.locationId,
        name: l.name,
        totals: totalsOf(l.revenue, l.orders, l.items),
      })),
      daily: figures.daily,
      paymentMix: figures.paymentMix,
      topItemsRanked: figures.topItems,
    };
  }
}
