// Raw SQL, the floor the GraphQL figures are compared with: the statement text the cell sends,
// timed over `pg` as the app role under RLS, alone and with the tenant transaction around it.
import pg from 'pg';
import { nowMs } from '../lib/measure';
import { BenchError } from '../lib/output';
import type { BenchSettings } from '../settings';

/** One raw statement: the statement alone, the whole round trip, and its rows. */
export interface RawTiming<Row> {
  statementMs: number;
  fullMs: number;
  rows: Row[];
}

/**
 * The same statement text the cell sends, over a pooled `pg` connection as the app role,
 * under RLS. `statementMs` is the statement alone inside the open transaction; `fullMs`
 * adds what the cell's tenant transaction adds around it: checkout from the pool, the
 * one-round-trip `BEGIN; set_config(...)`, COMMIT and release.
 */
export class RawSql {
  private readonly pool: pg.Pool;

  constructor(
    settings: Pick<BenchSettings, 'databaseUrl' | 'schema'>,
    private readonly tenantId: string,
  ) {
    if (!/^[0-9a-f-]{36}$/i.test(tenantId)) throw new BenchError(`tenant id ${tenantId} is not a UUID`);
    this.pool = new pg.Pool({
      connectionString: settings.databaseUrl,
      max: 2,
      options: `-c search_path=${settings.schema},public`,
      application_name: 'localstore-bench:raw',
    });
  }

  async time<Row = Record<string, unknown>>(sql: string, params: unknown[]): Promise<RawTiming<Row>> {
    const startedAt = nowMs();
    const client = await this.pool.connect();
    let statementMs: number;
    let rows: Row[];
    try {
      // Interpolated exactly as the cell does it; the id was checked to be a UUID above.
      await client.query(`BEGIN; SELECT set_config('app.tenant_id', '${this.tenantId}', true)`);
      const statementStart = nowMs();
      rows = (await client.query(sql, params)).rows as Row[];
      statementMs = nowMs() - statementStart;
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    return { statementMs, fullMs: nowMs() - startedAt, rows };
  }

  /** A read under the tenant's RLS scope, untimed: volumes and checks. */
  async read<Row = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<Row[]> {
    return (await this.time<Row>(sql, params)).rows;
  }

  end(): Promise<void> {
    return this.pool.end();
  }
}
