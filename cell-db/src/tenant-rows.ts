import { assertSchemaName } from './identifiers';
import { type Queryable, select } from './tenant-tables';
import type { TenantDb } from './tenant-transaction';

/** A business as the cell keeps it: the copy of the directory's facts the cell needs. */
export interface TenantRow {
  id: string;
  slug: string;
  name: string;
  /** Kept as it is on an update when not given; `pooled` for a new row. */
  plan?: 'pooled' | 'dedicated';
  /** Kept as it is on an update when not given; `active` for a new row. */
  status?: 'active' | 'suspended';
  /** When the business started (the demo's history begins before today); now for a new row. */
  createdAt?: Date;
}

/**
 * The one writer of the cell's `tenants` rows: the provisioning endpoint (signup), the
 * operator (placement) and the demo seed all put a tenant here, and a repeat is an update
 * (a retried signup is safe). Runs in the tenant's own transaction, since row-level
 * security is forced on the owner too. Inserting the row also marks the tenant `serving`
 * in `cell_tenants` (a trigger of the schema), so its payments start to flow.
 */
export async function upsertTenant(db: TenantDb, tenant: TenantRow): Promise<void> {
  await db.query(
    `INSERT INTO tenants (id, slug, name, plan, status, created_at)
     VALUES ($1, $2, $3, coalesce($4, 'pooled'), coalesce($5, 'active'), coalesce($6::timestamptz, now()))
     ON CONFLICT (id) DO UPDATE SET slug = excluded.slug, name = excluded.name,
       plan = coalesce($4, tenants.plan), status = coalesce($5, tenants.status)`,
    [tenant.id, tenant.slug, tenant.name, tenant.plan ?? null, tenant.status ?? null, tenant.createdAt ?? null],
  );
}

/**
 * Undoes an unfinished signup: the tenant's row goes only while it has no location, so a
 * business in use is never deleted this way. Says whether a row went.
 */
export async function deleteUnstartedTenant(db: TenantDb): Promise<boolean> {
  const rows = await db.query<{ id: string }>('DELETE FROM tenants WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM locations) RETURNING id', [
    db.tenantId,
  ]);
  return rows.length > 0;
}

/** Which cell consumes a tenant's payments (see the cell's `cell_tenants` migration). */
export type CellTenantState = 'arriving' | 'serving' | 'departed';

/**
 * The one writer of `cell_tenants` outside the schema's own trigger: `arriving` in a
 * promotion's target before any row is copied there, `serving` and `departed` at the route
 * switch. The table has no row-level security (the payments consumer lists it with no
 * tenant set), so this runs on any owner connection of the cell's database.
 */
export async function setTenantServing(owner: Queryable, schema: string, tenantId: string, state: CellTenantState): Promise<void> {
  await owner.query(
    `INSERT INTO "${assertSchemaName(schema)}".cell_tenants (id, state) VALUES ($1, $2)
     ON CONFLICT (id) DO UPDATE SET state = EXCLUDED.state, changed_at = now() WHERE cell_tenants.state IS DISTINCT FROM EXCLUDED.state`,
    [tenantId, state],
  );
}

/**
 * The tenants whose payments and nightly work this cell takes now (`serving`), in id order:
 * the payments consumer and the nightly insights read it with no tenant set, on a
 * connection whose search path is the cell's schema.
 */
export async function servingTenantIds(db: Queryable): Promise<string[]> {
  const rows = await select<{ id: string }>(db, `SELECT id FROM cell_tenants WHERE state = 'serving' ORDER BY id`);
  return rows.map((row) => row.id);
}
