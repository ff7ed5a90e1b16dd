import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { loadCellConfig } from '../../src/config/cell-config';
import { createCellDataSource } from '../../src/database/data-source';
import { migrateCellSchema } from '../../src/database/migrate';
import { withTenantTransaction } from '../../src/database/tenant-transaction';
import { APP_URL, OWNER_URL } from '../../test/test-env';
import { seedDemoTenants, type SeedDemoOptions } from './demo-seeder';
import { DEMO_TENANTS, type DemoTenant } from './demo-tenants';
import { SALES_TABLES, SEEDED_ACTION } from './demo-writer';

/**
 * The seeder against a real PostgreSQL: a fresh schema migrated from scratch, written by
 * the schema owner under each tenant's row-level security, as `make seed-demo` does.
 * Real: PostgreSQL, migrations, RLS. Stubbed: nothing. Tiny scale keeps it to seconds.
 */
const OPTIONS: SeedDemoOptions = { reset: false, seed: 11, scale: 0.004, end: new Date('2026-03-15T12:30:00+07:00') };

let owner: DataSource;
let schema: string;

const asTenant = <T>(tenant: DemoTenant, sql: string) => withTenantTransaction(owner, tenant.id, (db) => db.query<T & Record<string, unknown>>(sql));

/** Orders, lines and payments of a tenant as one digest: equal digests, equal rows. */
async function digestOf(tenant: DemoTenant): Promise<string> {
  const [row] = await asTenant<{ digest: string }>(
    tenant,
    `SELECT md5(concat(
       (SELECT string_agg(o::text, '|' ORDER BY id) FROM (SELECT id, location_id, channel, status, payment_method, business_date,
          hour, created_at, subtotal, discount, total, item_count, paid_at, created_by, void_reason, voided_at, voided_by FROM orders) o),
       (SELECT string_agg(i::text, '|' ORDER BY order_id, line_no) FROM order_items i),
       (SELECT string_agg(p::text, '|' ORDER BY id) FROM (SELECT id, order_id, provider, provider_transaction_id, amount, paid_at FROM payments) p),
       (SELECT string_agg(s::text, '|' ORDER BY location_id, business_date, hour) FROM sales_hourly s))) AS digest`,
  );
  return row!.digest;
}

beforeAll(async () => {
  schema = `test_seed_${randomUUID().replace(/-/g, '').slice(0, 8)}`;
  const config = loadCellConfig({ DATABASE_SCHEMA: schema, DATABASE_URL: APP_URL, DATABASE_OWNER_URL: OWNER_URL, LOG_LEVEL: 'silent' });
  await migrateCellSchema(config);
  owner = createCellDataSource(config, 'owner');
  await owner.initialize();
});

afterAll(async () => {
  await owner?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await owner?.destroy();
});

