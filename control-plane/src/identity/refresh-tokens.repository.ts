import type { DataSource, EntityManager } from 'typeorm';

/** A refresh token's row, found by the hash of the token presented. */
export interface StoredRefreshToken {
  id: string;
  familyId: string;
  userId: string;
  tenantId: string | null;
  usedAt: Date | null;
  revokedAt: Date | null;
  expired: boolean;
}

/** Thin queries on refresh tokens, which are kept as hashes; rotation and reuse rules are `RefreshTokens`'. */
export class RefreshTokensRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly db: Pick<EntityManager, 'query'> = dataSource,
  ) {}

  /** Runs `work` in one transaction, with a repository bound to it. */
  transaction<T>(work: (tokens: RefreshTokensRepository) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => work(new RefreshTokensRepository(this.dataSource, manager)));
  }

  async insert(token: { familyId: string; userId: string; tenantId: string | null; tokenHash: Buffer; ttlDays: number }): Promise<void> {
    await this.db.query(
      `INSERT INTO refresh_tokens (family_id, user_id, tenant_id, token_hash, expires_at)
       VALUES ($1, $2, $3, $4, now() + make_interval(days => $5))`,
      [token.familyId, token.userId, token.tenantId, token.tokenHash, token.ttlDays],
    );
  }

  /** The token with this hash, locked until the transaction ends, or null. */
  async lockByHash(tokenHash: Buffer): Promise<StoredRefreshToken | null> {
    const [row] = await this.db.query(
      `SELECT id, family_id AS "familyId", user_id AS "userId", tenant_id AS "tenantId", used_at AS "usedAt",
              revoked_at AS "revokedAt", expires_at < now() AS expired
         FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE`,
      [tokenHash],
    );
    return row ?? null;
  }

  async markUsed(id: string): Promise<void> {
    await this.db.query('UPDATE refresh_tokens SET used_at = now() WHERE id = $1', [id]);
  }

  async revokeFamily(familyId: string): Promise<void> {
    await this.db.query('UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL', [familyId]);
  }

  /** Revokes the family of the token with this hash; nothing when there is no such token. */
  async revokeFamilyOfHash(tokenHash: Buffer): Promise<void> {
    await this.db.query(
      `UPDATE refresh_tokens SET revoked_at = now()
        WHERE revoked_at IS NULL AND family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = $1)`,
      [tokenHash],
    );
  }
}
