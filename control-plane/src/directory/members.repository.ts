import type { DataSource } from 'typeorm';

export interface MemberRow {
  userId: string;
  phone: string;
  displayName: string | null;
  role: string;
  locationIds: string[] | null;
}

export interface InviteRow {
  id: string;
  tenantId: string;
  tenantName: string;
  phone: string;
  role: string;
  expiresAt: Date;
}

/** Thin queries on memberships, invites and join codes. */
export class MembersRepository {
  constructor(private readonly dataSource: DataSource) {}

  members(tenantId: string): Promise<MemberRow[]> {
    return this.dataSource.query(
      `SELECT u.id AS "userId", u.phone, u.display_name AS "displayName", m.role, m.location_ids AS "locationIds"
         FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.tenant_id = $1 ORDER BY m.role, u.phone`,
      [tenantId],
    );
  }

  async phoneOf(userId: string): Promise<string | null> {
    const [row] = await this.dataSource.query('SELECT phone FROM users WHERE id = $1', [userId]);
    return row?.phone ?? null;
  }

  async createInvite(invite: {
    tenantId: string;
    phone: string;
    role: string;
    locationIds: string[] | null;
    invitedBy: string;
    ttlHours: number;
  }): Promise<InviteRow> {
    const [row] = await this.dataSource.query(
      `WITH created AS (
         INSERT INTO invites (tenant_id, phone, role, location_ids, invited_by, expires_at)
         VALUES ($1, $2, $3, $4, $5, now() + make_interval(hours => $6)) RETURNING *)
       SELECT c.id, c.tenant_id AS "tenantId", t.name AS "tenantName", c.phone, c.role, c.expires_at AS "expiresAt"
         FROM created c JOIN tenants t ON t.id = c.tenant_id`,
      [invite.tenantId, invite.phone, invite.role, invite.locationIds, invite.invitedBy, invite.ttlHours],
    );
    return row;
  }

  openInvitesFor(phone: string): Promise<InviteRow[]> {
    return this.dataSource.query(
      `SELECT i.id, i.tenant_id AS "tenantId", t.name AS "tenantName", i.phone, i.role, i.expires_at AS "expiresAt"
         FROM invites i JOIN tenants t ON t.id = i.tenant_id
        WHERE i.phone = $1 AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > now() AND t.status = 'active'
        ORDER BY i.created_at DESC`,
      [phone],
    );
  }

  /** Accepts an open invite addressed to `phone`, making the user a member; null if there is none. */
  async acceptInvite(inviteId: string, phone: string, userId: string): Promise<string | null> {
    return this.dataSource.transaction(async (manager) => {
      // An UPDATE through TypeORM answers [rows, affected count].
      const [[invite]] = await manager.query(
        `UPDATE invites SET accepted_at = now()
          WHERE id = $1 AND phone = $2 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()
          RETURNING tenant_id AS "tenantId", role, location_ids AS "locationIds"`,
        [inviteId, phone],
      );
      if (!invite) return null;
      await manager.query(
        `INSERT INTO memberships (tenant_id, user_id, role, location_ids) VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant_id, user_id) DO NOTHING`,
        [invite.tenantId, userId, invite.role, invite.locationIds],
      );
      return invite.tenantId;
    });
  }

  async createJoinCode(code: {
    code: string;
    tenantId: string;
    role: string;
    locationIds: string[] | null;
    createdBy: string;
    ttlHours: number;
  }): Promise<{ code: string; expiresAt: Date } | null> {
    const [row] = await this.dataSource.query(
      `INSERT INTO join_codes (code, tenant_id, role, location_ids, created_by, expires_at)
       VALUES ($1, $2, $3, $4, $5, now() + make_interval(hours => $6)) ON CONFLICT (code) DO NOTHING
       RETURNING code, expires_at AS "expiresAt"`,
      [code.code, code.tenantId, code.role, code.locationIds, code.createdBy, code.ttlHours],
    );
    return row ?? null;
  }

  /** Joins with a live code; returns the tenant id, or null if the code is unknown or expired. */
  async joinWithCode(code: string, userId: string): Promise<string | null> {
    return this.dataSource.transaction(async (manager) => {
      const [row] = await manager.query(
        `SELECT tenant_id AS "tenantId", role, location_ids AS "locationIds" FROM join_codes
          WHERE code = $1 AND revoked_at IS NULL AND expires_at > now()`,
        [code],
      );
      if (!row) return null;
      await manager.query(
        `INSERT INTO memberships (tenant_id, user_id, role, location_ids) VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant_id, user_id) DO NOTHING`,
        [row.tenantId, userId, row.role, row.locationIds],
      );
      return row.tenantId;
    });
  }

  /**
   * Changes a member's role, or removes them, unless that would leave the business with no
   * owner. The owners are locked first, so two owners removing each other cannot both win.
   */
  async changeMember(
    tenantId: string,
    userId: string,
    change: { role: string; locationIds: string[] | null } | 'remove',
  ): Promise<'done' | 'not_found' | 'last_owner'> {
    return this.dataSource.transaction(async (manager) => {
      const owners: { userId: string }[] = await manager.query(
        `SELECT user_id AS "userId" FROM memberships WHERE tenant_id = $1 AND role = 'owner' FOR UPDATE`,
        [tenantId],
      );
      const [member] = await manager.query('SELECT role FROM memberships WHERE tenant_id = $1 AND user_id = $2 FOR UPDATE', [
        tenantId,
        userId,
      ]);
      if (!member) return 'not_found';
      const losesOwner = member.role === 'owner' && (change === 'remove' || change.role !== 'owner');
      if (losesOwner && owners.length <= 1) return 'last_owner';
      if (change === 'remove') {
        await manager.query('DELETE FROM memberships WHERE tenant_id = $1 AND user_id = $2', [tenantId, userId]);
      } else {
        await manager.query('UPDATE memberships SET role = $3, location_ids = $4 WHERE tenant_id = $1 AND user_id = $2', [
          tenantId,
          userId,
          change.role,
          change.locationIds,
        ]);
      }
      return 'done';
    });
  }
}
