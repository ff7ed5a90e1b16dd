import type { Pool, PoolClient } from 'pg';
import { ChangeCapture, type ChangeCaptureOptions } from './change-capture';
import {
  assertSchemaName,
  assertTenantId,
  CHANGE_LOG_TABLE,
  CellInputError,
  inTenantTransaction,
  quoteIdent,
  type TenantTable,
  tenantTablesInDependencyOrder,
} from '@localstore/cell-db';

/** One side of a copy: a pool connected as the schema's owner, and the schema. */
export interface CopyEndpoint {
  pool: Pool;
  schema: string;
}

export interface TenantRowCopierOptions {
  /** Rows per keyset batch of a copy, a catch-up or a removal (5000). */
  batchRows?: number;
  /**
   * When both pools reach the same database as the same user, copy each batch with one
   * `INSERT … SELECT` inside the database (all batches in one transaction) instead of
   * through this process. On by default.
   */
  sameDatabaseFastPath?: boolean;
  /** Passed to the change capture that `copyAll` and `catchUp` use on the source. */
  capture?: ChangeCaptureOptions;
}

export interface CopyResult {
  tables: number;
  rows: number;
  /** Change-log position taken before the copy began: catch up from here. */
  lastChangeSeq: bigint;
}

export interface CatchUpResult {
  /** Rows written or deleted in the target. */
  rows: number;
  /** Change-log position applied up to: the next catch-up starts from here. */
  lastSeq: bigint;
}

export interface TableComparison {
  table: string;
  sourceRows: number;
  targetRows: number;
  /** Sum of each summable column, as an exact decimal string. */
  sourceSums: Record<string, string>;
  targetSums: Record<string, string>;
  /**
   * Order-independent digest of every row's values (sum of 60-bit prefixes of each row's
   * md5), so a copied row whose text or date differs is caught too, not only counts and sums.
   */
  sourceDigest: string;
  targetDigest: string;
  matches: boolean;
}

export interface RemovalResult {
  tables: number;
  rows: number;
}

/** How batches travel: inside one database, or read out and written back through this process. */
export type CopyPath = 'same-database' | 'through-process';

const MAX_BATCH_ROWS = 100_000;
/** What `pg_export_snapshot()` returns, e.g. `00000003-0000001B-1`. */
const SNAPSHOT_ID = /^[0-9A-F]+-[0-9A-F]+-[0-9]+$/i;

/**
 * The database half of promoting a tenant from a pooled cell to a dedicated one: copies
 * the tenant's rows from the source schema to the target schema table by table (parents
 * first), applies the writes captured since, compares both sides, and removes the rows
 * from one side or the other. Both pools connect as their schema's owner; row-level
 * security is forced on the owner too, so every transaction sets `app.tenant_id` to the
 * tenant and sees exactly its rows.
 */
export class TenantRowCopier {
  readonly tenantId: string;
  private readonly batchRows: number;
  private readonly fastPathAllowed: boolean;
  private readonly capture: ChangeCapture;
  private tablesRead?: Promise<TenantTable[]>;
  private pathDecided?: Promise<CopyPath>;

  constructor(
    private readonly source: CopyEndpoint,
    private readonly target: CopyEndpoint,
    tenantId: string,
    options: TenantRowCopierOptions = {},
  ) {
    assertEndpoint(source, 'source');
    assertEndpoint(target, 'target');
    this.tenantId = assertTenantId(tenantId);
    const batchRows = options.batchRows ?? 5_000;
    if (!Number.isSafeInteger(batchRows) || batchRows < 1 || batchRows > MAX_BATCH_ROWS) {
      throw new CellInputError(`batchRows ${String(batchRows)} is not a whole number from 1 to ${MAX_BATCH_ROWS}`);
    }
    this.batchRows = batchRows;
    this.fastPathAllowed = options.sameDatabaseFastPath ?? true;
    this.capture = new ChangeCapture(source.pool, source.schema, this.tenantId, options.capture);
  }

