import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { OWNER_URL } from '@localstore/common/testing';
import { CellInputError, assertSchemaName, assertTenantId } from './identifiers';
import { migrateCellSchema } from './migrate';
import { type TenantTable, tenantTablesInDependencyOrder } from './tenant-tables';

/**
 * The tenant tables of a real cell schema, read from the catalog of a real PostgreSQL.
 * Real: PostgreSQL, the cell's migrations. Stubbed: nothing.
 */
describe('tenant tables of a cell schema', () => {
  const schema = `test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  let owner: Pool;
  let tables: TenantTable[];
  const named = (name: string) => tables.find((table) => table.name === name)!;
  const position = (name: string) => tables.findIndex((table) => table.name === name);

  beforeAll(async () => {
    await migrateCellSchema({ cellName: 'test-cell', database: { ownerUrl: OWNER_URL, schema } });
    owner = new Pool({ connectionString: OWNER_URL, max: 2 });
    tables = await tenantTablesInDependencyOrder(owner, schema);
  });
  afterAll(async () => {
    await owner?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await owner?.end();
  });

  it('puts tenants before locations before orders before order lines', () => {
    expect(position('tenants')).toBe(0);
    expect(position('tenants')).toBeLessThan(position('locations'));
    expect(position('locations')).toBeLessThan(position('orders'));
    expect(position('orders')).toBeLessThan(position('order_items'));
    expect(position('menu_items')).toBeLessThan(position('order_items'));
    expect(position('menu_categories')).toBeLessThan(position('menu_items'));
    expect(position('menu_items')).toBeLessThan(position('modifiers'));
    expect(position('orders')).toBeLessThan(position('payments'));
  });

  it('places every referenced table before the tables referencing it, by the catalog', async () => {
    const { rows } = await owner.query<{ child: string; parent: string }>(
      `SELECT c.relname AS child, p.relname AS parent FROM pg_constraint k
         JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE k.contype = 'f' AND n.nspname = $1`,
      [schema],
    );
    expect(rows.length).toBeGreaterThan(20);
    for (const { child, parent } of rows) expect(position(parent), `${parent} before ${child}`).toBeLessThan(position(child));
  });

  it('lists every table holding tenant rows and nothing else', () => {
    expect(tables.map((table) => table.name).sort()).toEqual(
      [
        'anomalies',
        'audit_log',
        'demand_forecasts',
        'item_sales_daily',
        'locations',
        'menu_categories',
        'menu_items',
        'modifiers',
        'notifications',
        'order_items',
        'orders',
        'payment_method_daily',
        'payments',
        'push_devices',
        'recommendations',
        'sales_hourly',
        'staff',
        'tenants',
      ].sort(),
    );
    expect(named('tenants').tenantColumn).toBe('id');
    expect(named('orders').tenantColumn).toBe('tenant_id');
  });

  it('describes keys, insertable columns and the columns to sum', () => {
    expect(named('order_items').primaryKey).toEqual(['tenant_id', 'order_id', 'line_no']);
    expect(named('order_items').primaryKeyTypes).toEqual(['uuid', 'uuid', 'smallint']);
    expect(named('menu_items').columns).not.toContain('search_text');
    expect(named('menu_items').columns).toContain('price');
    expect(named('orders').summableColumns).toEqual(['hour', 'subtotal', 'discount', 'total', 'item_count']);
    expect(named('order_items').summableColumns).not.toContain('line_no');
    expect(named('tenants').summableColumns).toEqual([]);
  });

  it('refuses a schema name that is not an identifier, naming it, before any SQL', async () => {
    const pool = { query: vi.fn() };
    for (const hostile of ['test"; DROP SCHEMA public; --', 'Test', '', 'a'.repeat(64), 'public.x']) {
      await expect(tenantTablesInDependencyOrder(pool, hostile)).rejects.toThrow(CellInputError);
    }
    await expect(tenantTablesInDependencyOrder(pool, 'x y')).rejects.toThrow('"x y"');
    expect(pool.query).not.toHaveBeenCalled();
  });

  it('checks tenant ids and schema names, and keeps error messages short', () => {
    expect(assertTenantId('0F8FAD5B-D9CB-469F-A165-70867728950E')).toBe('0f8fad5b-d9cb-469f-a165-70867728950e');
    expect(() => assertTenantId("1' OR '1'='1")).toThrow(/tenant id "1' OR '1'='1" is not a UUID/);
    expect(() => assertTenantId(42)).toThrow(CellInputError);
    expect(() => assertSchemaName('x'.repeat(10_000))).toThrow(/…" is not a schema name/);
    expect(() => assertSchemaName('x'.repeat(10_000))).not.toThrow(/x{100}/);
  });

  it('reports a schema with no tables', async () => {
    await expect(tenantTablesInDependencyOrder(owner, 'test_no_such_schema')).rejects.toThrow('schema "test_no_such_schema" has no tables');
  });
});
