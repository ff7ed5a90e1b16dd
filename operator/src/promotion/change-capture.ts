import type { Pool, PoolClient } from 'pg';
import {
  assertSchemaName,
  assertTenantId,
  CHANGE_LOG_TABLE,
  CellInputError,
  quoteIdent,
  TENANT_MOVES_TABLE,
  TENANT_MOVING_SQLSTATE,
  tenantTablesInDependencyOrder,
} from '@localstore/cell-db';

/** Name of the capture trigger on every tenant table, and of the function it runs. */
export const CAPTURE_TRIGGER = 'tenant_move_capture';

/** One logged write: which row of which table changed (the row itself is read at catch-up). */
export interface CapturedChange {
  seq: bigint;
  table: string;
  /** The row's primary key, column by column, as JSON values. */
  primaryKey: Record<string, unknown>;
  at: Date;
}

/** Where a tenant's move stands in a schema. */
export interface MoveState {
  /** The tenant has a row in `tenant_moves`: its writes are logged (or refused). */
  moving: boolean;
  /** Its writes are refused with `LSMOV`. */
  frozen: boolean;
  /** Deletes of its rows pass (unlogged) while other writes stay refused: its source rows are being removed. */
  removing: boolean;
  /** Tenant tables carrying the capture trigger. */
  capturedTables: number;
}

export interface ChangeCaptureOptions {
  /** How long a DDL statement may queue for a table lock before the attempt is retried, ms. */
  lockTimeoutMs?: number;
  /** DDL attempts (each under `lockTimeoutMs`) before giving up. */
  ddlAttempts?: number;
  /** How long `freeze()` and `position()` wait for older transactions to end, ms. */
  drainTimeoutMs?: number;
  /** How often that wait polls, ms. */
  pollIntervalMs?: number;
}

/** Lock not available (lock_timeout), deadlock: a busy table; the DDL is tried again. */
const RETRYABLE_DDL = new Set(['55P03', '40P01']);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function wholeNumber(name: string, value: number, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new CellInputError(`${name} ${String(value)} is not a whole number from ${min} to ${max}`);
  }
  return value;
}

/**
 * Change capture for one tenant in one (source) schema, through a pool connected as the
 * schema owner. While a tenant moves, a trigger on every tenant table logs the primary key
 * of each row of that tenant written (`tenant_move_changes`), so rows changed during or
 * after a copy can be copied again; once frozen, the same trigger refuses the tenant's
 * writes. Every method is idempotent: an operator restarted midway calls them again.
 *
 * Assumes writers run at READ COMMITTED (cell-api does): each statement then reads the
 * current `tenant_moves`, so a write that starts after a freeze sees it.
 */
export class ChangeCapture {
  readonly schema: string;
  readonly tenantId: string;
  private readonly lockTimeoutMs: number;
  private readonly ddlAttempts: number;
  private readonly drainTimeoutMs: number;
  private readonly pollIntervalMs: number;

  constructor(
    private readonly pool: Pool,
    schema: string,
    tenantId: string,
    options: ChangeCaptureOptions = {},
  ) {
    this.schema = assertSchemaName(schema);
    this.tenantId = assertTenantId(tenantId);
    this.lockTimeoutMs = wholeNumber('lockTimeoutMs', options.lockTimeoutMs ?? 2_000, 1, 600_000);
    this.ddlAttempts = wholeNumber('ddlAttempts', options.ddlAttempts ?? 10, 1, 1_000);
    this.drainTimeoutMs = wholeNumber('drainTimeoutMs', options.drainTimeoutMs ?? 120_000, 0, 86_400_000);
    this.pollIntervalMs = wholeNumber('pollIntervalMs', options.pollIntervalMs ?? 25, 1, 60_000);
  }

  private get moves(): string {
    return `${quoteIdent(this.schema)}.${quoteIdent(TENANT_MOVES_TABLE)}`;
  }

  private get changes(): string {
    return `${quoteIdent(this.schema)}.${quoteIdent(CHANGE_LOG_TABLE)}`;
  }