  /**
   * Copies every row of the tenant. Starts clean (rows of an earlier, interrupted copy are
   * removed from the target first) and installs change capture before reading anything.
   * Every batch reads one snapshot of the source, taken after every change up to
   * `lastChangeSeq` committed: the target's foreign keys need a consistent image (order
   * lines inserted after the orders table was copied would otherwise point at orders the
   * target does not have). What changes after the snapshot is in the change log after
   * `lastChangeSeq`, for `catchUp`.
   *
   * Through the process, each batch is written in its own transaction. Inside one
   * database, the whole copy is one repeatable-read transaction: a transaction that imports
   * the source snapshot would run the target's foreign key checks against that snapshot
   * too, and not see the parent rows its earlier batches committed.
   */
  async copyAll(onProgress?: (table: string, rows: number) => void): Promise<CopyResult> {
    const path = await this.copyPath();
    const tables = await this.tables();
    await this.assertTargetShape(tables);
    await this.capture.install();
    await this.removeFromTarget();
    const lastChangeSeq = await this.capture.position();
    const copyTables = async (batchesOf: (table: TenantTable) => AsyncGenerator<number>) => {
      let rows = 0;
      for (const table of tables) {
        let copied = 0;
        for await (const count of batchesOf(table)) {
          copied += count;
          rows += count;
          onProgress?.(table.name, copied);
        }
      }
      return { tables: tables.length, rows, lastChangeSeq };
    };
    if (path === 'same-database') {
      return this.inTenantTransaction(this.target.pool, (client) => copyTables((table) => this.copyInDatabase(table, client)), 'own');
    }
    return this.withSourceSnapshot((snapshot) => copyTables((table) => this.copyThroughProcess(table, snapshot)));
  }

  /**
   * Applies the changes logged after `fromSeq`: each changed row that still exists in the
   * source is written to the target (parents first, inserted or updated in place), then
   * each that no longer does is deleted from it (children first). Rows are upserted rather
   * than deleted and re-inserted because an updated parent (a voided order) still has
   * unchanged children (its lines) referencing it in the target. Log and rows are read
   * from one snapshot of the source, so a changed row never points at a parent the target
   * lacks; `lastSeq` is a position every change up to which that snapshot holds (changes
   * after it that it holds too are applied again next time, which changes nothing).
   */
  async catchUp(fromSeq: bigint): Promise<CatchUpResult> {
    if (typeof fromSeq !== 'bigint' || fromSeq < 0n) throw new CellInputError(`change position ${String(fromSeq)} is not a bigint >= 0`);
    await this.assertDistinctEndpoints();
    const upTo = await this.capture.position();
    if (upTo < fromSeq) {
      throw new Error(`change log of "${this.source.schema}" ends at ${upTo}, before ${fromSeq}: capture was reinstalled; copy again`);
    }
    if (upTo === fromSeq) return { rows: 0, lastSeq: upTo };
    const tables = await this.tables();
    let rows = 0;
    const goneKeys = new Map<string, string[]>();
    await this.withSourceSnapshot(async (snapshot) => {
      for (const table of tables) {
        let after: string | null = null;
        for (;;) {
          const batch = await this.changedRows(table, fromSeq, snapshot, after);
          if (batch.keys === 0) break;
          rows += await this.inTenantTransaction(this.target.pool, (client) => this.upsert(client, table, batch.present));
          if (batch.absent !== '[]') goneKeys.set(table.name, [...(goneKeys.get(table.name) ?? []), batch.absent]);
          after = batch.last;
          if (batch.keys < this.batchRows) break;
        }
      }
    });
    for (const table of [...tables].reverse()) {
      for (const keys of goneKeys.get(table.name) ?? []) {
        rows += await this.inTenantTransaction(this.target.pool, async (client) => {
          const typedKeys = table.primaryKey
            .map((column, i) => `(key ->> ${literal(column)})::${table.primaryKeyTypes[i]} AS k${i}`)
            .join(', ');
          const match = table.primaryKey.map((column, i) => `t.${quoteIdent(column)} = k.k${i}`);
          const deleted = await client.query(
            `WITH k AS MATERIALIZED (SELECT ${typedKeys} FROM json_array_elements($1::json) AS e(key))
             DELETE FROM ${this.qualified(this.target, table)} t USING k
              WHERE t.${quoteIdent(table.tenantColumn)} = $2 AND ${match.join(' AND ')}`,
            [keys, this.tenantId],
          );
          return deleted.rowCount ?? 0;
        });
      }
    }
    return { rows, lastSeq: upTo };
  }

