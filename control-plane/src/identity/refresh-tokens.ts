import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';

export interface RefreshTokenRecord {
  id: string;
  familyId: string;
  userId: string;
  tenantId: string | null;
}

export type RotationOutcome =
  | { kind: 'rotated'; record: RefreshTokenRecord; token: string }
  | { kind: 'invalid' }
  | { kind: 'reused'; record: RefreshTokenRecord };

const hashOf = (token: string) => createHash('sha256').update(token).digest();

/**
 * Opaque refresh tokens, kept in Postgres as SHA-256 hashes (they survive a Redis flush).
 * Each use rotates the token; presenting a used one means it leaked, so the whole family
 * (that login, on every device it reached) is revoked.
 */
export class RefreshTokens {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ttlDays: number,
  ) {}

  async issue(userId: string, tenantId: string | null, familyId: string = randomUUID()): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.dataSource.query(
      `INSERT INTO refresh_tokens (family_id, user_id, tenant_id, token_hash, expires_at)
       VALUES ($1, $2, $3, $4, now() + make_interval(days => $5))`,
      [familyId, userId, tenantId, hashOf(token), this.ttlDays],
    );
    return token;
  }

  async rotate(presented: string): Promise<RotationOutcome> {
    return this.dataSource.transaction(async (manager) => {
      const [row] = await manager.query(
        `SELECT id, family_id AS "familyId", user_id AS "userId", tenant_id AS "tenantId", used_at AS "usedAt",
                revoked_at AS "revokedAt", expires_at < now() AS expired
           FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE`,
        [hashOf(presented)],
      );
      if (!row || row.revokedAt || row.expired) return { kind: 'invalid' } as const;
      const record: RefreshTokenRecord = { id: row.id, familyId: row.familyId, userId: row.userId, tenantId: row.tenantId };
      if (row.usedAt) {
        await manager.query('UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL', [row.familyId]);
        return { kind: 'reused', record } as const;
      }
      await manager.query('UPDATE refresh_tokens SET used_at = now() WHERE id = $1', [row.id]);
      const token = randomBytes(32).toString('base64url');
      await manager.query(
        `INSERT INTO refresh_tokens (family_id, user_id, tenant_id, token_hash, expires_at)
         VALUES ($1, $2, $3, $4, now() + make_interval(days => $5))`,
        [row.familyId, row.userId, row.tenantId, hashOf(token), this.ttlDays],
      );
      return { kind: 'rotated', record, token } as const;
    });
  }

  /** Ends the login the token belongs to. Unknown tokens are ignored (logout is idempotent). */
  async revokeFamilyOf(presented: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE refresh_tokens SET revoked_at = now()
        WHERE revoked_at IS NULL AND family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = $1)`,
      [hashOf(presented)],
    );
  }
}
