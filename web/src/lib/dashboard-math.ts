import type { Dashboard, LocationToday, PaymentMethod, PaymentMixEntry, Totals } from './api/operations';
import { addDays, mondayOf } from './format';
import type { DashboardDelta } from './live';

export type Period = 'today' | 'week' | 'month';
export interface DateRange {
  from: string;
  to: string;
}

/** The period's range up to today, and the two it is compared with. */
export function rangesOf(
  period: Period,
  today: string,
): { range: DateRange; previous: DateRange; lastYear: DateRange; previousLabel: 'kpi.vsLastWeek' | 'kpi.vsLastMonth' } {
  const from = period === 'today' ? today : period === 'week' ? mondayOf(today) : `${today.slice(0, 8)}01`;
  const range = { from, to: today };
  // A year back by 52 weeks, so each day meets the same weekday (a Saturday is not a Tuesday).
  const lastYear = { from: addDays(from, -364), to: addDays(today, -364) };
  if (period !== 'month')
    return { range, previous: { from: addDays(from, -7), to: addDays(today, -7) }, lastYear, previousLabel: 'kpi.vsLastWeek' };
  const prevMonthFirst = addDays(from, -1).slice(0, 8) + '01';
  const prevMonthLast = addDays(from, -1);
  const sameDay = `${prevMonthFirst.slice(0, 8)}${today.slice(8)}`;
  return {
    range,
    previous: { from: prevMonthFirst, to: sameDay > prevMonthLast ? prevMonthLast : sameDay },
    lastYear,
    previousLabel: 'kpi.vsLastMonth',
  };
}

/** Live events name the method as stored (`momo`); the GraphQL enum is `MOMO`. */
const methodOf = (delta: DashboardDelta) => delta.paymentMethod.toUpperCase() as PaymentMethod;

function addToMix(mix: readonly PaymentMixEntry[], delta: DashboardDelta): PaymentMixEntry[] {
  const method = methodOf(delta);
  if (!mix.some((m) => m.method === method)) return [...mix, { method, amount: delta.revenue, orders: delta.orders, paidAmount: 0 }];
  return mix.map((m) => (m.method === method ? { ...m, amount: m.amount + delta.revenue, orders: m.orders + delta.orders } : m));
}

function addTo(totals: Totals, delta: DashboardDelta): Totals {
  const revenue = totals.revenue + delta.revenue;
  const orders = totals.orders + delta.orders;
  return { revenue, orders, items: totals.items + delta.items, averageTicket: orders > 0 ? Math.round(revenue / orders) : 0 };
}

/**
 * A live delta added to the consolidated figures on screen, if its business date is in the
 * range shown (a sale recorded late for another day leaves today's figures alone). Best
 * sellers are not in a delta: the screen reads them again shortly after.
 */
export function applyDelta(dashboard: Dashboard, delta: DashboardDelta): Dashboard {
  if (delta.businessDate < dashboard.from || delta.businessDate > dashboard.to) return dashboard;
  const mix = addToMix(dashboard.paymentMix, delta);
  const daily = dashboard.daily.some((d) => d.date === delta.businessDate)
    ? dashboard.daily.map((d) =>
        d.date === delta.businessDate ? { ...d, revenue: d.revenue + delta.revenue, orders: d.orders + delta.orders } : d,
      )
    : [...dashboard.daily, { date: delta.businessDate, revenue: delta.revenue, orders: delta.orders }].sort((a, b) =>
        a.date.localeCompare(b.date),
      );
  return {
    ...dashboard,
    totals: addTo(dashboard.totals, delta),
    locations: dashboard.locations.map((l) => (l.locationId === delta.locationId ? { ...l, totals: addTo(l.totals, delta) } : l)),
    paymentMix: mix,
    daily,
  };
}

/** The same for one location's "today" figures. */
export function applyDeltaToday(location: LocationToday, delta: DashboardDelta, today: string): LocationToday {
  if (delta.businessDate !== today || delta.locationId !== location.id) return location;
  const todayRevenue = location.todayRevenue + delta.revenue;
  const todayOrders = location.todayOrders + delta.orders;
  const hourly = location.hourlyTrends.some((h) => h.hour === delta.hour)
    ? location.hourlyTrends.map((h) =>
        h.hour === delta.hour ? { ...h, revenue: h.revenue + delta.revenue, orders: h.orders + delta.orders } : h,
      )
    : [...location.hourlyTrends, { hour: delta.hour, revenue: delta.revenue, orders: delta.orders }].sort((a, b) => a.hour - b.hour);
  const mix = addToMix(location.paymentMix, delta);
  return {
    ...location,
    todayRevenue,
    todayOrders,
    averageTicket: todayOrders > 0 ? Math.round(todayRevenue / todayOrders) : 0,
    hourlyTrends: hourly,
    paymentMix: mix,
  };
}
