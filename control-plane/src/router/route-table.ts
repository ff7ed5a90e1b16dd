import { Client } from 'pg';
import type { Logger } from 'pino';

export interface TenantRoute {
  tenantId: string;
  slug: string;
  cellName: string;
  endpoint: string;
  /** `draining`: reads pass, writes get 503 while the tenant moves between cells. */
  state: 'active' | 'draining';
  /** A suspended tenant keeps its route (and its data) but is not served. */
  suspended: boolean;
}

const ROUTES_SQL = `SELECT t.id AS "tenantId", t.slug, r.cell_name AS "cellName", c.endpoint, r.state, t.status = 'suspended' AS suspended
  FROM tenants t JOIN routes r ON r.tenant_id = t.id JOIN cells c ON c.name = r.cell_name
 WHERE t.status <> 'provisioning'`;

/**
 * The whole route table `slug → cell`, in memory. Loaded at start, reloaded when the
 * directory notifies `route_changed`, never queried per request. When the directory is
 * unreachable the last table keeps serving (static stability) while a dedicated
 * connection retries with backoff and reloads as soon as it is back.
 */
export class RouteTable {
  private routes = new Map<string, TenantRoute>();
  private listener?: Client;
  private stopped = false;
  private retryMs = 500;
  private reconnecting = false;
  private failedReconnects = 0;
  private reloading?: Promise<void>;
  private reloadWanted = false;
  private loadedAt = 0;

  constructor(
    private readonly connection: { url: string; schema: string },
    private readonly logger: Logger,
  ) {}

  lookup(slug: string): TenantRoute | undefined {
    return this.routes.get(slug);
  }

  get size(): number {
    return this.routes.size;
  }

  /** Reconnection attempts to the directory that failed since start (for health and tests). */
  get directoryFailures(): number {
    return this.failedReconnects;
  }

  /** When the table was last loaded (ms since epoch); 0 before the first load. */
  get lastLoadedAt(): number {
    return this.loadedAt;
  }

  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.listener?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({
      connectionString: this.connection.url,
      options: `-c search_path=${this.connection.schema}`,
      // Names the directory too: an admin (or a test) can end one deployment's listener only.
      application_name: `control-plane:router:${this.connection.schema}`,
      connectionTimeoutMillis: 3_000,
      keepAlive: true,
    });
    client.on('error', (error) => this.logger.warn({ err: error }, 'route table connection lost'));
    client.on('end', () => {
      if (client === this.listener) this.scheduleReconnect();
    });
    client.on('notification', () => this.queueReload());
    try {
      await client.connect();
      await client.query('LISTEN route_changed');
      this.listener = client;
      // Load after LISTEN, so no change between the load and the subscription is missed.
      await this.reload();
    } catch (error) {
      if (client === this.listener) this.listener = undefined;
      await client.end().catch(() => undefined);
      throw error;
    }
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnecting) return;
    this.reconnecting = true;
    this.listener = undefined;
    const attempt = () => {
      if (this.stopped) return;
      this.connect().then(
        () => {
          this.reconnecting = false;
          this.retryMs = 500;
          this.logger.info({ routes: this.routes.size }, 'directory reachable again; route table reloaded');
        },
        (error: unknown) => {
          this.logger.warn({ err: error, routes: this.routes.size }, 'directory unreachable; serving the last route table');
          this.failedReconnects++;
          this.retryMs = Math.min(this.retryMs * 2, 30_000);
          setTimeout(attempt, this.retryMs).unref();
        },
      );
    };
    setTimeout(attempt, this.retryMs).unref();
  }

  /**
   * Coalesces a burst of notifications into one reload, and never runs two at once on the
   * listener's connection: a change notified during a reload gets one more reload after it.
   */
  private queueReload(): void {
    this.reloadWanted = true;
    if (this.reloading) return;
    this.reloading = (async () => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      while (this.reloadWanted && !this.stopped) {
        this.reloadWanted = false;
        await this.reload().catch((error: unknown) => this.logger.warn({ err: error }, 'route reload failed; keeping the last table'));
      }
    })().finally(() => {
      this.reloading = undefined;
    });
  }

  private async reload(): Promise<void> {
    const client = this.listener;
    if (!client) return;
    const { rows } = await client.query<TenantRoute>(ROUTES_SQL);
    this.routes = new Map(rows.map((route) => [route.slug, route]));
    this.loadedAt = Date.now();
    this.logger.debug({ routes: rows.length }, 'route table loaded');
  }
}
