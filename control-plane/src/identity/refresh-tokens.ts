import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { RefreshTokensRepository } from './refresh-tokens.repository';

export interface RefreshTokenRecord {
  id: string;
  familyId: string;
  userId: string;
  tenantId: string | null;
}

export type RotationOutcome =
  { kind: 'rotated'; record: RefreshTokenRecord; token: string } | { kind: 'invalid' } | { kind: 'reused'; record: RefreshTokenRecord };

const hashOf = (token: string) => createHash('sha256').update(token).digest();

/**
 * Opaque refresh tokens, kept in Postgres as SHA-256 hashes (they survive a Redis flush).
 * Each use rotates the token; presenting a used one means it leaked, so the whole family
 * (that login, on every device it reached) is revoked.
 */
export class RefreshTokens {
  constructor(
    private readonly tokens: RefreshTokensRepository,
    private readonly ttlDays: number,
  ) {}

  async issue(userId: string, tenantId: string | null, familyId: string = randomUUID()): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.tokens.insert({ familyId, userId, tenantId, tokenHash: hashOf(token), ttlDays: this.ttlDays });
    return token;
  }

  async rotate(presented: string): Promise<RotationOutcome> {
    return this.tokens.transaction(async (tokens) => {
      const row = await tokens.lockByHash(hashOf(presented));
      if (!row || row.revokedAt || row.expired) return { kind: 'invalid' } as const;
      const record: RefreshTokenRecord = { id: row.id, familyId: row.familyId, userId: row.userId, tenantId: row.tenantId };
      if (row.usedAt) {
        await tokens.revokeFamily(row.familyId);
        return { kind: 'reused', record } as const;
      }
      await tokens.markUsed(row.id);
      const token = randomBytes(32).toString('base64url');
      await tokens.insert({
        familyId: row.familyId,
        userId: row.userId,
        tenantId: row.tenantId,
        tokenHash: hashOf(token),
        ttlDays: this.ttlDays,
      });
      return { kind: 'rotated', record, token } as const;
    });
  }

  /** Ends the login the token belongs to. Unknown tokens are ignored (logout is idempotent). */
  async revokeFamilyOf(presented: string): Promise<void> {
    await this.tokens.revokeFamilyOfHash(hashOf(presented));
  }
}