  /**
   * Counts, sums and (unless `digests: false`) row digests of the tenant's rows on both
   * sides, table by table. The digest hashes every row, several seconds for millions of
   * rows: a promotion compares counts and sums while writes are paused and keeps the pause
   * short; the digest is for a check with time to spare.
   */
  async verify(options: { digests?: boolean } = {}): Promise<TableComparison[]> {
    const digests = options.digests ?? true;
    const tables = await this.tables();
    return Promise.all(
      tables.map(async (table) => {
        const [source, target] = await Promise.all([
          this.summarise(this.source, table, digests),
          this.summarise(this.target, table, digests),
        ]);
        const matches =
          source.rows === target.rows &&
          source.digest === target.digest &&
          table.summableColumns.every((column) => source.sums[column] === target.sums[column]);
        return {
          table: table.name,
          sourceRows: source.rows,
          targetRows: target.rows,
          sourceSums: source.sums,
          targetSums: target.sums,
          sourceDigest: source.digest,
          targetDigest: target.digest,
          matches,
        };
      }),
    );
  }

  /** Rolls a copy back: deletes the tenant's rows from the target, children first. */
  async removeFromTarget(): Promise<RemovalResult> {
    await this.assertDistinctEndpoints();
    return this.removeAll(this.target);
  }

  /**
   * Deletes the tenant's rows from the source (after the grace period), children first, in
   * short batches so a busy pooled schema never waits on a long lock. While the tenant is
   * still frozen there, its deletes are let through and every other write stays refused.
   * Refused when the tenant still writes in the source (moving but not frozen) and when the
   * target does not hold the tenant: the source rows must never be the only copy.
   */
  async removeFromSource(): Promise<RemovalResult> {
    await this.assertDistinctEndpoints();
    const tables = await this.tables();
    const root = tables.find((table) => table.tenantColumn === table.primaryKey.join(',')) ?? tables[0]!;
    const held = await this.inTenantTransaction(this.target.pool, (client) =>
      client.query(`SELECT 1 FROM ${this.qualified(this.target, root)} WHERE ${quoteIdent(root.tenantColumn)} = $1 LIMIT 1`, [
        this.tenantId,
      ]),
    );
    if (!held.rowCount) {
      throw new Error(
        `target "${this.target.schema}" holds no ${root.name} row of tenant ${this.tenantId}; its rows in "${this.source.schema}" are kept`,
      );
    }
    await this.capture.permitRemoval();
    return this.removeAll(this.source);
  }

  /** Which way batches travel: decided once per copier from the two pools' databases. */
  copyPath(): Promise<CopyPath> {
    this.pathDecided ??= (async () => {
      const [source, target] = await Promise.all([databaseIdentity(this.source.pool), databaseIdentity(this.target.pool)]);
      if (source.database === target.database && this.source.schema === this.target.schema) {
        throw new CellInputError(`source and target are the same schema "${this.source.schema}" of the same database`);
      }
      const sameDatabase = source.database === target.database && source.user === target.user;
      return this.fastPathAllowed && sameDatabase ? 'same-database' : 'through-process';
    })();
    this.pathDecided.catch(() => {
      this.pathDecided = undefined;
    });
    return this.pathDecided;
  }

  private async assertDistinctEndpoints(): Promise<void> {
    await this.copyPath();
  }

