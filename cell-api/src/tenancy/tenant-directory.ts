import { Injectable } from '@nestjs/common';
import type { TenantDb } from '@localstore/cell-db';

interface TenantFacts {
  slug: string;
  status: 'active' | 'suspended';
  fetchedAt: number;
}

/**
 * The cell's copy of who its tenants are, read through the request's own transaction
 * (so RLS shows only the token's tenant) and remembered briefly: slugs rarely change and
 * a suspension is honoured within a minute.
 */
@Injectable()
export class TenantDirectory {
  private static readonly TTL_MS = 60_000;
  private readonly known = new Map<string, TenantFacts>();

  async factsOf(db: TenantDb): Promise<TenantFacts | null> {
    const cached = this.known.get(db.tenantId);
    if (cached && Date.now() - cached.fetchedAt < TenantDirectory.TTL_MS) return cached;
    const [row] = await db.query<{ slug: string; status: TenantFacts['status'] }>('SELECT slug, status FROM tenants WHERE id = $1', [
      db.tenantId,
    ]);
    if (!row) {
      this.known.delete(db.tenantId);
      return null;
    }
    const facts = { ...row, fetchedAt: Date.now() };
    this.known.set(db.tenantId, facts);
    return facts;
  }
}
