import type { DataSource } from 'typeorm';

export interface PlacedCell {
  name: string;
  endpoint: string;
}

/** Thin queries for creating, placing and routing tenants. */
export class TenantsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The pooled cell with room and the fewest tenants, or null when every one is full. */
  async pooledCellWithRoom(): Promise<PlacedCell | null> {
    const [cell] = await this.dataSource.query(
      `SELECT c.name, c.endpoint FROM cells c LEFT JOIN routes r ON r.cell_name = c.name
        WHERE c.mode = 'pooled' AND c.status = 'active'
        GROUP BY c.name, c.endpoint, c.capacity HAVING count(r.tenant_id) < c.capacity
        ORDER BY count(r.tenant_id), c.name LIMIT 1`,
    );
    return cell ?? null;
  }

  /** Slugs already taken that start with `base` (for choosing a free suffix). */
  async slugsLike(base: string): Promise<Set<string>> {
    const rows: { slug: string }[] = await this.dataSource.query(`SELECT slug FROM tenants WHERE slug = $1 OR slug LIKE $1 || '-%'`, [
      base,
    ]);
    return new Set(rows.map((row) => row.slug));
  }

  /** Step 1 of signup: the tenant (not routed yet) and its owner, together. False if the slug was taken meanwhile. */
  async insertProvisioning(tenant: { id: string; slug: string; name: string }, ownerUserId: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const inserted = await manager.query(
        `INSERT INTO tenants (id, slug, name, status) VALUES ($1, $2, $3, 'provisioning') ON CONFLICT (slug) DO NOTHING RETURNING id`,
        [tenant.id, tenant.slug, tenant.name],
      );
      if (inserted.length === 0) return false;
      await manager.query(`INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, 'owner')`, [tenant.id, ownerUserId]);
      return true;
    });
  }

  /** Last step of signup: the route, and the tenant becomes active (and routable). */
  async activate(tenantId: string, cellName: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`INSERT INTO routes (tenant_id, cell_name) VALUES ($1, $2)`, [tenantId, cellName]);
      await manager.query(`UPDATE tenants SET status = 'active' WHERE id = $1 AND status = 'provisioning'`, [tenantId]);
    });
  }

  /** Undoes an unfinished signup (memberships and route go with the tenant). */
  async removeProvisioning(tenantId: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM tenants WHERE id = $1 AND status = 'provisioning'`, [tenantId]);
  }

  /** Whether the tenant is active with a route: placed, by whoever places tenants here. */
  async isRouted(tenantId: string): Promise<boolean> {
    const rows = await this.dataSource.query(
      `SELECT 1 FROM tenants t JOIN routes r ON r.tenant_id = t.id WHERE t.id = $1 AND t.status = 'active'`,
      [tenantId],
    );
    return rows.length === 1;
  }

  async setPlan(tenantId: string, plan: 'pooled' | 'dedicated'): Promise<void> {
    await this.dataSource.query('UPDATE tenants SET plan = $2 WHERE id = $1', [tenantId, plan]);
  }
}