  private tables(): Promise<TenantTable[]> {
    this.tablesRead ??= tenantTablesInDependencyOrder(this.source.pool, this.source.schema);
    this.tablesRead.catch(() => {
      this.tablesRead = undefined;
    });
    return this.tablesRead;
  }

  /** Refuses to copy into a schema whose tenant tables or columns differ from the source's. */
  private async assertTargetShape(tables: TenantTable[]): Promise<void> {
    const targetTables = new Map((await tenantTablesInDependencyOrder(this.target.pool, this.target.schema)).map((t) => [t.name, t]));
    const problems: string[] = [];
    for (const table of tables) {
      const other = targetTables.get(table.name);
      if (!other) problems.push(`table ${table.name} is missing`);
      else if (other.columns.join(',') !== table.columns.join(',') || other.primaryKey.join(',') !== table.primaryKey.join(',')) {
        problems.push(`table ${table.name} has other columns or another primary key`);
      }
    }
    if (problems.length > 0) {
      throw new Error(
        `target schema "${this.target.schema}" does not match source "${this.source.schema}": ${problems.join('; ')} (migrate it first)`,
      );
    }
  }

  private qualified(endpoint: CopyEndpoint, table: TenantTable): string {
    return `${quoteIdent(endpoint.schema)}.${quoteIdent(table.name)}`;
  }

  /**
   * The `WHERE` of one keyset batch: the tenant's rows after the last key copied. The tenant
   * column, fixed by the equality, is left out of the row comparison: with it, PostgreSQL
   * starts each index scan at the tenant's first row and walks to the key (595 ms per batch
   * two million rows in, against 3 ms without).
   */
  private batchFilter(table: TenantTable, after: string[] | null): { sql: string; params: unknown[] } {
    const tenant = `${quoteIdent(table.tenantColumn)} = $1`;
    if (!after) return { sql: tenant, params: [this.tenantId] };
    const rest = table.primaryKey
      .map((column, i) => ({ column, type: table.primaryKeyTypes[i]!, value: after[i] }))
      .filter(({ column }) => column !== table.tenantColumn);
    if (rest.length === 0) return { sql: `${tenant} AND false`, params: [this.tenantId] };
    const key = rest.map(({ column }) => quoteIdent(column)).join(', ');
    const values = rest.map(({ type }, i) => `$${i + 2}::${type}`).join(', ');
    return { sql: `${tenant} AND (${key}) > (${values})`, params: [this.tenantId, ...rest.map(({ value }) => value)] };
  }

  /** One statement per batch, on the copy's transaction: the database reads and writes, nothing crosses the wire. */
  private async *copyInDatabase(table: TenantTable, client: PoolClient): AsyncGenerator<number> {
    const columns = table.columns.map(quoteIdent).join(', ');
    const key = table.primaryKey.map(quoteIdent).join(', ');
    const lastKey = `ARRAY[${table.primaryKey.map((column) => `${quoteIdent(column)}::text`).join(', ')}]`;
    const keyDescending = table.primaryKey.map((column) => `${quoteIdent(column)} DESC`).join(', ');
    let after: string[] | null = null;
    for (;;) {
      const filter = this.batchFilter(table, after);
      const { rows } = await client.query<{ n: number; last: string[] | null }>(
        `WITH batch AS (
           SELECT ${columns} FROM ${this.qualified(this.source, table)} WHERE ${filter.sql} ORDER BY ${key} LIMIT ${this.batchRows}
         ), copied AS (
           INSERT INTO ${this.qualified(this.target, table)} (${columns}) ${overriding(table)} SELECT ${columns} FROM batch
         )
         SELECT (SELECT count(*)::int FROM batch) AS n, (SELECT ${lastKey} FROM batch ORDER BY ${keyDescending} LIMIT 1) AS last`,
        filter.params,
      );
      const { n, last } = rows[0]!;
      if (n > 0) yield n;
      if (n < this.batchRows) return;
      after = last;
    }
  }