  private get captureFunction(): string {
    return `${quoteIdent(this.schema)}.${quoteIdent(CAPTURE_TRIGGER)}`;
  }

  /**
   * Creates the move tables, the capture function and the missing triggers, and registers
   * the tenant as moving (not frozen; a frozen tenant stays frozen). Creating a trigger
   * waits for the writes in flight on its table, so every write committed after this
   * returns is logged.
   */
  async install(): Promise<void> {
    await this.underMoveLock(async (client) => {
      await this.ddl(client, async () => {
        // Only what is missing: even `CREATE INDEX IF NOT EXISTS` takes a lock that waits
        // for writers, and install() runs again on every freeze of a restarted operator.
        if (!(await this.installed(client))) await this.createMoveTables(client);
        await client.query(this.captureFunctionSql());
        await client.query(`INSERT INTO ${this.moves} (tenant_id) VALUES ($1) ON CONFLICT (tenant_id) DO NOTHING`, [this.tenantId]);
      });
      const captured = new Set(await this.capturedTables(client));
      for (const table of (await tenantTablesInDependencyOrder(client, this.schema)).filter((t) => !captured.has(t.name))) {
        const args = [table.tenantColumn, ...table.primaryKey].map((name) => `'${name.replace(/'/g, "''")}'`).join(', ');
        await this.ddl(client, () =>
          client.query(
            `CREATE TRIGGER ${quoteIdent(CAPTURE_TRIGGER)} AFTER INSERT OR UPDATE OR DELETE ON ${quoteIdent(this.schema)}.${quoteIdent(table.name)}
               FOR EACH ROW EXECUTE FUNCTION ${this.captureFunction}(${args})`,
          ),
        );
      }
    });
  }

  /** The move tables, readable by the owner only (no RLS: the trigger runs as the owner). */
  private async createMoveTables(client: PoolClient): Promise<void> {
    await client.query(`
CREATE TABLE IF NOT EXISTS ${this.moves} (
  tenant_id uuid PRIMARY KEY,
  frozen boolean NOT NULL DEFAULT false,
  removing boolean NOT NULL DEFAULT false,
  started_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS ${this.changes} (
  seq bigserial PRIMARY KEY,
  tenant_id uuid NOT NULL,
  table_name text NOT NULL,
  pk jsonb NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS tenant_move_changes_by_table ON ${this.changes} (tenant_id, table_name, seq);`);
    await this.revokeGrantsOnMoveTables(client);
  }

  /**
   * Refuses the tenant's writes from now on (SQLSTATE `LSMOV`), then waits until every
   * transaction that could still write without having seen the freeze has ended. When this
   * returns, the change log holds every write of the tenant there will ever be.
   */
  async freeze(): Promise<void> {
    await this.install();
    await this.pool.query(`UPDATE ${this.moves} SET frozen = true WHERE tenant_id = $1`, [this.tenantId]);
    await this.drain('freeze');
  }

  /** Lets the tenant write again (a move abandoned or rolled back); its writes stay logged. */
  async unfreeze(): Promise<void> {
    if (!(await this.installed())) return;
    await this.pool.query(`UPDATE ${this.moves} SET frozen = false, removing = false WHERE tenant_id = $1`, [this.tenantId]);
  }

  /**
   * Lets the operator delete the tenant's rows from this schema after its route has moved,
   * while every other write stays refused: a stale writer still gets `LSMOV` (and retries
   * against the new cell) instead of writing a row that is about to be deleted. Only for a
   * frozen tenant; returns whether the tenant is moving here at all.
   */
  async permitRemoval(): Promise<boolean> {
    if (!(await this.installed())) return false;
    const { rows } = await this.pool.query<{ frozen: boolean }>(
      `UPDATE ${this.moves} SET removing = frozen WHERE tenant_id = $1 RETURNING frozen`,
      [this.tenantId],
    );
    if (rows.length === 0) return false;
    if (!rows[0]!.frozen) throw new Error(`tenant ${this.tenantId} still writes in "${this.schema}": freeze it before removing its rows`);
    return true;
  }

