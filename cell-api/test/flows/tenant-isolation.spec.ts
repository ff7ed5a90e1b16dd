import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { tenantTablesInDependencyOrder } from '@localstore/cell-db';
import type { TestMenuItem, TestTenant } from '@localstore/cell-db/testing';
import { APP_URL } from '@localstore/common/testing';
import { LOCATION_DASHBOARD, ORDERS, RECORD_SALE, VOID_ORDER } from '../operations';
import { TestCell } from '../test-cell';

/**
 * Isolation is checked at every layer a request crosses: the token, the tenant named by
 * the router, and row-level security in Postgres. Tenant A tries B's ids everywhere.
 */
describe('tenant isolation', () => {
  let cell: TestCell;
  let a: TestTenant;
  let b: TestTenant;
  let aLocation: string;
  let bLocation: string;
  let bSecondLocation: string;
  let bItem: TestMenuItem;
  let aItem: TestMenuItem;
  let aToken: string;
  let bToken: string;
  let bOrderId: string;

  beforeAll(async () => {
    cell = await TestCell.start();
    a = await cell.factories.newTenant('quan-a');
    b = await cell.factories.newTenant('quan-b');
    aLocation = await cell.factories.newLocation(a);
    bLocation = await cell.factories.newLocation(b, 'B – Quận 1');
    bSecondLocation = await cell.factories.newLocation(b, 'B – Quận 7');
    aItem = await cell.factories.newMenuItem(a, { name: 'Bún chả' });
    bItem = await cell.factories.newMenuItem(b, { name: 'Phở gà' });
    aToken = await cell.token({ tid: a.id });
    bToken = await cell.token({ tid: b.id });
    const sale = await cell.gql(
      RECORD_SALE,
      { input: { id: randomUUID(), locationId: bLocation, items: [{ itemId: bItem.id, quantity: 1 }] } },
      { token: bToken, tenant: b.slug },
    );
    bOrderId = sale.data!.recordSale.id;
  });
  afterAll(() => cell?.stop());

  const asA = (query: string, variables: Record<string, unknown>) => cell.gql(query, variables, { token: aToken, tenant: a.slug });
  const bRows = async () =>
    (
      await cell.ownerQuery(
        b.id,
        `SELECT (SELECT count(*) FROM orders)::int AS orders, (SELECT sum(revenue) FROM sales_hourly)::int AS revenue,
      (SELECT string_agg(name || ':' || price, ',') FROM menu_items) AS menu, (SELECT status FROM orders WHERE id = $1) AS status`,
        [bOrderId],
      )
    )[0];

  describe('in the database', () => {
    it('forces row-level security on every tenant table the catalog shows', async () => {
      // Every table with a tenant_id column (and the tenants table they point at), read
      // from the catalog: a table added tomorrow is checked without editing a list.
      const tenantTables = (await tenantTablesInDependencyOrder(cell.owner, cell.config.database.schema)).map((table) => table.name);
      expect(tenantTables).toEqual(
        expect.arrayContaining(['tenants', 'locations', 'orders', 'order_items', 'payments', 'push_devices', 'demand_forecasts']),
      );
      const rows = await cell.owner.query(
        `SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = $1 AND c.relkind = 'r'`,
        [cell.config.database.schema],
      );
      const byName = new Map(rows.map((r: any) => [r.relname, r]));
      for (const table of tenantTables) {
        expect(byName.get(table), table).toMatchObject({ relrowsecurity: true, relforcerowsecurity: true });
      }
    });

    it('connects the application as a role that owns nothing and cannot bypass RLS', async () => {
      const app = new Client({ connectionString: APP_URL });
      await app.connect();
      try {
        const [role] = (await app.query('SELECT rolsuper, rolbypassrls, rolcreaterole FROM pg_roles WHERE rolname = current_user')).rows;
        expect(role).toEqual({ rolsuper: false, rolbypassrls: false, rolcreaterole: false });
        const owned = await app.query(
          `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND pg_get_userbyid(c.relowner) = current_user`,
          [cell.config.database.schema],
        );
        expect(owned.rows[0].n).toBe(0);
        const denied = await app.query(`DELETE FROM "${cell.config.database.schema}".orders`).then(
          () => 'deleted',
          (e: Error) => e.message,
        );
        expect(denied).toMatch(/permission denied/);
      } finally {
        await app.end();
      }
    });

    it('shows zero rows to a query without the tenant setting', async () => {
      const app = new Client({ connectionString: APP_URL, options: `-c search_path=${cell.config.database.schema},public` });
      await app.connect();
      try {
        for (const table of ['tenants', 'locations', 'menu_items', 'orders', 'order_items', 'sales_hourly']) {
          const { rows } = await app.query(`SELECT count(*)::int AS n FROM ${table}`);
          expect(rows[0].n, table).toBe(0);
        }
        // And a tenant set in one transaction does not leak into the next.
        await app.query(`BEGIN; SELECT set_config('app.tenant_id', '${b.id}', true)`);
        expect((await app.query('SELECT count(*)::int AS n FROM orders')).rows[0].n).toBe(1);
        await app.query('COMMIT');
        expect((await app.query('SELECT count(*)::int AS n FROM orders')).rows[0].n).toBe(0);
        const insert = await app.query(`INSERT INTO locations (tenant_id, name) VALUES ($1, 'lậu')`, [b.id]).then(
          () => 'inserted',
          (e: Error) => e.message,
        );
        expect(insert).toMatch(/row-level security/);
      } finally {
        await app.end();
      }
    });
  });

  describe("through the API with tenant A's token", () => {
    it("cannot read B's location, its dashboard or its orders", async () => {
      const dashboard = await asA(LOCATION_DASHBOARD, { id: bLocation });
      expect(dashboard.data).toBeNull();
      expect(dashboard.errors![0]!.extensions.code).toBe('NOT_FOUND');
      const orders = await asA(ORDERS, { locationId: bLocation });
      expect(orders.errors![0]!.extensions.code).toBe('NOT_FOUND');
      const list = await asA('{ locations { id } }', {});
      expect(list.data!.locations).toEqual([{ id: aLocation }]);
      const consolidated = await asA(
        'query($ids: [ID!]) { dashboard(range: {from: "2026-01-01", to: "2026-12-31"}, locationIds: $ids) { totals { revenue } locations { locationId } } }',
        { ids: [bLocation] },
      );
      expect(consolidated.data?.dashboard.totals.revenue ?? 0).toBe(0);
      expect(consolidated.data?.dashboard.locations ?? []).toEqual([]);
    });

    it('cannot void, sell at, or sell the menu of tenant B', async () => {
      const before = await bRows();
      const voided = await asA(VOID_ORDER, { id: bOrderId, reason: 'phá' });
      expect(voided.errors![0]!.extensions.code).toBe('NOT_FOUND');
      const atB = await asA(RECORD_SALE, {
        input: { id: randomUUID(), locationId: bLocation, items: [{ itemId: aItem.id, quantity: 1 }] },
      });
      expect(atB.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'input.locationId' });
      const bMenu = await asA(RECORD_SALE, {
        input: { id: randomUUID(), locationId: aLocation, items: [{ itemId: bItem.id, quantity: 1 }] },
      });
      expect(bMenu.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.items[0].itemId' });
      const replay = await asA(RECORD_SALE, { input: { id: bOrderId, locationId: aLocation, items: [{ itemId: aItem.id, quantity: 1 }] } });
      // The same UUID in A is simply a new order of A's; B's order is untouched and unseen.
      expect(replay.data?.recordSale.locationId).toBe(aLocation);
      expect(await bRows()).toEqual(before);
    });

    it("cannot change B's menu by passing B's ids", async () => {
      const before = await bRows();
      const intoBCategory = await asA('mutation($input: UpsertMenuItemInput!) { upsertMenuItem(input: $input) { id } }', {
        input: { categoryId: bItem.categoryId, name: 'Hack', price: 1 },
      });
      expect(intoBCategory.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.categoryId' });
      const archive = await asA('mutation($id: ID!) { archiveMenuItem(id: $id) { id } }', { id: bItem.id });
      expect(archive.errors![0]!.extensions.code).toBe('NOT_FOUND');
      const overwrite = await asA('mutation($input: UpsertMenuItemInput!) { upsertMenuItem(input: $input) { id name } }', {
        input: { id: bItem.id, categoryId: aItem.categoryId, name: 'Đè lên', price: 1 },
      });
      expect(overwrite.errors).toBeUndefined();
      expect(await bRows()).toEqual(before);
    });

    it('is refused when the router names tenant B', async () => {
      const { errors } = await cell.gql('{ locations { id } }', {}, { token: aToken, tenant: b.slug });
      expect(errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'TENANT_MISMATCH' });
      const byHost = await cell.gql('{ locations { id } }', {}, { token: aToken, headers: { host: `${b.slug}.localhost` } });
      expect(byHost.errors![0]!.extensions.code).toBe('FORBIDDEN');
      const noTenant = await cell.gql('{ locations { id } }', {}, { token: aToken });
      expect(noTenant.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'TENANT_NOT_IDENTIFIED' });
    });
  });

  describe('within a tenant', () => {
    it('keeps a manager of one location out of the others', async () => {
      const manager = await cell.token({ tid: b.id, role: 'manager', locs: [bLocation] });
      const own = await cell.gql(LOCATION_DASHBOARD, { id: bLocation }, { token: manager, tenant: b.slug });
      expect(own.errors).toBeUndefined();
      const other = await cell.gql(LOCATION_DASHBOARD, { id: bSecondLocation }, { token: manager, tenant: b.slug });
      expect(other.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'LOCATION_FORBIDDEN' });
      const list = await cell.gql('{ locations { id } }', {}, { token: manager, tenant: b.slug });
      expect(list.data!.locations).toEqual([{ id: bLocation }]);
      const sale = await cell.gql(
        RECORD_SALE,
        { input: { id: randomUUID(), locationId: bSecondLocation, items: [{ itemId: bItem.id, quantity: 1 }] } },
        { token: manager, tenant: b.slug },
      );
      expect(sale.errors![0]!.extensions.code).toBe('FORBIDDEN');
      const consolidated = await cell.gql(
        'query($ids: [ID!]) { dashboard(range: {from: "2026-01-01", to: "2026-01-31"}, locationIds: $ids) { totals { revenue } } }',
        { ids: [bSecondLocation] },
        { token: manager, tenant: b.slug },
      );
      expect(consolidated.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', field: 'locationIds[0]' });
    });

    it('lets only owners create locations', async () => {
      const staff = await cell.token({ tid: b.id, role: 'staff' });
      const { errors } = await cell.gql('mutation { createLocation(input: {name: "Mới"}) { id } }', {}, { token: staff, tenant: b.slug });
      expect(errors![0]!.extensions.code).toBe('FORBIDDEN');
    });
  });

  describe('authentication', () => {
    it('answers UNAUTHENTICATED without a valid token', async () => {
      const missing = await cell.gql('{ locations { id } }', {}, { tenant: a.slug });
      expect(missing.errors![0]!.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'TOKEN_MISSING' });
      const garbage = await cell.gql('{ locations { id } }', {}, { token: 'abc.def.ghi', tenant: a.slug });
      expect(garbage.errors![0]!.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'TOKEN_INVALID' });
      const expired = await cell.issuer.sign(
        { sub: randomUUID(), tid: a.id, role: 'owner', locs: '*' },
        { expiresIn: Math.floor(Date.now() / 1000) - 10 },
      );
      const late = await cell.gql('{ locations { id } }', {}, { token: expired, tenant: a.slug });
      expect(late.errors![0]!.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'TOKEN_EXPIRED' });
      const foreign = await cell.issuer.sign({ sub: randomUUID(), tid: a.id, role: 'owner', locs: '*' }, { issuer: 'someone-else' });
      const wrongIssuer = await cell.gql('{ locations { id } }', {}, { token: foreign, tenant: a.slug });
      expect(wrongIssuer.errors![0]!.extensions.code).toBe('UNAUTHENTICATED');
    });

    it('answers FORBIDDEN for a token of a tenant this cell does not hold, or a suspended one', async () => {
      const stranger = await cell.token({ tid: randomUUID() });
      const { errors } = await cell.gql('{ locations { id } }', {}, { token: stranger, tenant: a.slug });
      expect(errors![0]!.extensions.code).toBe('FORBIDDEN');
      const suspended = await cell.factories.newTenant('tam-ngung', 'suspended');
      const token = await cell.token({ tid: suspended.id });
      const refused = await cell.gql('{ locations { id } }', {}, { token, tenant: suspended.slug });
      expect(refused.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'TENANT_SUSPENDED' });
    });
  });
});