  /**
   * Batches as JSON text: read from the source, inserted with json_populate_recordset in
   * the target (exact for bigint and numeric, as no JavaScript number is involved). The
   * next batch is read while the current one is written.
   */
  private async *copyThroughProcess(table: TenantTable, snapshot: string): AsyncGenerator<number> {
    const columns = table.columns.map(quoteIdent).join(', ');
    const key = table.primaryKey.map(quoteIdent).join(', ');
    const lastKey = `ARRAY[${table.primaryKey.map((column) => `${quoteIdent(column)}::text`).join(', ')}]`;
    const keyDescending = table.primaryKey.map((column) => `${quoteIdent(column)} DESC`).join(', ');
    const read = (after: string[] | null) => {
      const filter = this.batchFilter(table, after);
      return this.inTenantTransaction(
        this.source.pool,
        async (client) => {
          const { rows } = await client.query<{ n: number; rows: string; last: string[] | null }>(
            `WITH batch AS (
             SELECT ${columns} FROM ${this.qualified(this.source, table)} WHERE ${filter.sql} ORDER BY ${key} LIMIT ${this.batchRows}
           )
           SELECT (SELECT count(*)::int FROM batch) AS n, (SELECT coalesce(json_agg(b), '[]')::text FROM batch b) AS rows,
                  (SELECT ${lastKey} FROM batch ORDER BY ${keyDescending} LIMIT 1) AS last`,
            filter.params,
          );
          return rows[0]!;
        },
        snapshot,
      );
    };
    let next = read(null);
    for (;;) {
      const batch = await next;
      if (batch.n === 0) return;
      const more = batch.n === this.batchRows;
      if (more) {
        next = read(batch.last);
        // Awaited on the next turn; until then a failed write must not leave it unhandled.
        next.catch(() => undefined);
      }
      await this.inTenantTransaction(this.target.pool, (client) =>
        client.query(
          `INSERT INTO ${this.qualified(this.target, table)} (${columns}) ${overriding(table)}
           SELECT ${columns} FROM json_populate_recordset(NULL::${this.qualified(this.target, table)}, $1::json)`,
          [batch.rows],
        ),
      );
      yield batch.n;
      if (!more) return;
    }
  }

  /**
   * One batch of the distinct keys of a table changed after `fromSeq`, as the snapshot
   * sees the log, with the rows that still exist in it and the keys that do not.
   */
  private async changedRows(
    table: TenantTable,
    fromSeq: bigint,
    snapshot: string,
    after: string | null,
  ): Promise<{ keys: number; last: string; present: string; absent: string }> {
    const changes = `${quoteIdent(this.source.schema)}.${quoteIdent(CHANGE_LOG_TABLE)}`;
    const columns = table.columns.map((column) => `s.${quoteIdent(column)}`).join(', ');
    // The keys become typed columns first: a cast inside the join condition is not
    // leakproof, so under forced row-level security the planner could not use the primary
    // key and scanned the whole table for each batch.
    const typedKeys = table.primaryKey.map((column, i) => `(pk ->> ${literal(column)})::${table.primaryKeyTypes[i]} AS k${i}`).join(', ');
    const match = table.primaryKey.map((column, i) => `s.${quoteIdent(column)} = k.k${i}`).join(' AND ');
    const source = this.qualified(this.source, table);
    return this.inTenantTransaction(
      this.source.pool,
      async (client) => {
        const { rows } = await client.query<{ keys: number; last: string; present: string; absent: string }>(
          `WITH changed AS (
           SELECT DISTINCT pk FROM ${changes}
            WHERE tenant_id = $1 AND table_name = $2 AND seq > $3::bigint AND ($4::jsonb IS NULL OR pk > $4::jsonb)
            ORDER BY pk LIMIT ${this.batchRows}
         ), k AS MATERIALIZED (SELECT pk, ${typedKeys} FROM changed)
         SELECT (SELECT count(*)::int FROM k) AS keys,
                (SELECT pk::text FROM k ORDER BY pk DESC LIMIT 1) AS last,
                (SELECT coalesce(json_agg(r), '[]')::text FROM (SELECT ${columns} FROM ${source} s JOIN k ON ${match}) r) AS present,
                (SELECT coalesce(json_agg(k.pk), '[]')::text FROM k WHERE NOT EXISTS (SELECT 1 FROM ${source} s WHERE ${match})) AS absent`,
          [this.tenantId, table.name, fromSeq.toString(), after],
        );
        return rows[0]!;
      },
      snapshot,
    );
  }

