import type { Dashboard, LocationToday } from './api/operations';
import { applyDelta, applyDeltaToday, rangesOf } from './dashboard-math';
import type { DashboardDelta } from './live';

const totals = (revenue: number, orders: number) => ({
  revenue,
  orders,
  items: orders * 2,
  averageTicket: orders ? Math.round(revenue / orders) : 0,
});
const dashboard = (): Dashboard => ({
  from: '2026-12-01',
  to: '2026-12-03',
  totals: totals(300_000, 3),
  previousPeriod: totals(0, 0),
  daily: [{ date: '2026-12-03', revenue: 100_000, orders: 1 }],
  locations: [
    { locationId: 'a', name: 'Quận 1', totals: totals(200_000, 2) },
    { locationId: 'b', name: 'Quận 3', totals: totals(100_000, 1) },
  ],
  paymentMix: [{ method: 'CASH', amount: 300_000, orders: 3, paidAmount: 300_000 }],
  topItems: [],
});
const delta = (fields: Partial<DashboardDelta>): DashboardDelta => ({
  locationId: 'b',
  businessDate: '2026-12-03',
  hour: 12,
  paymentMethod: 'momo',
  revenue: 50_000,
  orders: 1,
  items: 2,
  cause: 'sale.recorded',
  orderId: 'o1',
  seq: 1,
  ...fields,
});

describe('live figures', () => {
  it('a sale adds to the totals, its location, its payment method and its day', () => {
    const next = applyDelta(dashboard(), delta({}));
    expect(next.totals).toEqual({ revenue: 350_000, orders: 4, items: 8, averageTicket: 87_500 });
    expect(next.locations.find((l) => l.locationId === 'b')!.totals.revenue).toBe(150_000);
    expect(next.locations.find((l) => l.locationId === 'a')!.totals.revenue).toBe(200_000);
    expect(next.paymentMix.find((m) => m.method === 'MOMO')).toMatchObject({ amount: 50_000, orders: 1 });
    expect(next.daily).toEqual([{ date: '2026-12-03', revenue: 150_000, orders: 2 }]);
  });
  it('a void takes the figures back', () => {
    const next = applyDelta(dashboard(), delta({ paymentMethod: 'cash', revenue: -100_000, orders: -1, items: -2, cause: 'order.voided' }));
    expect(next.totals.revenue).toBe(200_000);
    expect(next.paymentMix[0]).toMatchObject({ amount: 200_000, orders: 2 });
  });
  it('a sale recorded for a day outside the range shown changes nothing', () => {
    const before = dashboard();
    expect(applyDelta(before, delta({ businessDate: '2026-11-30' }))).toBe(before);
  });
  it("a location's today adds the sale to its hour", () => {
    const today: LocationToday = {
      id: 'b',
      name: 'Quận 3',
      todayRevenue: 100_000,
      todayOrders: 1,
      averageTicket: 100_000,
      hourlyTrends: [{ hour: 9, revenue: 100_000, orders: 1 }],
      topItems: [],
      paymentMix: [],
      comparison: { sameWeekdayLastWeekRevenue: 0, sameTimeLastWeekRevenue: 0, sameWeekdayLastWeekOrders: 0, revenueChangePercent: null },
    };
    const next = applyDeltaToday(today, delta({}), '2026-12-03');
    expect(next.todayRevenue).toBe(150_000);
    expect(next.hourlyTrends).toEqual([
      { hour: 9, revenue: 100_000, orders: 1 },
      { hour: 12, revenue: 50_000, orders: 1 },
    ]);
    expect(applyDeltaToday(today, delta({ locationId: 'a' }), '2026-12-03')).toBe(today);
  });
});

describe('periods and what they are compared with', () => {
  it('this week runs from Monday, against the same days a week earlier and 52 weeks earlier', () => {
    const r = rangesOf('week', '2026-12-03'); // a Thursday
    expect(r.range).toEqual({ from: '2026-11-30', to: '2026-12-03' });
    expect(r.previous).toEqual({ from: '2026-11-23', to: '2026-11-26' });
    expect(r.lastYear).toEqual({ from: '2025-12-01', to: '2025-12-04' });
  });
  it('this month is compared with the same days of last month, cut at its end', () => {
    expect(rangesOf('month', '2026-03-31').previous).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(rangesOf('month', '2026-12-03').previous).toEqual({ from: '2026-11-01', to: '2026-11-03' });
  });
});
