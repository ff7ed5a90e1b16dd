import type { Pool, PoolClient, QueryResultRow } from 'pg';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { assertSchemaName, assertTenantId } from './identifiers';

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

/** Where the transaction's connection comes from: the cell's TypeORM data source, or a plain pg pool (the operator's). */
export type ConnectionSource = DataSource | Pool;

export interface TenantTransactionOptions {
  /** Counts statements (the cell's metrics). */
  observer?: QueryObserver;
  /**
   * Repeatable read on the transaction's own snapshot (`'own'`) or on one exported by
   * another transaction (its id): promotion copies a tenant as of one instant.
   */
  snapshot?: 'own' | string;
  /**
   * The cell schema whose tables unqualified names mean, for a connection whose
   * `search_path` does not name it (the operator's owner pool serves many cells).
   */
  schema?: string;
}

const SNAPSHOT_ID = /^[0-9A-F]+-[0-9A-F]+-[0-9]+$/i;

/** A connection taken for one transaction, whichever source it came from. */
interface Connection {
  client: PoolClient;
  manager?: EntityManager;
  /** Returns the connection; `discard` closes it instead (its ROLLBACK failed, its state is unknown). */
  release(discard: boolean): Promise<void>;
}

/**
 * A transaction that sees exactly one tenant's rows: the request path's (as the app role),
 * and the scripts', the operator's and the tests' (as the schema owner, on which row-level
 * security is forced too). Opened lazily by the first statement: BEGIN, the snapshot, the
 * tenant and the schema travel in one round trip (each is checked first, so splicing them
 * is safe). A connection whose ROLLBACK failed is discarded, not returned to the pool.
 */
export class TenantTransaction implements TenantDb {
  readonly tenantId: string;
  private connection?: Connection;
  private opening?: Promise<void>;
  private finished = false;
  private readonly committedEffects: (() => void | Promise<void>)[] = [];

  constructor(
    private readonly source: ConnectionSource,
    tenantId: string,
    private readonly options: TenantTransactionOptions = {},
  ) {
    this.tenantId = assertTenantId(tenantId);
    const { snapshot, schema } = options;
    if (snapshot !== undefined && snapshot !== 'own' && !SNAPSHOT_ID.test(snapshot))
      throw new Error(`"${snapshot}" is not an exported snapshot id`);
    if (schema !== undefined) assertSchemaName(schema);
  }

  async query<T extends QueryResultRow>(sql: string, params?: unknown[], name?: string): Promise<T[]> {
    const client = await this.client();
    this.options.observer?.onQuery();
    const result = name ? await client.query<T>({ name, text: sql, values: params ?? [] }) : await client.query<T>(sql, params);
    return result.rows;
  }

  /**
   * The transaction's own pg connection, for what `query` does not return (row counts,
   * array rows of bulk copies). Everything sent on it stays inside this transaction.
   */
  async client(): Promise<PoolClient> {
    await this.open();
    return this.connection!.client;
  }

  async manager(): Promise<EntityManager> {
    await this.open();
    if (!this.connection!.manager) throw new Error('a TypeORM manager needs a tenant transaction on a DataSource, not a pg Pool');
    return this.connection!.manager;
  }

  afterCommit(effect: () => void | Promise<void>): void {
    this.committedEffects.push(effect);
  }

  /** Commits (or rolls back) and returns the connection, then runs the effects of a commit. Safe to call more than once. */
  async finish(commit: boolean): Promise<void> {
    if (!this.opening || this.finished) return;
    this.finished = true;
    let discard = false;
    try {
      await this.opening;
      await this.connection!.client.query(commit ? 'COMMIT' : 'ROLLBACK');
    } catch (error) {
      // A failed COMMIT leaves nothing written; make sure the connection is clean.
      await this.connection?.client.query('ROLLBACK').catch(() => {
        discard = true;
      });
      if (commit) throw error;
      return;
    } finally {
      await this.connection?.release(discard);
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
    this.connection = await connect(this.source);
    const { snapshot, schema } = this.options;
    const begin =
      snapshot === undefined
        ? 'BEGIN'
        : snapshot === 'own'
          ? 'BEGIN ISOLATION LEVEL REPEATABLE READ'
          : `BEGIN ISOLATION LEVEL REPEATABLE READ; SET TRANSACTION SNAPSHOT '${snapshot}'`;
    const searchPath = schema === undefined ? '' : `; SELECT set_config('search_path', '"${schema}", public', true)`;
    // One round trip: BEGIN, the snapshot, the tenant setting and the schema travel together.
    this.options.observer?.onQuery();
    await this.connection.client.query(`${begin}; SELECT set_config('app.tenant_id', '${this.tenantId}', true)${searchPath}`);
  }
}

async function connect(source: ConnectionSource): Promise<Connection> {
  if ('createQueryRunner' in source) {
    const runner: QueryRunner = source.createQueryRunner();
    const client = (await runner.connect()) as PoolClient;
    // TypeORM's runner cannot discard its connection; a ROLLBACK fails on a connection that
    // is already broken, and pg's pool drops a client that is no longer queryable.
    return { client, manager: runner.manager, release: () => runner.release() };
  }
  const client = await source.connect();
  return {
    client,
    release: async (discard) => {
      client.release(discard);
    },
  };
}

/**
 * Runs `work` in a tenant transaction outside a GraphQL request (seeding, scripts, the
 * operator, tests), committing on success and rolling back on any error.
 */
export async function withTenantTransaction<T>(
  source: ConnectionSource,
  tenantId: string,
  work: (db: TenantTransaction) => Promise<T>,
  options?: TenantTransactionOptions,
): Promise<T> {
  const tx = new TenantTransaction(source, tenantId, options);
  try {
    const result = await work(tx);
    await tx.finish(true);
    return result;
  } catch (error) {
    await tx.finish(false);
    throw error;
  }
}

/** `withTenantTransaction` for code that works on the raw pg connection (bulk copies that need row counts). */
export function inTenantTransaction<T>(
  source: ConnectionSource,
  tenantId: string,
  work: (client: PoolClient) => Promise<T>,
  options?: TenantTransactionOptions,
): Promise<T> {
  return withTenantTransaction(source, tenantId, async (tx) => work(await tx.client()), options);
}
