import type { PoolClient, QueryResultRow } from 'pg';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { isUuid } from '@localstore/common';

/**
 * The only door to tenant data. A request gets one of these for its tenant; the first
 * query opens a transaction and sets `app.tenant_id` for it (SET LOCAL semantics), so
 * row-level security scopes every statement that follows. There is no other way for
 * feature code to reach a connection.
 */
export interface TenantDb {
  readonly tenantId: string;
  /**
   * Runs one statement. A `name` makes it a prepared statement on the connection (parsed
   * and planned once per connection): for the hot paths, whose text never changes.
   */
  query<T extends QueryResultRow = Record<string, unknown>>(sql: string, params?: unknown[], name?: string): Promise<T[]>;
  /** TypeORM's manager on the same connection and transaction, for ordinary reads and writes. */
  manager(): Promise<EntityManager>;
  /**
   * Runs `effect` once the transaction has committed (never if it rolls back): cache
   * invalidation, broadcasts, pushes. Effects run in the order registered, each awaited,
   * before `finish` returns: a client answered after a commit never reads what it changed
   * from a stale cache.
   */
  afterCommit(effect: () => void | Promise<void>): void;
}

export interface QueryObserver {
  onQuery(): void;
}

export class TenantTransaction implements TenantDb {
  private runner?: QueryRunner;
  private client?: PoolClient;
  private opening?: Promise<void>;
  private finished = false;
  private readonly committedEffects: (() => void | Promise<void>)[] = [];

  constructor(
    private readonly dataSource: DataSource,
    readonly tenantId: string,
    private readonly observer?: QueryObserver,
  ) {
    // The id is interpolated into the BEGIN batch below; it must be exactly a UUID.
    if (!isUuid(tenantId)) throw new Error('TenantTransaction needs a UUID tenant id');
  }

  async query<T extends QueryResultRow>(sql: string, params?: unknown[], name?: string): Promise<T[]> {
    await this.open();
    this.observer?.onQuery();
    const result = name
      ? await this.client!.query<T>({ name, text: sql, values: params ?? [] })
      : await this.client!.query<T>(sql, params);
    return result.rows;
  }

  async manager(): Promise<EntityManager> {
    await this.open();
    return this.runner!.manager;
  }

  afterCommit(effect: () => void | Promise<void>): void {
    this.committedEffects.push(effect);
  }

  /** Commits (or rolls back) and returns the connection, then runs the effects of a commit. Safe to call more than once. */
  async finish(commit: boolean): Promise<void> {
    if (!this.opening || this.finished) return;
    this.finished = true;
    try {
      await this.opening;
      await this.client!.query(commit ? 'COMMIT' : 'ROLLBACK');
    } catch (error) {
      // A failed COMMIT leaves nothing written; make sure the connection is clean.
      await this.client?.query('ROLLBACK').catch(() => undefined);
      if (commit) throw error;
      return;
    } finally {
      await this.runner?.release();
    }
    if (!commit) return;
    for (const effect of this.committedEffects) {
      try {
        await effect();
      } catch {
        // An effect (a broadcast) failing must not turn a committed write into an error.
      }
    }
  }

  private open(): Promise<void> {
    if (this.finished) return Promise.reject(new Error('tenant transaction already finished'));
    this.opening ??= this.begin();
    return this.opening;
  }

  private async begin(): Promise<void> {
    this.runner = this.dataSource.createQueryRunner();
    this.client = (await this.runner.connect()) as PoolClient;
    // One round trip: BEGIN and the tenant setting travel together.
    this.observer?.onQuery();
    await this.client.query(`BEGIN; SELECT set_config('app.tenant_id', '${this.tenantId}', true)`);
  }
}

/**
 * Runs `work` in a tenant transaction outside a GraphQL request (seeding, scripts, tests),
 * committing on success and rolling back on any error.
 */
export async function withTenantTransaction<T>(
  dataSource: DataSource,
  tenantId: string,
  work: (db: TenantDb) => Promise<T>,
): Promise<T> {
  const tx = new TenantTransaction(dataSource, tenantId);
  try {
    const result = await work(tx);
    await tx.finish(true);
    return result;
  } catch (error) {
    await tx.finish(false);
    throw error;
  }
}
