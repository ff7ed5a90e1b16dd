import { randomUUID } from 'node:crypto';
import { addDays, businessDateOf, localDateHour } from '@localstore/common';
import type { TestMenuItem, TestTenant } from '@localstore/cell-db/testing';
import { LOCATION_DASHBOARD, RECORD_SALE, VOID_ORDER } from '../../test/operations';
import { TestCell } from '../../test/test-cell';

const CONSOLIDATED = `query Consolidated($range: DateRangeInput!, $ids: [ID!]) {
  dashboard(range: $range, locationIds: $ids) {
    from to totals { revenue orders items averageTicket } previousPeriod { revenue orders }
    locations { locationId name totals { revenue orders } } daily { date revenue orders }
    paymentMix { method amount orders } topItems(limit: 1) { name quantity revenue }
  }
}`;

/** Live and consolidated figures, computed from the rollups the sales wrote. Stubbed: nothing. */
describe('dashboards', () => {
  let cell: TestCell;
  let tenant: TestTenant;
  let q1: string;
  let q3: string;
  let pho: TestMenuItem;
  let banhMi: TestMenuItem;
  let token: string;
  const call = (query: string, variables: Record<string, unknown>) => cell.gql(query, variables, { token, tenant: tenant.slug });
  const sell = async (locationId: string, items: { itemId: string; quantity: number }[], paymentMethod = 'CASH', occurredAt?: Date) => {
    const { data, errors } = await call(RECORD_SALE, {
      input: { id: randomUUID(), locationId, items, paymentMethod, ...(occurredAt ? { occurredAt: occurredAt.toISOString() } : {}) },
    });
    expect(errors).toBeUndefined();
    return data!.recordSale;
  };

  beforeAll(async () => {
    cell = await TestCell.start();
    tenant = await cell.factories.newTenant('dashboard-test');
    q1 = await cell.factories.newLocation(tenant, 'Quận 1');
    q3 = await cell.factories.newLocation(tenant, 'Quận 3');
    pho = await cell.factories.newMenuItem(tenant, { name: 'Phở bò', price: 60_000 });
    banhMi = await cell.factories.newMenuItem(tenant, { name: 'Bánh mì', price: 25_000, categoryId: pho.categoryId });
    token = await cell.token({ tid: tenant.id });
    // Last week, same weekday, a few seconds later in the day than now.
    await sell(q1, [{ itemId: pho.id, quantity: 2 }], 'CASH', new Date(Date.now() - 7 * 86_400_000 + 30_000));
    await sell(
      q1,
      [
        { itemId: pho.id, quantity: 1 },
        { itemId: banhMi.id, quantity: 2 },
      ],
      'MOMO',
    );
    await sell(q1, [{ itemId: banhMi.id, quantity: 4 }], 'CASH');
    await sell(q3, [{ itemId: pho.id, quantity: 3 }], 'VNPAY');
  });
  afterAll(() => cell?.stop());

  it("shows a location's today as the design document asks for it", async () => {
    const { data, errors } = await call(LOCATION_DASHBOARD, { id: q1 });
    expect(errors).toBeUndefined();
    const hour = localDateHour(new Date()).hour;
    expect(data!.location).toMatchObject({
      todayRevenue: 210_000,
      todayOrders: 2,
      averageTicket: 105_000,
      hourlyTrends: [{ hour, revenue: 210_000, orders: 2 }],
      topItems: [
        { name: 'Bánh mì', quantity: 6, revenue: 150_000 },
        { name: 'Phở bò', quantity: 1, revenue: 60_000 },
      ],
      // Cash is paid at the counter; the MoMo order waits for its payment.
      paymentMix: [
        { method: 'MOMO', amount: 110_000, orders: 1, paidAmount: 0 },
        { method: 'CASH', amount: 100_000, orders: 1, paidAmount: 100_000 },
      ],
      comparison: {
        sameWeekdayLastWeekRevenue: 120_000,
        sameWeekdayLastWeekOrders: 1,
        sameTimeLastWeekRevenue: 120_000,
        revenueChangePercent: 75,
      },
    });
  });

  it('answers a location with its dashboard in one statement after BEGIN, and without it from the location alone', async () => {
    const before = await cell.dbQueryCount();
    // Uncached, as the statement count is the point (a cached answer sends none).
    const { data } = await cell.gql(
      LOCATION_DASHBOARD,
      { id: q1 },
      { token, tenant: tenant.slug, headers: { 'cache-control': 'no-cache' } },
    );
    expect(data!.location.name).toBe('Quận 1');
    expect((await cell.dbQueryCount()) - before).toBe(2);
    const plain = await call('query($id: ID!) { location(id: $id) { id name timezone createdAt } }', { id: q1 });
    expect(plain.data!.location).toMatchObject({ id: q1, name: 'Quận 1', timezone: 'Asia/Ho_Chi_Minh' });
    const missing = await call('query($id: ID!) { location(id: $id) { name todayRevenue } }', { id: randomUUID() });
    expect(missing.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
  });

  it('drops a voided sale from the figures', async () => {
    const sale = await sell(q3, [{ itemId: banhMi.id, quantity: 1 }]);
    expect((await call(LOCATION_DASHBOARD, { id: q3 })).data!.location.todayRevenue).toBe(205_000);
    await call(VOID_ORDER, { id: sale.id, reason: 'Nhập nhầm' });
    const after = (await call(LOCATION_DASHBOARD, { id: q3 })).data!.location;
    expect(after).toMatchObject({ todayRevenue: 180_000, todayOrders: 1, paymentMix: [{ method: 'VNPAY', amount: 180_000 }] });
    expect(after.topItems.map((t: any) => t.name)).toEqual(['Phở bò']);
  });

  it('consolidates the locations over a range, with the period before it', async () => {
    const today = businessDateOf(new Date());
    const { data, errors } = await call(CONSOLIDATED, { range: { from: addDays(today, -6), to: today } });
    expect(errors).toBeUndefined();
    expect(data!.dashboard).toMatchObject({
      totals: { revenue: 390_000, orders: 3, items: 10, averageTicket: 130_000 },
      previousPeriod: { revenue: 120_000, orders: 1 },
      locations: [
        { locationId: q1, name: 'Quận 1', totals: { revenue: 210_000, orders: 2 } },
        { locationId: q3, name: 'Quận 3', totals: { revenue: 180_000, orders: 1 } },
      ],
      daily: [{ date: today, revenue: 390_000, orders: 3 }],
      topItems: [{ name: 'Bánh mì', quantity: 6, revenue: 150_000 }],
    });
    const onlyQ3 = await call(CONSOLIDATED, { range: { from: today, to: today }, ids: [q3] });
    expect(onlyQ3.data!.dashboard.totals.revenue).toBe(180_000);
  });

  it('refuses ranges that are inverted, too long or not dates', async () => {
    const inverted = await call(CONSOLIDATED, { range: { from: '2026-02-01', to: '2026-01-01' } });
    expect(inverted.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_DATE_RANGE', field: 'range' });
    const tooLong = await call(CONSOLIDATED, { range: { from: '2020-01-01', to: '2026-01-01' } });
    expect(tooLong.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'range' });
    const notADate = await call(CONSOLIDATED, { range: { from: '2026-02-30', to: '2026-03-01' } });
    expect(notADate.errors![0]!.extensions.code).toBe('BAD_USER_INPUT');
    const malformedId = await call(CONSOLIDATED, { range: { from: '2026-01-01', to: '2026-01-02' }, ids: ['q1'] });
    expect(malformedId.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'locationIds[0]' });
  });

  it('refuses a best-sellers limit outside 1–50', async () => {
    for (const limit of [0, 51, -3]) {
      const { errors } = await call('query($id: ID!, $limit: Int!) { location(id: $id) { topItems(limit: $limit) { name } } }', {
        id: q1,
        limit,
      });
      expect(errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'limit' });
    }
  });

  it('answers a list of locations with their figures in a fixed number of queries', async () => {
    const before = await cell.dbQueryCount();
    const { data, errors } = await call(
      '{ locations { name todayRevenue todayOrders topItems { name } comparison { sameWeekdayLastWeekRevenue } } }',
      {},
    );
    expect(errors).toBeUndefined();
    // BEGIN with the tenant setting, the locations, one snapshot query for all of them.
    expect((await cell.dbQueryCount()) - before).toBeLessThanOrEqual(4);
    expect(data!.locations.map((l: any) => l.todayRevenue).sort()).toEqual([180_000, 210_000]);
  });
});
