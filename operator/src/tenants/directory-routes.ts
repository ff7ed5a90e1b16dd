import { Pool } from 'pg';
import { POSTGRES_SCHEMA_NAME } from '@localstore/common';

export type RouteState = 'active' | 'draining';

export interface Route {
  cell: string;
  state: RouteState;
}

/**
 * The operator's writes to the control plane's directory: the tenant's entry, the cells and
 * the route `tenant -> cell` the router serves from.
 *
 * Why the database and not the control plane's HTTP API: the route table is already the
 * contract between the directory and every router replica (they LISTEN for `route_changed`),
 * a promotion needs compare-and-set on a route (`draining` only if it still points at the
 * pooled cell) inside one statement, and the operator must be able to drain or roll back a
 * route while the control plane's pods are restarting. The control plane stays the only
 * owner of the schema and its migrations; the operator writes rows only.
 */
export class DirectoryRoutes {
  private readonly pool: Pool;

  constructor(url: string, schema: string) {
    if (!POSTGRES_SCHEMA_NAME.test(schema)) throw new Error(`DIRECTORY_SCHEMA "${schema}" is not an identifier`);
    this.pool = new Pool({
      connectionString: url,
      max: 4,
      application_name: 'localstore-operator',
      options: `-c search_path=${schema}`,
      connectionTimeoutMillis: 5_000,
    });
    this.pool.on('error', () => undefined);
  }

  /**
   * The tenant's directory entry, created on first sight (a Tenant applied with kubectl) or
   * found (signup wrote it). Returns its id, which never changes afterwards.
   */
  async ensureTenant(slug: string, name: string, plan: string): Promise<string> {
    const { rows } = await this.pool.query<{ id: string }>(
      `INSERT INTO tenants (slug, name, plan, status) VALUES ($1, $2, $3, 'provisioning')
       ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name, plan = EXCLUDED.plan
       RETURNING id`,
      [slug, name, plan],
    );
    return rows[0]!.id;
  }

  async setTenantStatus(tenantId: string, status: 'active' | 'suspended'): Promise<void> {
    await this.pool.query(`UPDATE tenants SET status = $2 WHERE id = $1 AND status IS DISTINCT FROM $2`, [tenantId, status]);
  }

  /** Registers (or updates) a cell the router may send traffic to. */
  async upsertCell(cell: { name: string; mode: string; endpoint: string; capacity: number }): Promise<void> {
    await this.pool.query(
      `INSERT INTO cells (name, mode, endpoint, capacity, status) VALUES ($1, $2, $3, $4, 'active')
       ON CONFLICT (name) DO UPDATE SET endpoint = EXCLUDED.endpoint, capacity = EXCLUDED.capacity, status = 'active'
       WHERE (cells.endpoint, cells.capacity, cells.status) IS DISTINCT FROM (EXCLUDED.endpoint, EXCLUDED.capacity, 'active')`,
      [cell.name, cell.mode, cell.endpoint, cell.capacity],
    );
  }

  /** A cell being deleted takes no new tenants (signup skips cordoned cells); routes keep their history. */
  async cordonCell(name: string): Promise<void> {
    await this.pool.query(`UPDATE cells SET status = 'cordoned' WHERE name = $1`, [name]);
  }

  async routeOf(tenantId: string): Promise<Route | undefined> {
    const { rows } = await this.pool.query<{ cell_name: string; state: RouteState }>(
      `SELECT cell_name, state FROM routes WHERE tenant_id = $1`,
      [tenantId],
    );
    return rows[0] ? { cell: rows[0].cell_name, state: rows[0].state } : undefined;
  }

  /** Points the tenant at a cell (active), whatever it pointed at before. */
  async setRoute(tenantId: string, cell: string, state: RouteState = 'active'): Promise<void> {
    await this.pool.query(
      `INSERT INTO routes (tenant_id, cell_name, state) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id) DO UPDATE SET cell_name = EXCLUDED.cell_name, state = EXCLUDED.state, updated_at = now()
       WHERE (routes.cell_name, routes.state) IS DISTINCT FROM (EXCLUDED.cell_name, EXCLUDED.state)`,
      [tenantId, cell, state],
    );
  }

  /** Changes the state of a route only if it still points at `cell`; true if it does now. */
  async setRouteStateIfAt(tenantId: string, cell: string, state: RouteState): Promise<boolean> {
    const { rows } = await this.pool.query(
      `UPDATE routes SET state = $3, updated_at = now() WHERE tenant_id = $1 AND cell_name = $2 RETURNING 1`,
      [tenantId, cell, state],
    );
    return rows.length === 1;
  }

  /** Tenants the directory routes to a cell: a cell with any is not deleted. */
  async tenantsRoutedTo(cell: string): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM routes WHERE cell_name = $1`, [cell]);
    return rows[0]!.n;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
