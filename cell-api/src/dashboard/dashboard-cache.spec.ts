import { randomUUID } from 'node:crypto';
import type { TestMenuItem, TestTenant } from '@localstore/cell-db/testing';
import { LOCATION_DASHBOARD, RECORD_SALE, VOID_ORDER } from '../../test/operations';
import { TestCell } from '../../test/test-cell';
import type { RedisCacheStore } from '../cache/cache-store';
import { CACHE_STORE } from '../config/cell-config.token';
import { REDIS_URL } from '@localstore/common/testing';

const CONSOLIDATED = `query($range: DateRangeInput!) { dashboard(range: $range) { totals { revenue orders } } }`;

/**
 * The dashboard cache on a real cell: a second read is a hit, and a sale or a void is seen
 * by the very next read (never a stale cached answer), with Redis and with the in-process
 * store; a cache that is down is skipped. Real: Postgres, Redis.
 */
describe.each([
  ['Redis', () => ({ REDIS_URL, REDIS_KEY_PREFIX: `test:${randomUUID()}:` })],
  ['memory (no Redis)', () => ({})],
])('the dashboard cache with %s', (_name, env) => {
  let cell: TestCell;
  let tenant: TestTenant;
  let location: string;
  let item: TestMenuItem;
  let token: string;
  const counts = async () => {
    const text = await (await fetch(`${cell.url}/metrics`)).text();
    const of = (cache: string, outcome: string) =>
      Number(
        new RegExp(`^cell_cache_requests_total\\{[^}]*cache="${cache}"[^}]*outcome="${outcome}"[^}]*\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0,
      );
    return { hits: of('today', 'hit') + of('range', 'hit'), misses: of('today', 'miss') + of('range', 'miss') };
  };
  const today = async (headers: Record<string, string> = {}) =>
    (await cell.gql(LOCATION_DASHBOARD, { id: location }, { token, tenant: tenant.slug, headers })).data!.location;
  const range = async () => {
    const date = (await today()).hourlyTrends ? new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10) : '';
    return (await cell.gql(CONSOLIDATED, { range: { from: date, to: date } }, { token, tenant: tenant.slug })).data!.dashboard.totals;
  };

  beforeAll(async () => {
    cell = await TestCell.start(env());
    tenant = await cell.factories.newTenant();
    location = await cell.factories.newLocation(tenant);
    item = await cell.factories.newMenuItem(tenant, { price: 50_000 });
    token = await cell.token({ tid: tenant.id });
  });
  afterAll(() => cell?.stop());

  it('answers a second read from the cache, and the read after a sale or a void from the database', async () => {
    const first = await today();
    const afterFirst = await counts();
    expect(await today()).toEqual(first);
    const afterSecond = await counts();
    expect(afterSecond.hits - afterFirst.hits).toBe(1);
    const sale = await cell.gql(
      RECORD_SALE,
      { input: { id: randomUUID(), locationId: location, items: [{ itemId: item.id, quantity: 2 }] } },
      { token, tenant: tenant.slug },
    );
    // The very next read sees the sale: the sale's answer came after the cache was bumped.
    expect((await today()).todayRevenue).toBe(first.todayRevenue + 100_000);
    expect((await counts()).misses - afterSecond.misses).toBe(1);
    await cell.gql(VOID_ORDER, { id: sale.data!.recordSale.id, reason: 'Nhầm món' }, { token, tenant: tenant.slug });
    expect((await today()).todayRevenue).toBe(first.todayRevenue);
  });

  it('caches the consolidated figures and drops them on a sale', async () => {
    const before = await range();
    const hitsBefore = (await counts()).hits;
    expect(await range()).toEqual(before);
    expect((await counts()).hits).toBeGreaterThan(hitsBefore);
    await cell.gql(
      RECORD_SALE,
      { input: { id: randomUUID(), locationId: location, items: [{ itemId: item.id, quantity: 1 }] } },
      { token, tenant: tenant.slug },
    );
    expect(await range()).toEqual({ revenue: before.revenue + 50_000, orders: before.orders + 1 });
  });

  it('answers Cache-Control: no-cache from the database without touching the cache', async () => {
    const before = await counts();
    await today({ 'cache-control': 'no-cache' });
    expect(await counts()).toEqual(before);
  });
});

describe('the dashboard cache when its Redis connection is lost', () => {
  it('answers from the database and counts the failure', async () => {
    const cell = await TestCell.start({ REDIS_URL, REDIS_KEY_PREFIX: `test:${randomUUID()}:` });
    try {
      const tenant = await cell.factories.newTenant();
      const location = await cell.factories.newLocation(tenant);
      const item = await cell.factories.newMenuItem(tenant, { price: 20_000 });
      const token = await cell.token({ tid: tenant.id });
      (cell.running.app.get(CACHE_STORE) as RedisCacheStore).redis.disconnect();
      await cell.gql(
        RECORD_SALE,
        { input: { id: randomUUID(), locationId: location, items: [{ itemId: item.id, quantity: 1 }] } },
        { token, tenant: tenant.slug },
      );
      const answer = await cell.gql(LOCATION_DASHBOARD, { id: location }, { token, tenant: tenant.slug });
      expect(answer.data!.location).toMatchObject({ todayRevenue: 20_000, todayOrders: 1 });
      const text = await (await fetch(`${cell.url}/metrics`)).text();
      expect(text).toMatch(/cell_cache_requests_total\{[^}]*cache="store"[^}]*outcome="error"[^}]*\} [1-9]/);
      expect(text).toMatch(/cell_cache_requests_total\{[^}]*cache="invalidation"[^}]*outcome="error"[^}]*\} [1-9]/);
    } finally {
      await cell.stop();
    }
  });
});