  /**
   * Ends the tenant's move here: drops its move row and logged changes (which also lifts a
   * freeze) and, when no tenant moves any more, the triggers, the function and the move
   * tables, so other tenants' writes pay nothing.
   */
  async uninstall(): Promise<void> {
    await this.underMoveLock(async (client) => {
      let othersMoving = false;
      await this.ddl(client, async () => {
        if (!(await this.installed(client))) return;
        await client.query(`DELETE FROM ${this.moves} WHERE tenant_id = $1`, [this.tenantId]);
        await client.query(`DELETE FROM ${this.changes} WHERE tenant_id = $1`, [this.tenantId]);
        const { rows } = await client.query<{ others: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${this.moves}) AS others`);
        othersMoving = rows[0]!.others;
      });
      if (othersMoving) return;
      for (const table of await this.capturedTables(client)) {
        await this.ddl(client, () =>
          client.query(`DROP TRIGGER IF EXISTS ${quoteIdent(CAPTURE_TRIGGER)} ON ${quoteIdent(this.schema)}.${quoteIdent(table)}`),
        );
      }
      await this.ddl(client, async () => {
        await client.query(`DROP FUNCTION IF EXISTS ${this.captureFunction}()`);
        await client.query(`DROP TABLE IF EXISTS ${this.changes}, ${this.moves}`);
      });
    });
  }

  /**
   * A position in the change log that catch-up can start after without missing a write:
   * every change numbered up to it has committed or rolled back when this returns.
   * (Sequence numbers are taken before commit, so the largest visible number is not one.)
   */
  async position(): Promise<bigint> {
    const { rows } = await this.pool
      .query<{ sequence: string | null }>(`SELECT pg_get_serial_sequence($1, 'seq') AS sequence`, [this.changes])
      .catch((error: { code?: string }) => {
        if (error.code === '42P01') throw new Error(`change capture is not installed in schema "${this.schema}"`);
        throw error;
      });
    const sequence = rows[0]!.sequence!;
    const { rows: last } = await this.pool.query<{ value: string }>(
      `SELECT (CASE WHEN is_called THEN last_value ELSE 0 END)::text AS value FROM ${sequence}`,
    );
    await this.drain('position');
    return BigInt(last[0]!.value);
  }

  /** The tenant's logged changes after `seq` (and up to `upTo`), oldest first. */
  async changesSince(seq: bigint, upTo?: bigint): Promise<CapturedChange[]> {
    if (typeof seq !== 'bigint' || seq < 0n) throw new CellInputError(`change position ${String(seq)} is not a bigint >= 0`);
    if (upTo !== undefined && typeof upTo !== 'bigint') throw new CellInputError(`change position ${String(upTo)} is not a bigint`);
    if (!(await this.installed())) return [];
    const { rows } = await this.pool.query<{ seq: string; table: string; pk: string; at: Date }>(
      `SELECT seq::text AS seq, table_name AS table, pk::text AS pk, at FROM ${this.changes}
        WHERE tenant_id = $1 AND seq > $2::bigint AND ($3::bigint IS NULL OR seq <= $3::bigint) ORDER BY seq`,
      [this.tenantId, seq.toString(), upTo?.toString() ?? null],
    );
    return rows.map((row) => ({
      seq: BigInt(row.seq),
      table: row.table,
      primaryKey: JSON.parse(row.pk) as Record<string, unknown>,
      at: row.at,
    }));
  }

  async state(): Promise<MoveState> {
    const client = await this.pool.connect();
    try {
      const capturedTables = (await this.capturedTables(client)).length;
      if (!(await this.installed(client))) return { moving: false, frozen: false, removing: false, capturedTables };
      const { rows } = await client.query<{ frozen: boolean; removing: boolean }>(
        `SELECT frozen, removing FROM ${this.moves} WHERE tenant_id = $1`,
        [this.tenantId],
      );
      return { moving: rows.length > 0, frozen: rows[0]?.frozen ?? false, removing: rows[0]?.removing ?? false, capturedTables };
    } finally {
      client.release();
    }
  }

  private async installed(client: Pick<Pool, 'query'> = this.pool): Promise<boolean> {
    const { rows } = await client.query<{ installed: boolean }>(
      `SELECT to_regclass($1) IS NOT NULL AND to_regclass($2) IS NOT NULL AS installed`,
      [this.moves, this.changes],
    );
    return rows[0]!.installed;
  }

  private async capturedTables(client: Pick<Pool, 'query'>): Promise<string[]> {
    const { rows } = await client.query<{ table: string }>(
      `SELECT c.relname AS table FROM pg_trigger t
         JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND t.tgname = $2 AND NOT t.tgisinternal ORDER BY c.relname`,
      [this.schema, CAPTURE_TRIGGER],
    );
    return rows.map((row) => row.table);
  }

  /**
   * Waits until every transaction that was writing in this schema when the caller's change
   * committed has ended. A writer takes a RowExclusiveLock on the table at the start of its
   * statement and holds it to the end of its transaction, and the capture trigger reads
   * `tenant_moves` with a fresh snapshot (PL/pgSQL, READ COMMITTED): so a write that read
   * "not frozen" (or took a change number) before the change committed belongs to a
   * transaction holding such a lock now, and one that starts later reads the change. We list
   * those transactions (their virtual ids) once and wait for each one's virtualxid lock to go.
   *
   * Only this schema's writers are waited for: a long transaction elsewhere in the cluster
   * (another tenant's copy, a report) does not stretch a tenant's write pause, as a wait on
   * the cluster-wide snapshot horizon would.
   */
  private async drain(what: string): Promise<void> {
    const { rows } = await this.pool.query<{ vxid: string }>(
      `SELECT DISTINCT l.virtualtransaction AS vxid
         FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
        WHERE c.relnamespace = $1::regnamespace AND l.mode = 'RowExclusiveLock' AND l.granted AND l.pid <> pg_backend_pid()`,
      [quoteIdent(this.schema)],
    );
    const writers = rows.map((row) => row.vxid);
    const deadline = Date.now() + this.drainTimeoutMs;
    while (writers.length > 0) {
      const { rows: open } = await this.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'virtualxid' AND virtualxid = ANY($1::text[])`,
        [writers],
      );
      if (open[0]!.n === 0) return;
      if (Date.now() > deadline) {
        throw new Error(
          `${what} of tenant ${this.tenantId} in "${this.schema}": ${open[0]!.n} transaction(s) writing before it still open after ${this.drainTimeoutMs} ms` +
            (what === 'freeze' ? ' (the tenant stays frozen; call freeze() again or unfreeze())' : ''),
        );
      }
      await sleep(this.pollIntervalMs);
    }
  }

  /**
   * Runs `work` on one connection holding the schema's move lock (a session advisory lock),
   * so installs and uninstalls of different tenants never interleave: one could otherwise
   * drop the triggers another has just found in place. Released with the connection if the
   * process dies.
   */
  private async underMoveLock(work: (client: PoolClient) => Promise<void>): Promise<void> {
    const key = `localstore.tenant_move:${this.schema}`;
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query('SELECT pg_advisory_lock(hashtext($1))', [key]);
      try {
        await work(client);
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [key]).catch(() => {
          broken = true;
        });
      }
    } finally {
      client.release(broken);
    }
  }

