import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { loadCellConfig } from '../../src/config/cell-config';
import { createCellDataSource, migrateCellSchema, withTenantTransaction } from '@localstore/cell-db';
import { APP_URL, OWNER_URL } from '@localstore/common/testing';
import { SalesRepository } from '../../src/sales/sales.repository';
import { DemandModel } from './demand-model';
import { seedDemoTenants, type SeedDemoOptions } from './demo-seeder';
import { DEMO_TENANTS, type DemoTenant } from './demo-tenants';
import { demoTablesOf, SEEDED_ACTION, TOPPED_UP_ACTION, writeRollups } from './demo-writer';

/**
 * The seeder against a real PostgreSQL: a fresh schema migrated from scratch, written by
 * the schema owner under each tenant's row-level security, as `make seed-demo` does.
 * Real: PostgreSQL, migrations, RLS. Stubbed: nothing. Tiny scale keeps it to seconds.
 */
const OPTIONS: SeedDemoOptions = { reset: false, seed: 11, scale: 0.004, end: new Date('2026-03-15T12:30:00+07:00') };

let owner: DataSource;
let schema: string;

const asTenant = <T>(tenant: DemoTenant, sql: string) =>
  withTenantTransaction(owner, tenant.id, (db) => db.query<T & Record<string, unknown>>(sql));

/** Orders, lines, payments, voids and rollups of a tenant as one digest: equal digests, equal rows. */
async function digestOf(tenant: DemoTenant): Promise<string> {
  const [row] = await asTenant<{ digest: string }>(
    tenant,
    `SELECT md5(concat(
       (SELECT string_agg(o::text, '|' ORDER BY id) FROM (SELECT id, location_id, channel, status, payment_method, business_date,
          hour, created_at, subtotal, discount, total, item_count, paid_at, created_by, void_reason, voided_at, voided_by FROM orders) o),
       (SELECT string_agg(i::text, '|' ORDER BY order_id, line_no) FROM order_items i),
       (SELECT string_agg(p::text, '|' ORDER BY id) FROM (SELECT id, order_id, provider, provider_transaction_id, amount, paid_at FROM payments) p),
       (SELECT string_agg(a::text, '|' ORDER BY id) FROM (SELECT id, at, actor_user_id, entity_id, details FROM audit_log WHERE action = 'order.voided') a),
       (SELECT string_agg(s::text, '|' ORDER BY location_id, business_date, hour) FROM sales_hourly s),
       (SELECT string_agg(d::text, '|' ORDER BY location_id, business_date, item_id) FROM item_sales_daily d),
       (SELECT string_agg(m::text, '|' ORDER BY location_id, business_date, payment_method) FROM payment_method_daily m))) AS digest`,
  );
  return row!.digest;
}

