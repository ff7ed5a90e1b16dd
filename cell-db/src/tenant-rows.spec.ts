import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { OWNER_URL } from '@localstore/common/testing';
import { CellInputError } from './identifiers';
import { migrateCellSchema } from './migrate';
import { deleteUnstartedTenant, servingTenantIds, setTenantServing, upsertTenant } from './tenant-rows';
import { type TenantTransaction, withTenantTransaction } from './tenant-transaction';

/**
 * The writers of a cell's tenant rows, on a real migrated schema as its owner (row-level
 * security is forced on the owner too, so each write runs in the tenant's transaction).
 * Real: PostgreSQL, the cell's migrations and its trigger. Stubbed: nothing.
 */
describe('the tenant rows of a cell', () => {
  const schema = `test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  let owner: Pool;
  const asTenant = <T>(tenantId: string, work: (db: TenantTransaction) => Promise<T>) =>
    withTenantTransaction(owner, tenantId, work, { schema });
  const tenantRow = async (id: string) =>
    (await asTenant(id, (db) => db.query('SELECT slug, name, plan, status, created_at FROM tenants WHERE id = $1', [id])))[0];
  const servingState = async (id: string) =>
    (await owner.query(`SELECT state FROM "${schema}".cell_tenants WHERE id = $1`, [id])).rows[0]?.state;

  beforeAll(async () => {
    await migrateCellSchema({ cellName: 'test-cell', database: { ownerUrl: OWNER_URL, schema } });
    // Unqualified names (servingTenantIds) resolve in the schema, as on a cell's own connection.
    owner = new Pool({ connectionString: OWNER_URL, max: 2, options: `-c search_path=${schema},public` });
  });
  afterAll(async () => {
    await owner?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await owner?.end();
  });

  it('creates a tenant once, as pooled and active, and marks it served by the cell', async () => {
    const id = randomUUID();
    await asTenant(id, (db) => upsertTenant(db, { id, slug: `pho-${id.slice(0, 6)}`, name: 'Phở Bò' }));
    await asTenant(id, (db) => upsertTenant(db, { id, slug: `pho-${id.slice(0, 6)}`, name: 'Phở Bò' }));
    expect(await tenantRow(id)).toMatchObject({ name: 'Phở Bò', plan: 'pooled', status: 'active' });
    expect(await servingState(id)).toBe('serving');
    expect(await servingTenantIds(owner)).toContain(id);
  });

  it('updates slug, name and the plan it is given, and keeps the status it is not given', async () => {
    const id = randomUUID();
    const since = new Date('2024-01-01T00:00:00+07:00');
    await asTenant(id, (db) =>
      upsertTenant(db, { id, slug: `cafe-${id.slice(0, 6)}`, name: 'Cà phê', status: 'suspended', createdAt: since }),
    );
    await asTenant(id, (db) => upsertTenant(db, { id, slug: `ca-phe-${id.slice(0, 6)}`, name: 'Cà phê sữa đá', plan: 'dedicated' }));
    expect(await tenantRow(id)).toEqual({
      slug: `ca-phe-${id.slice(0, 6)}`,
      name: 'Cà phê sữa đá',
      plan: 'dedicated',
      status: 'suspended',
      created_at: since,
    });
  });

  it('deletes an unstarted tenant, and never one that has a location', async () => {
    const [unstarted, started] = [randomUUID(), randomUUID()];
    for (const id of [unstarted, started]) await asTenant(id, (db) => upsertTenant(db, { id, slug: `t-${id.slice(0, 8)}`, name: 'Quán' }));
    await asTenant(started, (db) => db.query('INSERT INTO locations (tenant_id, name) VALUES ($1, $2)', [started, 'Quận 1']));
    expect(await asTenant(unstarted, deleteUnstartedTenant)).toBe(true);
    expect(await asTenant(started, deleteUnstartedTenant)).toBe(false);
    expect(await tenantRow(unstarted)).toBeUndefined();
    expect(await tenantRow(started)).toMatchObject({ name: 'Quán' });
  });

  it('moves a tenant through arriving, serving and departed, and lists only the served ones', async () => {
    const id = randomUUID();
    await setTenantServing(owner, schema, id, 'arriving');
    expect(await servingTenantIds(owner)).not.toContain(id);
    await setTenantServing(owner, schema, id, 'serving');
    expect(await servingTenantIds(owner)).toContain(id);
    await setTenantServing(owner, schema, id, 'departed');
    expect(await servingState(id)).toBe('departed');
    expect(await servingTenantIds(owner)).not.toContain(id);
  });

  it('refuses a hostile schema name or tenant id before any SQL is sent', async () => {
    await expect(setTenantServing(owner, 'cell"; DROP SCHEMA public; --', randomUUID(), 'serving')).rejects.toThrow(CellInputError);
    await expect(withTenantTransaction(owner, "x'; --", () => Promise.resolve())).rejects.toThrow(CellInputError);
    await expect(withTenantTransaction(owner, randomUUID(), () => Promise.resolve(), { schema: 'Public; DROP' })).rejects.toThrow(
      CellInputError,
    );
  });
});
