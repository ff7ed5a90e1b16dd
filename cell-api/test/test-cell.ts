import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { type CellConfig, loadCellConfig } from '../src/config/cell-config';
import { createCellDataSource, migrateCellSchema } from '@localstore/cell-db';
import { liveChannel } from '../src/live/live-feed';
import { LiveSubscriptions } from '../src/live/live-subscriptions';
import { startCell, type RunningCell } from '../src/main';
import { APP_URL, MODEL_SERVER_ADDRESS, OWNER_URL } from '@localstore/common/testing';
import { type TestClaims, TestTokenIssuer } from './token-issuer';
import { CellFactories } from '@localstore/cell-db/testing';

export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  data: T | null;
  errors?: { message: string; path?: string[]; extensions: { code: string; reason?: string; field?: string } }[];
}

export interface CallOptions {
  token?: string;
  /** The tenant slug the router would name (X-Tenant). */
  tenant?: string;
  headers?: Record<string, string>;
}

/**
 * A real cell API for a test file: its own Postgres schema (migrated from scratch), the
 * real application role under RLS, a real JWKS over HTTP, and the app on a free port.
 * Real: PostgreSQL, HTTP, JWT verification. Stubbed: nothing.
 */
export class TestCell {
  private constructor(
    readonly config: CellConfig,
    public running: RunningCell,
    readonly issuer: TestTokenIssuer,
    /** Schema owner connection for factories (RLS still applies: factories set the tenant). */
    readonly owner: DataSource,
    readonly factories: CellFactories,
  ) {}

  static async start(env: Record<string, string> = {}, options: { logger?: Logger } = {}): Promise<TestCell> {
    const issuer = await TestTokenIssuer.start();
    const schema = `test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const config = loadCellConfig({
      CELL_NAME: 'test-cell',
      PORT: '0',
      DATABASE_URL: APP_URL,
      DATABASE_OWNER_URL: OWNER_URL,
      DATABASE_SCHEMA: schema,
      AUTH_JWKS_URL: issuer.jwksUrl,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      MODEL_SERVER_ADDRESS,
      // Timers that would fire mid-test; the insights tests turn them on and drive them.
      INSIGHTS_NIGHTLY: 'false',
      ANOMALY_WATCH: 'false',
      ...env,
    });
    await migrateCellSchema(config);
    const owner = createCellDataSource(config, 'owner');
    await owner.initialize();
    const running = await startCell(config, options.logger);
    return new TestCell(config, running, issuer, owner, new CellFactories(owner));
  }

  get url(): string {
    return this.running.url;
  }

  token(claims: Partial<TestClaims> & { tid: string }): Promise<string> {
    return this.issuer.sign({ sub: randomUUID(), role: 'owner', locs: '*', ...claims });
  }

  /** Sends one GraphQL operation over HTTP, as a browser would. */
  async gql<T = Record<string, any>>(
    query: string,
    variables: Record<string, unknown> = {},
    options: CallOptions = {},
  ): Promise<GraphQLResponse<T>> {
    const response = await fetch(`${this.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.tenant ? { 'x-tenant': options.tenant } : {}),
        ...options.headers,
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as Omit<GraphQLResponse<T>, 'status'>;
    return { status: response.status, data: body.data ?? null, ...(body.errors ? { errors: body.errors } : {}) };
  }

  /** SQL statements the cell has sent on tenant transactions so far (from /metrics). */
  async dbQueryCount(): Promise<number> {
    const text = await (await fetch(`${this.url}/metrics`)).text();
    const match = /^cell_db_queries_total\{[^}]*\} (\d+)/m.exec(text);
    return Number(match?.[1] ?? 0);
  }

  /**
   * How many GraphQL subscriptions of this cell process listen to a location's `event`: a
   * test waits for its subscription to be in place before it causes the event.
   */
  liveSubscribers(event: Parameters<typeof liveChannel>[0], tenantId: string, locationId: string): number {
    return this.running.app.get(LiveSubscriptions).feed.subscribers(liveChannel(event, tenantId, locationId));
  }

  /** Reads rows as the schema owner, for assertions on what was (not) written. */
  async ownerQuery<T = any>(tenantId: string, sql: string, params: unknown[] = []): Promise<T[]> {
    return this.factories.asTenant(tenantId, (db) => db.query(sql, params)) as Promise<T[]>;
  }

  /** Stops the cell's process and starts a new one on the same schema (a crash and a restart, as far as clients see). */
  async restart(options: { downFor?: () => Promise<void> } = {}): Promise<void> {
    await this.running.app.close();
    await options.downFor?.();
    this.running = await startCell(this.config);
  }

  async stop(): Promise<void> {
    await this.running.app.close();
    await this.owner.query(`DROP SCHEMA "${this.config.database.schema}" CASCADE`);
    await this.owner.destroy();
    await this.issuer.close();
  }
}
