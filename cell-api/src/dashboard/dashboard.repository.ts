import { Injectable } from '@nestjs/common';
import type { TenantDb } from '@localstore/cell-db';
import type { DailySales, PaymentMixEntry, TodaySnapshot, TopItem } from './dashboard.types';

/** How many best sellers a dashboard keeps; `topItems(limit)` slices from these. */
export const TOP_ITEMS_KEPT = 50;

/**
 * Today's figures (in each location's zone) for several locations: $1 = location ids.
 * Exported so the benchmark times exactly this text over a bare connection.
 */
export const TODAY_SNAPSHOT_SQL = `WITH loc AS (
     SELECT id, name, address, timezone, lunar_observances, created_at, (now() AT TIME ZONE timezone)::date AS today,
            extract(hour FROM now() AT TIME ZONE timezone)::int AS current_hour
       FROM locations WHERE id = ANY($1::uuid[])
   )
   SELECT loc.id AS "locationId", to_char(loc.today, 'YYYY-MM-DD') AS "businessDate",
     json_build_object('id', loc.id, 'name', loc.name, 'address', loc.address, 'timezone', loc.timezone,
                       'lunarObservances', loc.lunar_observances, 'createdAt', loc.created_at) AS location,
     (SELECT coalesce(json_agg(json_build_object('hour', h.hour, 'revenue', h.revenue, 'orders', h.orders)
                               ORDER BY h.hour), '[]')
        FROM sales_hourly h
       WHERE h.location_id = loc.id AND h.business_date = loc.today AND h.orders > 0) AS hourly,
     (SELECT coalesce(json_agg(json_build_object('method', p.payment_method, 'amount', p.amount, 'orders', p.orders, 'paidAmount', p.paid_amount)
                               ORDER BY p.amount DESC, p.payment_method), '[]')
        FROM payment_method_daily p
       WHERE p.location_id = loc.id AND p.business_date = loc.today AND p.orders > 0) AS "paymentMix",
     (SELECT coalesce(json_agg(json_build_object('itemId', t.item_id, 'name', t.name, 'quantity', t.quantity,
                                                 'revenue', t.revenue) ORDER BY t.quantity DESC, t.revenue DESC, t.name), '[]')
        FROM (SELECT d.item_id, m.name, d.quantity, d.revenue
                FROM item_sales_daily d JOIN menu_items m ON m.tenant_id = d.tenant_id AND m.id = d.item_id
               WHERE d.location_id = loc.id AND d.business_date = loc.today AND d.quantity > 0
               ORDER BY d.quantity DESC, d.revenue DESC LIMIT ${TOP_ITEMS_KEPT}) t) AS "topItems",
     (SELECT json_build_object('revenue', coalesce(sum(h.revenue), 0), 'orders', coalesce(sum(h.orders), 0),
                               'revenueSoFar', coalesce(sum(h.revenue) FILTER (WHERE h.hour <= loc.current_hour), 0))
        FROM sales_hourly h
       WHERE h.location_id = loc.id AND h.business_date = loc.today - 7) AS "lastWeek"
   FROM loc`;

/**
 * A range over several locations: $1 = location ids, $2..$3 = the dates, $4 = start of
 * the previous period of the same length.
 */
export const RANGE_FIGURES_SQL = `WITH hourly AS (
     SELECT location_id, business_date, revenue, orders, items FROM sales_hourly
      WHERE location_id = ANY($1::uuid[]) AND business_date BETWEEN $2::date AND $3::date
   )
   SELECT
     (SELECT coalesce(json_agg(json_build_object('locationId', l.id, 'name', l.name,
               'revenue', coalesce(t.revenue, 0), 'orders', coalesce(t.orders, 0), 'items', coalesce(t.items, 0))
               ORDER BY coalesce(t.revenue, 0) DESC, l.name), '[]')
        FROM locations l
        LEFT JOIN (SELECT location_id, sum(revenue) AS revenue, sum(orders) AS orders, sum(items) AS items
                     FROM hourly GROUP BY location_id) t ON t.location_id = l.id
       WHERE l.id = ANY($1::uuid[])) AS locations,
     (SELECT json_build_object('revenue', coalesce(sum(revenue), 0), 'orders', coalesce(sum(orders), 0),
                               'items', coalesce(sum(items), 0))
        FROM sales_hourly
       WHERE location_id = ANY($1::uuid[]) AND business_date >= $4::date AND business_date < $2::date) AS previous,
     (SELECT coalesce(json_agg(json_build_object('date', to_char(d.business_date, 'YYYY-MM-DD'),
                                                 'revenue', d.revenue, 'orders', d.orders) ORDER BY d.business_date), '[]')
        FROM (SELECT business_date, sum(revenue) AS revenue, sum(orders) AS orders FROM hourly GROUP BY business_date) d) AS daily,
     (SELECT coalesce(json_agg(json_build_object('method', p.payment_method, 'amount', p.amount, 'orders', p.orders, 'paidAmount', p.paid_amount)
                               ORDER BY p.amount DESC, p.payment_method), '[]')
        FROM (SELECT payment_method, sum(amount) AS amount, sum(orders) AS orders, sum(paid_amount) AS paid_amount FROM payment_method_daily
               WHERE location_id = ANY($1::uuid[]) AND business_date BETWEEN $2::date AND $3::date
               GROUP BY payment_method HAVING sum(orders) > 0) p) AS "paymentMix",
     (SELECT coalesce(json_agg(json_build_object('itemId', t.item_id, 'name', m.name, 'quantity', t.quantity,
                                                 'revenue', t.revenue) ORDER BY t.quantity DESC, t.revenue DESC, m.name), '[]')
        FROM (SELECT item_id, sum(quantity) AS quantity, sum(revenue) AS revenue FROM item_sales_daily
               WHERE location_id = ANY($1::uuid[]) AND business_date BETWEEN $2::date AND $3::date
               GROUP BY item_id HAVING sum(quantity) > 0
               ORDER BY sum(quantity) DESC, sum(revenue) DESC LIMIT ${TOP_ITEMS_KEPT}) t
        JOIN menu_items m ON m.id = t.item_id) AS "topItems"`;

export interface RangeFigures {
  locations: { locationId: string; name: string; revenue: number; orders: number; items: number }[];
  previous: { revenue: number; orders: number; items: number };
  daily: DailySales[];
  paymentMix: PaymentMixEntry[];
  topItems: TopItem[];
}

/**
 * The dashboard's aggregates, read from the rollups (never from raw orders), each as one
 * statement so a dashboard costs one round trip.
 */
@Injectable()
export class DashboardRepository {
  /** Today (in each location's zone) for several locations at once. */
  todaySnapshots(db: TenantDb, locationIds: readonly string[]): Promise<TodaySnapshot[]> {
    return db.query<TodaySnapshot>(TODAY_SNAPSHOT_SQL, [locationIds], 'dashboard_today_snapshot');
  }

  /** Totals per location, the previous period, a daily series, the payment mix and best sellers. */
  async rangeFigures(db: TenantDb, locationIds: readonly string[], from: string, to: string, previousFrom: string): Promise<RangeFigures> {
    const [row] = await db.query<RangeFigures>(RANGE_FIGURES_SQL, [locationIds, from, to, previousFrom], 'dashboard_range_figures');
    return row!;
  }
}