describe('seeding the demo tenants into a real cell schema', () => {
  it('writes the three tenants with rollups equal to the sums of their completed orders', async () => {
    const reports = await seedDemoTenants(owner, OPTIONS);
    expect(reports.map((r) => [r.slug, r.outcome, r.stateBefore])).toEqual(DEMO_TENANTS.map((t) => [t.slug, 'seeded', 'absent']));

    for (const [index, tenant] of DEMO_TENANTS.entries()) {
      const report = reports[index]!;
      expect(report.orders).toBeGreaterThan(10);
      const [counts] = await asTenant<Record<string, number>>(
        tenant,
        `SELECT (SELECT count(*) FROM orders)::int AS orders,
                (SELECT count(*) FROM orders WHERE status = 'voided')::int AS voided,
                (SELECT coalesce(sum(total), 0) FROM orders WHERE status = 'completed')::bigint AS revenue,
                (SELECT count(*) FROM payments)::int AS payments,
                (SELECT count(*) FROM orders WHERE status = 'completed' AND payment_method IN ('momo', 'zalopay', 'vnpay') AND paid_at IS NOT NULL)::int AS paid_wallet_orders,
                (SELECT count(*) FROM audit_log WHERE action = 'order.voided')::int AS void_audits,
                (SELECT count(*) FROM audit_log WHERE action = '${SEEDED_ACTION}')::int AS seeded_marks,
                (SELECT count(*) FROM staff WHERE role = 'owner' AND user_id = '${tenant.ownerUserId}')::int AS owners,
                (SELECT count(*) FROM orders WHERE business_date <> (created_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
                    OR hour <> extract(hour FROM created_at AT TIME ZONE 'Asia/Ho_Chi_Minh'))::int AS off_local_time`,
      );
      expect(counts).toEqual({
        orders: report.orders,
        voided: report.voidedOrders,
        revenue: report.revenue,
        payments: counts!.paid_wallet_orders,
        paid_wallet_orders: counts!.paid_wallet_orders,
        void_audits: report.voidedOrders,
        seeded_marks: 1,
        owners: 1,
        off_local_time: 0,
      });

      // Each rollup, recomputed from completed orders, must match row for row, both ways.
      const mismatches = await asTenant<{ rollup: string; rows: number }>(
        tenant,
        `WITH hourly AS (
           SELECT location_id, business_date, hour, sum(total) AS revenue, count(*) AS orders, sum(item_count) AS items
             FROM orders WHERE status = 'completed' GROUP BY 1, 2, 3
         ), item_daily AS (
           SELECT o.location_id, o.business_date, i.item_id, sum(i.quantity) AS quantity, sum(i.line_total) AS revenue
             FROM orders o JOIN order_items i ON i.order_id = o.id WHERE o.status = 'completed' GROUP BY 1, 2, 3
         ), payment_daily AS (
           SELECT location_id, business_date, payment_method, sum(total) AS amount, count(*) AS orders
             FROM orders WHERE status = 'completed' GROUP BY 1, 2, 3
         )
         SELECT 'sales_hourly' AS rollup, count(*)::int AS rows FROM (
           (SELECT * FROM hourly EXCEPT SELECT location_id, business_date, hour, revenue, orders, items FROM sales_hourly)
           UNION ALL (SELECT location_id, business_date, hour, revenue, orders, items FROM sales_hourly EXCEPT SELECT * FROM hourly)) d
         UNION ALL
         SELECT 'item_sales_daily', count(*)::int FROM (
           (SELECT * FROM item_daily EXCEPT SELECT location_id, business_date, item_id, quantity, revenue FROM item_sales_daily)
           UNION ALL (SELECT location_id, business_date, item_id, quantity, revenue FROM item_sales_daily EXCEPT SELECT * FROM item_daily)) d
         UNION ALL
         SELECT 'payment_method_daily', count(*)::int FROM (
           (SELECT * FROM payment_daily EXCEPT SELECT location_id, business_date, payment_method, amount, orders FROM payment_method_daily)
           UNION ALL (SELECT location_id, business_date, payment_method, amount, orders FROM payment_method_daily EXCEPT SELECT * FROM payment_daily)) d`,
      );
      expect(mismatches).toEqual([
        { rollup: 'sales_hourly', rows: 0 },
        { rollup: 'item_sales_daily', rows: 0 },
        { rollup: 'payment_method_daily', rows: 0 },
      ]);
    }
  });

  it('skips tenants already seeded on the next run and writes nothing', async () => {
    const before = await digestOf(DEMO_TENANTS[0]!);
    const reports = await seedDemoTenants(owner, OPTIONS);
    expect(reports.map((r) => r.outcome)).toEqual(['skipped', 'skipped', 'skipped']);
    expect(await digestOf(DEMO_TENANTS[0]!)).toBe(before);
  });

  it('rebuilds the very same rows on a reset with the same seed and end', async () => {
    const before = await Promise.all(DEMO_TENANTS.map(digestOf));
    const reports = await seedDemoTenants(owner, { ...OPTIONS, reset: true });
    expect(reports.map((r) => [r.outcome, r.stateBefore])).toEqual(DEMO_TENANTS.map(() => ['seeded', 'seeded']));
    expect(await Promise.all(DEMO_TENANTS.map(digestOf))).toEqual(before);
  });

  it('finishes a reset that was interrupted after its sales were deleted', async () => {
    const cafe = DEMO_TENANTS[1]!;
    const before = await digestOf(cafe);
    await withTenantTransaction(owner, cafe.id, async (db) => {
      for (const table of SALES_TABLES) await db.query(`DELETE FROM ${table}`);
    });
    const reports = await seedDemoTenants(owner, OPTIONS);
    expect(reports.map((r) => [r.slug, r.outcome, r.stateBefore])).toEqual([
      ['pho-bo-hanoi', 'skipped', 'seeded'],
      ['ca-phe-sua-da', 'seeded', 'unfinished'],
      ['banh-mi-co-ba', 'skipped', 'seeded'],
    ]);
    expect(await digestOf(cafe)).toBe(before);
  });

  it('keeps nothing of a tenant whose seeding fails halfway through its orders', async () => {
    const stand: DemoTenant = { ...DEMO_TENANTS[2]!, id: randomUUID(), slug: 'banh-mi-thu-nghiem', ownerUserId: randomUUID() };
    const crashAfterFirstBatch = () => {
      throw new Error('simulated crash after the first batch');
    };
    await expect(seedDemoTenants(owner, { ...OPTIONS, scale: 1, tenants: [stand] }, crashAfterFirstBatch)).rejects.toThrow(
      /seeding banh-mi-thu-nghiem failed.*simulated crash/,
    );
    const [left] = await asTenant<{ tenants: number; orders: number }>(
      stand,
      'SELECT (SELECT count(*) FROM tenants)::int AS tenants, (SELECT count(*) FROM orders)::int AS orders',
    );
    expect(left).toEqual({ tenants: 0, orders: 0 });
  });
});
