import type { DataSource, EntityManager } from 'typeorm';
import type { TenantGrant } from '../identity/access-token.issuer';

export interface Membership extends TenantGrant {
  slug: string;
  name: string;
  plan: string;
}

/** Thin queries on users and memberships of the directory. */
export class DirectoryRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The user of a verified phone, created on first sign-in. */
  async userIdForPhone(phone: string): Promise<string> {
    const [row] = await this.dataSource.query(
      `INSERT INTO users (phone) VALUES ($1)
       ON CONFLICT (phone) DO UPDATE SET phone = excluded.phone
       RETURNING id`,
      [phone],
    );
    return row.id;
  }

  membershipsOf(userId: string, manager: EntityManager = this.dataSource.manager): Promise<Membership[]> {
    return manager.query(
      `SELECT m.tenant_id AS "tenantId", m.role, m.location_ids AS "locationIds", t.slug, t.name, t.plan
         FROM memberships m JOIN tenants t ON t.id = m.tenant_id
        WHERE m.user_id = $1 AND t.status = 'active'
        ORDER BY t.name`,
      [userId],
    );
  }

  async membership(userId: string, tenantId: string): Promise<Membership | null> {
    const rows = await this.membershipsOf(userId);
    return rows.find((m) => m.tenantId === tenantId) ?? null;
  }

  async recordSecurityEvent(kind: string, userId: string | null, ip: string | null, details: Record<string, unknown>): Promise<void> {
    await this.dataSource.query('INSERT INTO security_events (kind, user_id, ip, details) VALUES ($1, $2, $3, $4)', [
      kind,
      userId,
      ip,
      details,
    ]);
  }
}
