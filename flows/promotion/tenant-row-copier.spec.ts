import { inTenantTransaction, migrateCellSchema, CellInputError } from '@localstore/cell-db';
import { randomUUID } from 'node:crypto';
import { Client, Pool, type PoolClient } from 'pg';
import type { TestMenuItem, TestTenant } from '@localstore/cell-db/testing';
import { RECORD_SALE, VOID_ORDER } from '@localstore/cell-api/testing';
import { TestCell } from '@localstore/cell-api/testing';
import { MAINTENANCE_URL, OWNER_URL, TEST_DATABASE } from '@localstore/common/testing';
import { CAPTURE_TRIGGER, ChangeCapture, drainWentOnWaiting } from '@localstore/operator/testing';
import { type CopyEndpoint, TenantRowCopier } from '@localstore/operator/testing';

const OTHER_DATABASE = `${TEST_DATABASE}_promotion`;
const inDatabase = (url: string, database: string) => url.replace(/\/[^/?]+(\?|$)/, `/${database}$1`);
const newSchemaName = () => `test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
/** 2^53 + 1: a JavaScript number would round it; the copy must not. */
const HUGE = '9007199254740993';

async function migrated(schema: string, database = TEST_DATABASE): Promise<void> {
  await migrateCellSchema({ cellName: 'test-cell', database: { ownerUrl: inDatabase(OWNER_URL, database), schema } });
}

/** A second database on the same server: the copy then has to go through the process. */
async function ensureOtherDatabase(): Promise<void> {
  const maintenance = new Client({ connectionString: MAINTENANCE_URL });
  await maintenance.connect();
  try {
    const { rowCount } = await maintenance.query('SELECT 1 FROM pg_database WHERE datname = $1', [OTHER_DATABASE]);
    if (!rowCount) {
      await maintenance.query(`CREATE DATABASE "${OTHER_DATABASE}"`).catch((error: { code?: string }) => {
        if (error.code !== '42P04' && error.code !== '23505') throw error; // created meanwhile by another run
      });
    }
  } finally {
    await maintenance.end();
  }
}

/**
 * Copying a tenant out of a pooled cell, on a real running cell: sales arrive through its
 * GraphQL API while the copy runs, and the copy lands in another schema of the same
 * database or in another database.
 * Real: PostgreSQL (two databases), the cell API over HTTP, JWT/JWKS. Stubbed: nothing.
 */
describe("copying a tenant's rows to its dedicated schema", () => {
  let cell: TestCell;
  let owner: Pool;
  let otherOwner: Pool;
  let pooled: CopyEndpoint;
  let dedicated: CopyEndpoint;
  let elsewhere: CopyEndpoint;
  let tenantA: TestTenant;
  let tenantB: TestTenant;
  let locationA: string;
  let locationB: string;
  let phoA: TestMenuItem;
  let phoB: TestMenuItem;
  let tokenA: string;
  let tokenB: string;
  let lastSeq: bigint;

  const asTenant = <T>(pool: Pool, tenantId: string, work: (db: PoolClient) => Promise<T>): Promise<T> =>
    inTenantTransaction(pool, tenantId, work);

  /** `count` orders of two lines each, their hourly rollups, some payments and one huge rollup figure. */
  async function seedSales(tenant: TestTenant, locationId: string, item: TestMenuItem, count: number): Promise<void> {
    const s = pooled.schema;
    await asTenant(owner, tenant.id, async (db) => {
      await db.query(
        `WITH o AS (
           INSERT INTO ${s}.orders (tenant_id, id, location_id, channel, payment_method, business_date, hour, created_at,
                                    subtotal, discount, total, item_count, paid_at, created_by)
           SELECT $1, gen_random_uuid(), $2, 'dine_in', 'cash', (t AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
                  extract(hour FROM t AT TIME ZONE 'Asia/Ho_Chi_Minh')::int, t, 110000 + g, 10000, 100000 + g, 2, t, $1
             FROM generate_series(1, $4::int) g CROSS JOIN LATERAL (SELECT now() - make_interval(mins => g) AS t) x
           RETURNING tenant_id, id)
         INSERT INTO ${s}.order_items (tenant_id, order_id, line_no, item_id, item_name, quantity, unit_price, modifiers, line_total)
         SELECT o.tenant_id, o.id, l, $3, 'Phở bò tái', l, 55000, '[{"name": "Thêm thịt", "priceDelta": 15000}]', 55000 * l
           FROM o CROSS JOIN generate_series(1, 2) l`,
        [tenant.id, locationId, item.id, count],
      );
      await db.query(
        `INSERT INTO ${s}.sales_hourly (tenant_id, location_id, business_date, hour, revenue, orders, items)
         SELECT tenant_id, location_id, business_date, hour, sum(total), count(*), sum(item_count) FROM ${s}.orders GROUP BY 1, 2, 3, 4`,
      );
      await db.query(
        `INSERT INTO ${s}.payments (tenant_id, location_id, order_id, provider, provider_transaction_id, amount, status, paid_at)
         SELECT tenant_id, location_id, id, 'momo', 'momo-' || id, total, 'succeeded', created_at FROM ${s}.orders ORDER BY id LIMIT 100`,
      );
      await db.query(
        `INSERT INTO ${s}.item_sales_daily (tenant_id, location_id, business_date, item_id, quantity, revenue) VALUES ($1, $2, '2020-01-01', $3, 1, $4)`,
        [tenant.id, locationId, item.id, HUGE],
      );
    });
  }

  /** Rows of `tenantId` per table in one schema, as the owner under that tenant's RLS scope. */
  async function rowCounts(endpoint: CopyEndpoint, tenantId: string): Promise<Record<string, number>> {
    const tables = [
      'tenants',
      'locations',
      'menu_categories',
      'menu_items',
      'modifiers',
      'orders',
      'order_items',
      'payments',
      'sales_hourly',
      'item_sales_daily',
      'audit_log',
    ];
    const { rows } = await asTenant(endpoint.pool, tenantId, (db) =>
      db.query<Record<string, string>>(
        `SELECT ${tables.map((t) => `(SELECT count(*) FROM ${endpoint.schema}.${t})::text AS ${t}`).join(', ')}`,
      ),
    );
    return Object.fromEntries(Object.entries(rows[0]!).map(([table, n]) => [table, Number(n)]));
  }

  const sale = (tenant: TestTenant, token: string, locationId: string, item: TestMenuItem, id = randomUUID()) =>
    cell.gql(
      RECORD_SALE,
      { input: { id, locationId, items: [{ itemId: item.id, quantity: 2 }], channel: 'TAKEAWAY', paymentMethod: 'CASH' } },
      { token, tenant: tenant.slug },
    );
  const allMatch = async (copier: TenantRowCopier) => (await copier.verify()).filter((table) => !table.matches).map((table) => table.table);

  beforeAll(async () => {
    cell = await TestCell.start();
    owner = new Pool({ connectionString: OWNER_URL, max: 8 });
    pooled = { pool: owner, schema: cell.config.database.schema };
    dedicated = { pool: owner, schema: newSchemaName() };
    await migrated(dedicated.schema);
    await ensureOtherDatabase();
    otherOwner = new Pool({ connectionString: inDatabase(OWNER_URL, OTHER_DATABASE), max: 8 });
    elsewhere = { pool: otherOwner, schema: newSchemaName() };
    await migrated(elsewhere.schema, OTHER_DATABASE);

    tenantA = await cell.factories.newTenant('pho-a');
    tenantB = await cell.factories.newTenant('pho-b');
    locationA = await cell.factories.newLocation(tenantA);
    locationB = await cell.factories.newLocation(tenantB);
    phoA = await cell.factories.newMenuItem(tenantA, { name: 'Phở bò tái', price: 55_000 });
    phoB = await cell.factories.newMenuItem(tenantB, { name: 'Phở gà', price: 45_000 });
    await cell.factories.newModifier(tenantA, phoA.id, 'Thêm thịt', 15_000);
    await seedSales(tenantA, locationA, phoA, 3_000);
    await seedSales(tenantB, locationB, phoB, 500);
    tokenA = await cell.token({ tid: tenantA.id });
    tokenB = await cell.token({ tid: tenantB.id });
  });
  afterAll(async () => {
    for (const tenant of [tenantA, tenantB]) if (tenant) await new ChangeCapture(owner, pooled.schema, tenant.id).uninstall();
    await owner?.query(`DROP SCHEMA IF EXISTS "${dedicated.schema}" CASCADE`);
    await otherOwner?.query(`DROP SCHEMA IF EXISTS "${elsewhere.schema}" CASCADE`);
    await owner?.end();
    await otherOwner?.end();
    await cell?.stop();
  });

  it("copies exactly the tenant's rows out of a pooled schema, and counts, sums and digests match", async () => {
    const sut = new TenantRowCopier(pooled, dedicated, tenantA.id, { batchRows: 500 });
    expect(await sut.copyPath()).toBe('same-database');
    const progress: [string, number][] = [];
    const copied = await sut.copyAll((table, rows) => progress.push([table, rows]));

    const comparisons = await sut.verify();
    expect(comparisons.filter((table) => !table.matches)).toEqual([]);
    const orders = comparisons.find((table) => table.table === 'orders')!;
    expect(orders).toMatchObject({ sourceRows: 3_000, targetRows: 3_000 });
    expect(orders.sourceSums.total).toBe(String(3_000 * 100_000 + (3_000 * 3_001) / 2));
    expect(copied.rows).toBe(comparisons.reduce((sum, table) => sum + table.sourceRows, 0));
    expect(copied.tables).toBe(18);
    expect(progress.filter(([table]) => table === 'orders').map(([, rows]) => rows)).toEqual([500, 1000, 1500, 2000, 2500, 3000]);

    expect(await rowCounts(dedicated, tenantA.id)).toEqual(await rowCounts(pooled, tenantA.id));
    expect(Object.values(await rowCounts(dedicated, tenantB.id)).every((n) => n === 0)).toBe(true);
    const [item] = (
      await asTenant(owner, tenantA.id, (db) => db.query(`SELECT search_text, price::text FROM ${dedicated.schema}.menu_items`))
    ).rows;
    expect(item).toEqual({ search_text: 'pho bo tai', price: '55000' });
    const huge = await asTenant(owner, tenantA.id, (db) =>
      db.query(`SELECT revenue::text FROM ${dedicated.schema}.item_sales_daily WHERE business_date = '2020-01-01'`),
    );
    expect(huge.rows).toEqual([{ revenue: HUGE }]);
  });

  it('copies through the process into another database with the same result', async () => {
    const sut = new TenantRowCopier(pooled, elsewhere, tenantA.id, { batchRows: 700 });
    expect(await sut.copyPath()).toBe('through-process');
    await sut.copyAll();
    expect(await allMatch(sut)).toEqual([]);
    expect(await rowCounts(elsewhere, tenantA.id)).toEqual(await rowCounts(pooled, tenantA.id));
    expect(Object.values(await rowCounts(elsewhere, tenantB.id)).every((n) => n === 0)).toBe(true);
    const huge = await asTenant(otherOwner, tenantA.id, (db) =>
      db.query(`SELECT revenue::text FROM ${elsewhere.schema}.item_sales_daily WHERE business_date = '2020-01-01'`),
    );
    expect(huge.rows).toEqual([{ revenue: HUGE }]);
    await sut.removeFromTarget();
  });

  it('captures sales recorded and orders voided during the copy, and catch-up makes the copies match', async () => {
    const sut = new TenantRowCopier(pooled, dedicated, tenantA.id, { batchRows: 100 });
    const [first] = (
      await asTenant(owner, tenantA.id, (db) => db.query<{ id: string }>(`SELECT id FROM ${pooled.schema}.orders ORDER BY id LIMIT 1`))
    ).rows;
    const during: Promise<{ errors?: unknown }>[] = [];
    const newSales = [randomUUID(), randomUUID(), randomUUID()];
    const copied = await sut.copyAll((table) => {
      if (table !== 'orders' || during.length > 0) return;
      // The first batch of orders is in the target: void one of them, and sell more.
      during.push(cell.gql(VOID_ORDER, { id: first!.id, reason: 'Khách đổi ý' }, { token: tokenA, tenant: tenantA.slug }));
      for (const id of newSales) during.push(sale(tenantA, tokenA, locationA, phoA, id));
    });
    for (const answer of await Promise.all(during)) expect(answer.errors).toBeUndefined();

    const status = (schema: string) =>
      asTenant(
        owner,
        tenantA.id,
        async (db) => (await db.query(`SELECT status FROM ${schema}.orders WHERE id = $1`, [first!.id])).rows[0].status,
      );
    expect(await status(dedicated.schema)).toBe('completed');
    expect(await status(pooled.schema)).toBe('voided');
    expect(await allMatch(sut)).toContain('orders');
    const logged = await new ChangeCapture(owner, pooled.schema, tenantA.id).changesSince(copied.lastChangeSeq);
    expect(logged.filter((change) => change.table === 'orders').map((change) => change.primaryKey.id)).toEqual(
      expect.arrayContaining([first!.id, ...newSales]),
    );

    const caught = await sut.catchUp(copied.lastChangeSeq);
    expect(caught.rows).toBeGreaterThanOrEqual(1 + newSales.length * 2);
    expect(await allMatch(sut)).toEqual([]);
    expect(await status(dedicated.schema)).toBe('voided');
    const again = await sut.catchUp(copied.lastChangeSeq);
    expect(again.lastSeq).toBeGreaterThanOrEqual(caught.lastSeq);
    expect(await allMatch(sut)).toEqual([]);
    lastSeq = again.lastSeq;
  });

  it('freezes the tenant: its writes fail with LSMOV while its neighbour writes, after its earlier transaction, whose row catch-up brings', async () => {
    const sut = new TenantRowCopier(pooled, dedicated, tenantA.id);
    const capture = new ChangeCapture(owner, pooled.schema, tenantA.id);
    const early = await owner.connect();
    let frozen = false;
    let freezing: Promise<void> | undefined;
    let lateLocation: string;
    try {
      await early.query('BEGIN');
      await early.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantA.id]);
      const { rows } = await early.query<{ id: string }>(
        `INSERT INTO ${pooled.schema}.locations (tenant_id, name) VALUES ($1, 'Chi nhánh Thủ Đức') RETURNING id`,
        [tenantA.id],
      );
      lateLocation = rows[0]!.id;
      freezing = capture.freeze().then(() => {
        frozen = true;
      });
      await vi.waitFor(async () => expect((await capture.state()).frozen).toBe(true), { timeout: 10_000 });
      await drainWentOnWaiting(owner);
      expect(frozen).toBe(false);
      await early.query('COMMIT');
    } finally {
      await early.query('ROLLBACK').catch(() => undefined);
      early.release();
    }
    await freezing;

    await expect(
      asTenant(owner, tenantA.id, (db) =>
        db.query(`INSERT INTO ${pooled.schema}.locations (tenant_id, name) VALUES ($1, 'Chi nhánh mới')`, [tenantA.id]),
      ),
    ).rejects.toMatchObject({ code: 'LSMOV' });
    expect((await sale(tenantB, tokenB, locationB, phoB)).errors).toBeUndefined();

    const caught = await sut.catchUp(lastSeq);
    expect(caught.rows).toBeGreaterThanOrEqual(1);
    const copiedLocation = await asTenant(owner, tenantA.id, (db) =>
      db.query(`SELECT name FROM ${dedicated.schema}.locations WHERE id = $1`, [lateLocation]),
    );
    expect(copiedLocation.rows).toEqual([{ name: 'Chi nhánh Thủ Đức' }]);
    expect(await allMatch(sut)).toEqual([]);
  });

  it('starts a copy restarted after a failure midway from a clean target, and verifies', async () => {
    const stopped = (table: string, rows: number) => {
      if (table === 'orders' && rows >= 500) throw new Error('operator stopped');
    };
    // Through the process, batches committed before the failure stay in the target.
    const throughProcess = new TenantRowCopier(pooled, dedicated, tenantA.id, { batchRows: 250, sameDatabaseFastPath: false });
    await expect(throughProcess.copyAll(stopped)).rejects.toThrow('operator stopped');
    expect((await rowCounts(dedicated, tenantA.id)).orders).toBe(500);
    expect((await rowCounts(dedicated, tenantA.id)).order_items).toBe(0);
    await asTenant(owner, tenantA.id, (db) =>
      db.query(`INSERT INTO ${dedicated.schema}.locations (tenant_id, name) VALUES ($1, 'Chỉ có ở đích')`, [tenantA.id]),
    );

    // Inside the database the copy is one transaction: a failure leaves nothing new behind.
    const sut = new TenantRowCopier(pooled, dedicated, tenantA.id, { batchRows: 250 });
    await expect(sut.copyAll(stopped)).rejects.toThrow('operator stopped');
    expect(await rowCounts(dedicated, tenantA.id)).toMatchObject({ tenants: 0, orders: 0 });

    await sut.copyAll();
    expect(await allMatch(sut)).toEqual([]);
    const stray = await asTenant(owner, tenantA.id, (db) =>
      db.query(`SELECT 1 FROM ${dedicated.schema}.locations WHERE name = 'Chỉ có ở đích'`),
    );
    expect(stray.rows).toEqual([]);
  });

  it('rolls a copy back by emptying the target of the tenant', async () => {
    const sut = new TenantRowCopier(pooled, dedicated, tenantA.id, { batchRows: 1_000 });
    const removed = await sut.removeFromTarget();
    expect(removed.rows).toBeGreaterThan(9_000);
    expect(Object.values(await rowCounts(dedicated, tenantA.id)).every((n) => n === 0)).toBe(true);
    expect((await sut.verify()).every((table) => table.targetRows === 0)).toBe(true);
    expect((await rowCounts(pooled, tenantA.id)).orders).toBe(3_003);
  });

  it('keeps the source rows while the tenant still writes there or while the target does not hold it', async () => {
    const tenantC = await cell.factories.newTenant('pho-c');
    await cell.factories.newLocation(tenantC);
    const sut = new TenantRowCopier(pooled, dedicated, tenantC.id);
    await expect(sut.removeFromSource()).rejects.toThrow(`holds no tenants row of tenant ${tenantC.id}`);
    await sut.copyAll();
    await expect(sut.removeFromSource()).rejects.toThrow('freeze it before removing its rows');
    expect((await rowCounts(pooled, tenantC.id)).locations).toBe(1);
    await new ChangeCapture(owner, pooled.schema, tenantC.id).uninstall();
    await sut.removeFromTarget();
  });

  it('removes the moved tenant from the pooled schema, leaves its neighbour, and then no trigger is left', async () => {
    const sut = new TenantRowCopier(pooled, dedicated, tenantA.id, { batchRows: 400 });
    await sut.copyAll();
    const capture = new ChangeCapture(owner, pooled.schema, tenantA.id);
    await capture.freeze();
    await sut.catchUp(0n);
    expect(await allMatch(sut)).toEqual([]);
    const neighbour = await rowCounts(pooled, tenantB.id);

    const removed = await sut.removeFromSource();
    expect(removed.rows).toBeGreaterThan(9_000);
    expect(Object.values(await rowCounts(pooled, tenantA.id)).every((n) => n === 0)).toBe(true);
    expect(await rowCounts(pooled, tenantB.id)).toEqual(neighbour);
    expect((await rowCounts(dedicated, tenantA.id)).orders).toBe(3_003);
    await expect(
      asTenant(owner, tenantA.id, (db) =>
        db.query(`INSERT INTO ${pooled.schema}.tenants (id, slug, name) VALUES ($1, 'pho-a-again', 'Quán')`, [tenantA.id]),
      ),
    ).rejects.toMatchObject({ code: 'LSMOV' });

    await capture.uninstall();
    const { rows } = await owner.query(
      `SELECT count(*)::int AS n FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND t.tgname = $2`,
      [pooled.schema, CAPTURE_TRIGGER],
    );
    expect(rows[0].n).toBe(0);
    expect((await sale(tenantB, tokenB, locationB, phoB)).errors).toBeUndefined();
  });

  it('refuses a tenant id, schema name or batch size it cannot trust, naming it, before any SQL', async () => {
    const pool = { connect: vi.fn(), query: vi.fn() } as unknown as Pool;
    const source = { pool, schema: 'test_source' };
    const target = { pool, schema: 'test_target' };
    expect(() => new TenantRowCopier(source, target, 'pho-a')).toThrow(new CellInputError('tenant id "pho-a" is not a UUID'));
    expect(() => new TenantRowCopier(source, target, `${tenantA.id}' OR '1'='1`)).toThrow(CellInputError);
    expect(() => new TenantRowCopier({ pool, schema: 'cell"; DROP SCHEMA x; --' }, target, tenantA.id)).toThrow(
      /source schema "cell\\"; DROP SCHEMA x; --" is not a schema name/,
    );
    expect(() => new TenantRowCopier(source, { pool, schema: 'Public' }, tenantA.id)).toThrow(/target schema "Public"/);
    expect(() => new TenantRowCopier(source, { schema: 'test_target' } as CopyEndpoint, tenantA.id)).toThrow('target needs a pg pool');
    for (const batchRows of [0, -1, 1.5, 1e9, Number.NaN, '10' as unknown as number]) {
      expect(() => new TenantRowCopier(source, target, tenantA.id, { batchRows })).toThrow(/batchRows .* is not a whole number/);
    }
    const sut = new TenantRowCopier(source, target, tenantA.id);
    await expect(sut.catchUp(-1n)).rejects.toThrow(CellInputError);
    await expect(sut.catchUp('7' as unknown as bigint)).rejects.toThrow('change position 7 is not a bigint');
    expect(pool.connect).not.toHaveBeenCalled();
    expect(pool.query).not.toHaveBeenCalled();
  });

  it('refuses to copy a schema onto itself', async () => {
    const sut = new TenantRowCopier(pooled, { pool: owner, schema: pooled.schema }, tenantB.id);
    await expect(sut.copyAll()).rejects.toThrow(`source and target are the same schema "${pooled.schema}"`);
    await expect(sut.removeFromTarget()).rejects.toThrow(CellInputError);
    expect((await rowCounts(pooled, tenantB.id)).orders).toBeGreaterThan(500);
  });
});