  private async upsert(client: PoolClient, table: TenantTable, rowsJson: string): Promise<number> {
    if (rowsJson === '[]') return 0;
    const columns = table.columns.map(quoteIdent).join(', ');
    const updatable = table.columns.filter((column) => !table.primaryKey.includes(column));
    const onConflict = updatable.length
      ? `DO UPDATE SET ${updatable.map((column) => `${quoteIdent(column)} = EXCLUDED.${quoteIdent(column)}`).join(', ')}`
      : 'DO NOTHING';
    const target = this.qualified(this.target, table);
    const result = await client.query(
      `INSERT INTO ${target} (${columns}) ${overriding(table)}
       SELECT ${columns} FROM json_populate_recordset(NULL::${target}, $1::json)
       ON CONFLICT (${table.primaryKey.map(quoteIdent).join(', ')}) ${onConflict}`,
      [rowsJson],
    );
    return result.rowCount ?? 0;
  }

  private async summarise(
    endpoint: CopyEndpoint,
    table: TenantTable,
    digests: boolean,
  ): Promise<{ rows: number; sums: Record<string, string>; digest: string }> {
    const sums = table.summableColumns.map((column, i) => `coalesce(sum(${quoteIdent(column)}), 0)::text AS s${i}`);
    const rowText = `ROW(${table.columns.map(quoteIdent).join(', ')})::text`;
    return this.inTenantTransaction(endpoint.pool, async (client) => {
      // Row text depends on these settings; both sides must print values alike.
      await client.query(
        `SELECT set_config('TimeZone', 'UTC', true), set_config('DateStyle', 'ISO, YMD', true),
                set_config('IntervalStyle', 'postgres', true), set_config('extra_float_digits', '3', true),
                set_config('bytea_output', 'hex', true)`,
      );
      const { rows } = await client.query<Record<string, string>>(
        `SELECT count(*)::text AS n, ${[...sums, digests ? `coalesce(sum(('x' || substr(md5(${rowText}), 1, 15))::bit(60)::bigint), 0)::text AS digest` : `'' AS digest`].join(', ')}
           FROM ${this.qualified(endpoint, table)} WHERE ${quoteIdent(table.tenantColumn)} = $1`,
        [this.tenantId],
      );
      const row = rows[0]!;
      return {
        rows: Number(row.n),
        sums: Object.fromEntries(table.summableColumns.map((column, i) => [column, row[`s${i}`]!])),
        digest: row.digest!,
      };
    });
  }