  /**
   * One short DDL transaction, touching one tenant table at most: holding a table's lock
   * while queueing for another's could close a deadlock with a request's transaction, and
   * Postgres might then abort the request rather than this. Under a short lock_timeout, so
   * a busy table makes it retry rather than queue every writer of the pooled schema behind it.
   */
  private async ddl(client: PoolClient, work: () => Promise<unknown>): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await client.query('BEGIN');
        await client.query(`SELECT set_config('lock_timeout', $1, true)`, [`${this.lockTimeoutMs}ms`]);
        await work();
        await client.query('COMMIT');
        return;
      } catch (error) {
        await client.query('ROLLBACK');
        const code = (error as { code?: string }).code;
        if (!code || !RETRYABLE_DDL.has(code) || attempt >= this.ddlAttempts) throw error;
        await sleep(Math.min(100 * attempt, 1_000));
      }
    }
  }

  private async revokeGrantsOnMoveTables(client: PoolClient): Promise<void> {
    const { rows } = await client.query<{ relation: string; kind: string; grantee: string }>(
      `SELECT DISTINCT c.oid::regclass::text AS relation, c.relkind::text AS kind,
              CASE WHEN acl.grantee = 0 THEN 'PUBLIC' ELSE acl.grantee::regrole::text END AS grantee
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace CROSS JOIN LATERAL aclexplode(c.relacl) acl
        WHERE n.nspname = $1 AND c.relname = ANY($2::text[]) AND acl.grantee <> c.relowner`,
      [this.schema, [TENANT_MOVES_TABLE, CHANGE_LOG_TABLE, `${CHANGE_LOG_TABLE}_seq_seq`]],
    );
    for (const row of rows) {
      await client.query(`REVOKE ALL ON ${row.kind === 'S' ? 'SEQUENCE' : 'TABLE'} ${row.relation} FROM ${row.grantee}`);
    }
  }

  /**
   * The trigger function. For a tenant that is not moving it costs one probe of a tiny
   * table (the tenant is read straight from `tenant_id`, without building a JSON row);
   * for the moving tenant it logs the row's key, or refuses the write once frozen (deletes
   * pass once the operator removes the tenant's rows after the switch).
   * Arguments: the tenant column, then the primary key columns.
   */
  private captureFunctionSql(): string {
    return `
CREATE OR REPLACE FUNCTION ${this.captureFunction}() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $capture$
DECLARE
  row_tenant uuid;
  is_frozen boolean;
  is_removing boolean;
  new_row jsonb;
  old_row jsonb;
  new_key jsonb;
  old_key jsonb;
BEGIN
  IF TG_ARGV[0] = 'tenant_id' THEN
    IF TG_OP = 'DELETE' THEN row_tenant := OLD.tenant_id; ELSE row_tenant := NEW.tenant_id; END IF;
  ELSIF TG_OP = 'DELETE' THEN
    row_tenant := (to_jsonb(OLD) ->> TG_ARGV[0])::uuid;
  ELSE
    row_tenant := (to_jsonb(NEW) ->> TG_ARGV[0])::uuid;
  END IF;
  SELECT m.frozen, m.removing INTO is_frozen, is_removing FROM ${this.moves} m WHERE m.tenant_id = row_tenant;
  IF NOT FOUND OR (is_removing AND TG_OP = 'DELETE') THEN
    RETURN NULL;
  END IF;
  IF is_frozen THEN
    RAISE EXCEPTION 'tenant % is moving to another cell; its data is read-only for a moment', row_tenant
      USING ERRCODE = '${TENANT_MOVING_SQLSTATE}', HINT = 'Retry shortly: writes resume once the move has finished.';
  END IF;
  IF TG_OP <> 'DELETE' THEN
    new_row := to_jsonb(NEW);
    SELECT jsonb_object_agg(k, new_row -> k) INTO new_key FROM unnest(TG_ARGV[1:]) AS k;
    INSERT INTO ${this.changes} (tenant_id, table_name, pk) VALUES (row_tenant, TG_TABLE_NAME, new_key);
  END IF;
  IF TG_OP <> 'INSERT' THEN
    old_row := to_jsonb(OLD);
    SELECT jsonb_object_agg(k, old_row -> k) INTO old_key FROM unnest(TG_ARGV[1:]) AS k;
    IF old_key IS DISTINCT FROM new_key THEN
      INSERT INTO ${this.changes} (tenant_id, table_name, pk) VALUES (row_tenant, TG_TABLE_NAME, old_key);
    END IF;
  END IF;
  RETURN NULL;
END
$capture$;
REVOKE ALL ON FUNCTION ${this.captureFunction}() FROM PUBLIC;`;
  }
}