/** Rows of each rollup that differ from the rollup recomputed from completed orders, both ways. */
async function rollupMismatchesOf(tenant: DemoTenant): Promise<Record<string, number>> {
  const rows = await asTenant<{ rollup: string; rows: number }>(
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
  return Object.fromEntries(rows.map((row) => [row.rollup, row.rows]));
}

const NO_MISMATCH = { sales_hourly: 0, item_sales_daily: 0, payment_method_daily: 0 };

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
                    OR hour <> extract(hour FROM created_at AT TIME ZONE 'Asia/Ho_Chi_Minh'))::int AS off_local_time,
                (SELECT count(*) FROM orders WHERE created_at >= '${report.through.toISOString()}'
                    OR paid_at >= '${OPTIONS.end.toISOString()}' OR voided_at >= '${OPTIONS.end.toISOString()}')::int AS after_the_end`,
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
        after_the_end: 0,
      });
      expect(report.through).toEqual(new Date('2026-03-15T12:00:00+07:00'));

      // Each rollup, recomputed from completed orders, must match row for row, both ways.
      expect(await rollupMismatchesOf(tenant)).toEqual(NO_MISMATCH);
    }
  });

  it('writes nothing on the next run while no hour has settled since the seed', async () => {
    const before = await digestOf(DEMO_TENANTS[0]!);
    // The seed stopped at 12:00 (the end was 12:30); 13:00 has not settled by 13:15.
    const reports = await seedDemoTenants(owner, { ...OPTIONS, end: new Date('2026-03-15T13:15:00+07:00') });
    expect(reports.map((r) => [r.outcome, r.orders])).toEqual([
      ['up_to_date', 0],
      ['up_to_date', 0],
      ['up_to_date', 0],
    ]);
    expect(reports[0]!.through).toEqual(new Date('2026-03-15T12:00:00+07:00'));
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
    const { sales } = await demoTablesOf(owner);
    await withTenantTransaction(owner, cafe.id, async (db) => {
      for (const table of sales) await db.query(`DELETE FROM ${table}`);
    });
    const reports = await seedDemoTenants(owner, OPTIONS);
    expect(reports.map((r) => [r.slug, r.outcome, r.stateBefore])).toEqual([
      ['pho-bo-hanoi', 'up_to_date', 'seeded'],
      ['ca-phe-sua-da', 'seeded', 'unfinished'],
      ['banh-mi-co-ba', 'up_to_date', 'seeded'],
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

describe('topping up a seeded demo tenant on a later run', () => {
  /** Seeded at 14:27, so up to 14:00; three days later at 19:05, so up to 18:00. */
  const SEEDED_AT = new Date('2026-03-15T14:27:00+07:00');
  const DAYS_LATER = new Date('2026-03-18T19:05:00+07:00');

  /** A copy of a demo tenant under its own id, with a month of history: each seed takes a fraction of a second. */
  const shortTenantLike = (tenant: DemoTenant, slug: string): DemoTenant => ({
    ...tenant,
    id: randomUUID(),
    slug,
    ownerUserId: randomUUID(),
    months: 1,
  });
  const optionsFor = (tenant: DemoTenant) => ({ reset: false, seed: 11, scale: 0.05, tenants: [tenant] });

  const marksOf = async (tenant: DemoTenant) => {
    const [row] = await asTenant<{ toppedUp: number }>(
      tenant,
      `SELECT count(*)::int AS "toppedUp" FROM audit_log WHERE action = '${TOPPED_UP_ACTION}'`,
    );
    return row!.toppedUp;
  };

  it('adds exactly the orders, voids, payments and rollups a seed up to the later time writes at once, with the tenant’s own seed and scale', async () => {
    const pho = shortTenantLike(DEMO_TENANTS[0]!, 'pho-top-up');
    const [seeded] = await seedDemoTenants(owner, { ...optionsFor(pho), end: SEEDED_AT });
    expect(seeded!.through).toEqual(new Date('2026-03-15T14:00:00+07:00'));

    // The command line's seed and scale are for new histories; a top-up goes on with the tenant's own.
    const [toppedUp] = await seedDemoTenants(owner, { ...optionsFor(pho), seed: 99, scale: 1, end: DAYS_LATER });
    expect(toppedUp).toMatchObject({
      outcome: 'topped_up',
      stateBefore: 'seeded',
      since: new Date('2026-03-15T14:00:00+07:00'),
      through: new Date('2026-03-18T18:00:00+07:00'),
      lastDate: '2026-03-18',
    });
    expect(toppedUp!.orders).toBeGreaterThan(200);
    const [added] = await asTenant<Record<string, number>>(
      pho,
      `SELECT (SELECT count(*) FROM orders WHERE created_at >= '${toppedUp!.since!.toISOString()}')::int AS orders,
              (SELECT count(*) FROM orders WHERE created_at >= '${toppedUp!.through.toISOString()}'
                  OR paid_at >= '${DAYS_LATER.toISOString()}' OR voided_at >= '${DAYS_LATER.toISOString()}')::int AS after_the_end`,
    );
    expect(added).toEqual({ orders: toppedUp!.orders, after_the_end: 0 });
    expect(await rollupMismatchesOf(pho)).toEqual(NO_MISMATCH);
    const pieces = await digestOf(pho);

    const [atOnce] = await seedDemoTenants(owner, { ...optionsFor(pho), reset: true, windowEnd: SEEDED_AT, end: DAYS_LATER });
    expect(atOnce!.orders).toBe(seeded!.orders + toppedUp!.orders);
    expect(atOnce!.revenue).toBe(seeded!.revenue + toppedUp!.revenue);
    expect(await digestOf(pho)).toBe(pieces);
  });

  it('adds nothing on a second run up to the same hour', async () => {
    const cafe = shortTenantLike(DEMO_TENANTS[1]!, 'cafe-top-up');
    await seedDemoTenants(owner, { ...optionsFor(cafe), end: SEEDED_AT });
    await seedDemoTenants(owner, { ...optionsFor(cafe), end: DAYS_LATER });
    const before = await digestOf(cafe);

    const [again] = await seedDemoTenants(owner, { ...optionsFor(cafe), end: new Date(DAYS_LATER.getTime() + 10 * 60_000) });
    expect(again).toMatchObject({ outcome: 'up_to_date', orders: 0, through: new Date('2026-03-18T18:00:00+07:00') });
    expect(await digestOf(cafe)).toBe(before);
    expect(await marksOf(cafe)).toBe(1);
  });

  it('counts a sale the app recorded between the seed and the top-up once in the rollups', async () => {
    const stand = shortTenantLike(DEMO_TENANTS[2]!, 'banh-mi-top-up');
    await seedDemoTenants(owner, { ...optionsFor(stand), end: SEEDED_AT });
    // A sale rung up on the POS the next morning, rollups and all, by the app's own repository.
    const other = new DemandModel({ tenant: stand, seed: 12345, scale: 1, end: DAYS_LATER });
    const sale = other.ordersOfDay(stand.locations[0]!, '2026-03-16').find((order) => !order.void && order.paymentMethod === 'cash')!;
    await withTenantTransaction(owner, stand.id, (db) =>
      new SalesRepository().insertSale(db, {
        ...sale,
        createdAt: new Date(sale.createdAtUnix * 1000),
        paidAt: new Date(sale.paidAtUnix! * 1000),
      }),
    );

    const [toppedUp] = await seedDemoTenants(owner, { ...optionsFor(stand), end: DAYS_LATER });
    expect(toppedUp!.outcome).toBe('topped_up');
    expect(await rollupMismatchesOf(stand)).toEqual(NO_MISMATCH);
  });

  it('tops up a tenant seeded before top-ups existed from the very second its history stopped, inside an hour', async () => {
    const pho = shortTenantLike(DEMO_TENANTS[0]!, 'pho-legacy');
    const [whole] = await seedDemoTenants(owner, { ...optionsFor(pho), end: DAYS_LATER });
    const expected = await digestOf(pho);

    // What an earlier seeder left when run at 12:20: orders up to that second, and a mark with no high-water mark but its end.
    const stoppedAt = new Date('2026-03-18T12:20:00+07:00').toISOString();
    const [split] = await asTenant<{ before: number; after: number }>(
      pho,
      `SELECT count(*) FILTER (WHERE created_at >= '2026-03-18T12:00:00+07:00' AND created_at < '${stoppedAt}')::int AS before,
              count(*) FILTER (WHERE created_at >= '${stoppedAt}' AND created_at < '2026-03-18T13:00:00+07:00')::int AS after FROM orders`,
    );
    expect(split!.before).toBeGreaterThan(0);
    expect(split!.after).toBeGreaterThan(0);
    await withTenantTransaction(owner, pho.id, async (db) => {
      const later = `SELECT id FROM orders WHERE created_at >= '${stoppedAt}'`;
      await db.query(`DELETE FROM order_items WHERE order_id IN (${later})`);
      await db.query(`DELETE FROM payments WHERE order_id IN (${later})`);
      await db.query(`DELETE FROM audit_log WHERE action = 'order.voided' AND entity_id IN (${later})`);
      await db.query(`DELETE FROM orders WHERE created_at >= '${stoppedAt}'`);
      for (const rollup of ['sales_hourly', 'item_sales_daily', 'payment_method_daily']) await db.query(`DELETE FROM ${rollup}`);
      await writeRollups(db);
      await db.query(`UPDATE audit_log SET details = $1::jsonb WHERE action = '${SEEDED_ACTION}'`, [
        JSON.stringify({ seed: 11, scale: 0.05, end: stoppedAt, orders: 1 }),
      ]);
    });

    const [toppedUp] = await seedDemoTenants(owner, { ...optionsFor(pho), end: DAYS_LATER });
    expect(toppedUp).toMatchObject({ outcome: 'topped_up', since: new Date(stoppedAt), through: whole!.through });
    expect(await digestOf(pho)).toBe(expected);
  });
});