  /**
   * Deletes in batches of `batchRows`, each its own transaction, children first. Batches
   * walk the key in order from where the last one stopped: starting each batch from the
   * tenant's first key would step over every row already deleted (dead until vacuum) again,
   * which makes a large removal quadratic. Rows are deleted by their physical address
   * (a TID scan, whatever the planner thinks of a freshly filled table); one that moved
   * meanwhile is left for the next pass, and passes repeat until one finds nothing.
   */
  private async removeAll(endpoint: CopyEndpoint): Promise<RemovalResult> {
    const tables = [...(await this.tables())].reverse();
    let rows = 0;
    for (const table of tables) {
      const key = table.primaryKey.map(quoteIdent).join(', ');
      const keyDescending = table.primaryKey.map((column) => `${quoteIdent(column)} DESC`).join(', ');
      const lastKey = `ARRAY[${table.primaryKey.map((column) => `${quoteIdent(column)}::text`).join(', ')}]`;
      const qualified = this.qualified(endpoint, table);
      for (let found = true; found;) {
        found = false;
        let after: string[] | null = null;
        for (;;) {
          const filter = this.batchFilter(table, after);
          const { rows: batch } = await this.inTenantTransaction(endpoint.pool, (client) =>
            client.query<{ n: number; deleted: number; last: string[] | null }>(
              `WITH doomed AS (
                 SELECT ctid AS row_address, ${key} FROM ${qualified} WHERE ${filter.sql} ORDER BY ${key} LIMIT ${this.batchRows}
               ), gone AS (
                 DELETE FROM ${qualified} WHERE ctid = ANY (ARRAY(SELECT row_address FROM doomed)) RETURNING 1
               )
               SELECT (SELECT count(*)::int FROM doomed) AS n, (SELECT count(*)::int FROM gone) AS deleted,
                      (SELECT ${lastKey} FROM doomed ORDER BY ${keyDescending} LIMIT 1) AS last`,
              filter.params,
            ),
          );
          const { n, deleted, last } = batch[0]!;
          rows += deleted;
          if (n > 0) found = true;
          if (n < this.batchRows) break;
          after = last;
        }
        if (found) found = await this.stillHolds(endpoint, table);
      }
    }
    return { tables: tables.length, rows };
  }

  private async stillHolds(endpoint: CopyEndpoint, table: TenantTable): Promise<boolean> {
    const { rowCount } = await this.inTenantTransaction(endpoint.pool, (client) =>
      client.query(`SELECT 1 FROM ${this.qualified(endpoint, table)} WHERE ${quoteIdent(table.tenantColumn)} = $1 LIMIT 1`, [
        this.tenantId,
      ]),
    );
    return (rowCount ?? 0) > 0;
  }

  /**
   * Runs `work` while a transaction on the source holds a snapshot others can import, so
   * many short transactions read the source as of one moment (the snapshot lives as long
   * as this transaction, which holds back vacuum of the source for the copy's length).
   */
  private async withSourceSnapshot<T>(work: (snapshot: string) => Promise<T>): Promise<T> {
    const holder = await this.source.pool.connect();
    let broken = false;
    try {
      await holder.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const { rows } = await holder.query<{ snapshot: string }>('SELECT pg_export_snapshot() AS snapshot');
      const snapshot = rows[0]!.snapshot;
      if (!SNAPSHOT_ID.test(snapshot)) throw new Error(`unexpected snapshot id ${JSON.stringify(snapshot)}`);
      return await work(snapshot);
    } finally {
      await holder.query('ROLLBACK').catch(() => {
        broken = true;
      });
      holder.release(broken);
    }
  }

  private inTenantTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>, snapshot?: string): Promise<T> {
    return inTenantTransaction(pool, this.tenantId, work, snapshot === undefined ? undefined : { snapshot });
  }
}

function assertEndpoint(endpoint: CopyEndpoint, what: string): void {
  if (!endpoint || typeof endpoint !== 'object' || typeof endpoint.pool?.connect !== 'function') {
    throw new CellInputError(`${what} needs a pg pool`);
  }
  assertSchemaName(endpoint.schema, `${what} schema`);
}

function overriding(table: TenantTable): string {
  return table.overridesIdentity ? 'OVERRIDING SYSTEM VALUE' : '';
}

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * What tells two pools apart: the server (address, port, start time), the database and
 * the user. Same database and user means one statement can read one schema and write the other.
 */
async function databaseIdentity(pool: Pool): Promise<{ database: string; user: string }> {
  const { rows } = await pool.query<{ database: string; user: string }>(
    `SELECT concat_ws('|', current_database(), coalesce(inet_server_addr()::text, 'local'), coalesce(inet_server_port(), 0),
                      extract(epoch FROM pg_postmaster_start_time())) AS database, current_user AS user`,
  );
  return rows[0]!;
}
