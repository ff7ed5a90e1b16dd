import type { Server as HttpServer } from 'node:http';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { AccessTokenVerifier, isUuid, tenantSlugOfRequest } from '@localstore/common';
import type { AnomalyDetectedEvent, DashboardDelta, OrderVoidedEvent, PaymentReceivedEvent, RecommendationNewEvent, SaleRecordedEvent } from '@localstore/common';
import type { Logger } from 'pino';
import { createAdapter } from '@socket.io/redis-adapter';
import Redis from 'ioredis';
import { Server, type Socket } from 'socket.io';
import { DataSource } from 'typeorm';
import { Principal } from '../auth/principal';
import type { CellConfig } from '../config/cell-config';
import { CELL_CONFIG, ROOT_LOGGER } from '../config/cell-config.token';
import { withTenantTransaction } from '@localstore/cell-db';
import { CellMetrics } from '../observability/cell-metrics';
import { TenantDirectory } from '../tenancy/tenant-directory';
import { LiveFeed, liveChannel } from './live-feed';
import { type LiveJournal, MemoryLiveJournal, RedisLiveJournal } from './live-journal';

/** The live events' contract lives in common (the web app applies the same shapes). */
export type { AnomalyDetectedEvent, DashboardDelta, OrderVoidedEvent, PaymentReceivedEvent, RecommendationNewEvent, SaleRecordedEvent } from '@localstore/common';

/** A sale, a void or a payment happened at a location (this process's own, after commit). */
export type ActivityListener = (tenantId: string, locationId: string, at: Date) => void;

/** A sale adds its figures to its bucket (sign 1); a void takes them back (sign -1). */
function deltaOf(order: SaleRecordedEvent | OrderVoidedEvent, sign: 1 | -1, cause: DashboardDelta['cause']): DashboardDelta {
  return {
    locationId: order.locationId,
    businessDate: order.businessDate,
    hour: order.hour,
    paymentMethod: order.paymentMethod,
    revenue: sign * order.total,
    orders: sign,
    items: sign * order.itemCount,
    cause,
    orderId: order.orderId,
  };
}

/** The inter-process event that carries live events to other processes' GraphQL subscribers. */
const FEED_RELAY = 'live.feed';

/** Room names carry the tenant, so no two tenants can ever share a room. */
export const tenantRoom = (tenantId: string) => `tenant:${tenantId}`;
export const locationRoom = (tenantId: string, locationId: string) => `location:${tenantId}:${locationId}`;
/** Every socket of one user, to tell whether they have a screen open anywhere. */
export const userRoom = (tenantId: string, userId: string) => `user:${tenantId}:${userId}`;

interface SocketState {
  principal: Principal;
}

/**
 * Socket.IO on the cell (`/socket.io`). A client proves who it is in the handshake (its
 * access token, and the tenant named by the router or the Host, as for GraphQL); an owner
 * of every location joins the tenant's room, and anyone joins a location's room only if
 * their token covers it and the location is their tenant's. Events are sent after the
 * transaction that caused them has committed.
 */
@Injectable()
export class LiveUpdates implements OnModuleDestroy {
  private io?: Server;
  private redisClients: Redis[] = [];
  /** GraphQL subscriptions of this process listen here. */
  readonly feed = new LiveFeed();
  /** Numbers each location's events and keeps the recent ones for clients that reconnect. */
  private journal: LiveJournal = new MemoryLiveJournal();
  private readonly activityListeners: ActivityListener[] = [];

  constructor(
    @Inject(CELL_CONFIG) private readonly config: CellConfig,
    private readonly verifier: AccessTokenVerifier,
    private readonly directory: TenantDirectory,
    private readonly dataSource: DataSource,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    private readonly metrics: CellMetrics,
  ) {}

  attach(httpServer: HttpServer): void {
    const io = new Server(httpServer, { path: '/socket.io', serveClient: false, maxHttpBufferSize: 64 * 1024 });
    if (this.config.redis) {
      // Several cell processes: a broadcast from one reaches the sockets held by the others.
      const { url, keyPrefix } = this.config.redis;
      const publisher = new Redis(url, { maxRetriesPerRequest: null });
      const subscriber = publisher.duplicate();
      for (const client of [publisher, subscriber]) client.on('error', (error: Error) => this.logger.warn({ err: error }, 'socket.io redis connection error'));
      this.redisClients = [publisher, subscriber];
      io.adapter(createAdapter(publisher, subscriber, { key: `${keyPrefix}socket.io` }));
      this.journal = new RedisLiveJournal(publisher, keyPrefix);
      // GraphQL subscribers of the other processes hear of each event through the adapter too.
      io.on(FEED_RELAY, (channel: string, payload: unknown) => this.feed.publish(channel, payload));
    }
    io.use((socket, next) => {
      this.authenticate(socket).then(
        (principal) => {
          (socket.data as SocketState).principal = principal;
          next();
        },
        (error: Error) => next(error),
      );
    });
    io.on('connection', (socket) => {
      this.metrics.socketConnections.inc();
      socket.once('disconnect', () => this.metrics.socketConnections.dec());
      this.onConnection(socket);
    });
    this.io = io;
  }

  /** In-process watchers of what happens at locations (the anomaly watch). */
  onActivity(listener: ActivityListener): void {
    this.activityListeners.push(listener);
  }

  saleRecorded(tenantId: string, sale: SaleRecordedEvent): void {
    this.activity(tenantId, sale.locationId);
    this.toLocation(tenantId, sale.locationId, 'sale.recorded', sale);
    this.toLocation(tenantId, sale.locationId, 'dashboard.delta', deltaOf(sale, 1, 'sale.recorded'));
  }

  orderVoided(tenantId: string, order: OrderVoidedEvent): void {
    this.activity(tenantId, order.locationId);
    this.toLocation(tenantId, order.locationId, 'order.voided', order);
    this.toLocation(tenantId, order.locationId, 'dashboard.delta', deltaOf(order, -1, 'order.voided'));
  }

  paymentReceived(tenantId: string, payment: PaymentReceivedEvent): void {
    this.activity(tenantId, payment.locationId);
    this.toLocation(tenantId, payment.locationId, 'payment.received', payment);
  }

  anomalyDetected(tenantId: string, anomaly: AnomalyDetectedEvent): void {
    this.toLocation(tenantId, anomaly.locationId, 'anomaly.detected', anomaly);
  }

  recommendationNew(tenantId: string, recommendation: RecommendationNewEvent): void {
    this.toLocation(tenantId, recommendation.locationId, 'recommendation.new', recommendation);
  }

  private activity(tenantId: string, locationId: string): void {
    const at = new Date();
    for (const listener of this.activityListeners) {
      try {
        listener(tenantId, locationId, at);
      } catch (error) {
        this.logger.warn({ err: error }, 'an activity listener failed');
      }
    }
  }

  /**
   * To the location's room and the tenant's (owners): a socket in both gets it once. And to
   * the GraphQL subscribers of the location, in this process and (with Redis) the others.
   */
  private toLocation(tenantId: string, locationId: string, event: string, payload: object): void {
    const room = locationRoom(tenantId, locationId);
    const lag = this.metrics.liveEmitLag.startTimer({ event });
    void this.journal
      .append(room, event, payload as Record<string, unknown>)
      .then(
        (seq) => ({ ...payload, seq }),
        (error: unknown) => {
          // Still sent, unnumbered: a client that reconnects later is told to refetch.
          this.logger.warn({ err: error }, 'numbering a live event failed');
          return { ...payload, seq: null };
        },
      )
      .then((numbered) => {
        this.io?.to(tenantRoom(tenantId)).to(room).emit(event, numbered);
        lag();
        const channel = liveChannel(event, tenantId, locationId);
        this.feed.publish(channel, numbered);
        if (this.config.redis) this.io?.serverSideEmit(FEED_RELAY, channel, numbered);
      });
  }

  /**
   * Which of these users have a socket open on any of the cell's processes (the Redis
   * adapter asks the others). When the question cannot be answered, nobody counts as
   * having a screen open: a push too many beats a payment nobody hears of.
   */
  async usersWithOpenScreens(tenantId: string, userIds: readonly string[]): Promise<Set<string>> {
    const open = new Set<string>();
    if (!this.io) return open;
    await Promise.all(
      userIds.map(async (userId) => {
        try {
          if ((await this.io!.in(userRoom(tenantId, userId)).fetchSockets()).length > 0) open.add(userId);
        } catch (error) {
          this.logger.warn({ err: error }, 'could not tell whether a user has a screen open');
        }
      }),
    );
    return open;
  }

  async onModuleDestroy(): Promise<void> {
    await this.io?.close();
    await Promise.all(this.redisClients.map((client) => client.quit().catch(() => client.disconnect())));
  }

  private async authenticate(socket: Socket): Promise<Principal> {
    const { auth, headers } = socket.handshake;
    const header = typeof headers.authorization === 'string' && headers.authorization.startsWith('Bearer ') ? headers.authorization.slice(7) : undefined;
    const token = typeof auth?.token === 'string' ? auth.token : header;
    if (!token) throw refusal('UNAUTHENTICATED', 'TOKEN_MISSING');
    let principal: Principal;
    try {
      principal = new Principal(await this.verifier.verify(token));
    } catch {
      throw refusal('UNAUTHENTICATED', 'TOKEN_INVALID');
    }
    const slug = tenantSlugOfRequest({ host: headers.host, xTenant: typeof headers['x-tenant'] === 'string' ? headers['x-tenant'] : undefined });
    if (!slug) throw refusal('FORBIDDEN', 'TENANT_NOT_IDENTIFIED');
    const tenant = await withTenantTransaction(this.dataSource, principal.tenantId, (db) => this.directory.factsOf(db));
    if (!tenant || tenant.slug !== slug) throw refusal('FORBIDDEN', 'TENANT_MISMATCH');
    if (tenant.status !== 'active') throw refusal('FORBIDDEN', 'TENANT_SUSPENDED');
    return principal;
  }

  private onConnection(socket: Socket): void {
    const { principal } = socket.data as SocketState;
    void socket.join(userRoom(principal.tenantId, principal.userId));
    if (principal.role === 'owner' && principal.allowedLocationIds === null) void socket.join(tenantRoom(principal.tenantId));
    socket.on('join', (payload: unknown, ack?: (answer: JoinAnswer) => void) => {
      const reply = typeof ack === 'function' ? ack : () => undefined;
      const { locationId, since } = (payload ?? {}) as { locationId?: unknown; since?: unknown };
      if (!isUuid(locationId)) return reply({ ok: false, code: 'BAD_USER_INPUT', field: 'locationId' });
      if (since !== undefined && (typeof since !== 'number' || !Number.isSafeInteger(since) || since < 0)) return reply({ ok: false, code: 'BAD_USER_INPUT', field: 'since' });
      if (!principal.canSeeLocation(locationId)) return reply({ ok: false, code: 'FORBIDDEN' });
      withTenantTransaction(this.dataSource, principal.tenantId, (db) => db.query('SELECT 1 FROM locations WHERE id = $1', [locationId]))
        .then(async (rows) => {
          if (rows.length === 0) return reply({ ok: false, code: 'NOT_FOUND' });
          const room = locationRoom(principal.tenantId, locationId);
          // Joined first, read second: an event in between arrives twice (once live, once
          // missed), never not at all; clients apply each number once.
          await socket.join(room);
          if (since === undefined) return reply({ ok: true, seq: await this.journal.latest(room) });
          const { seq, missed, resync } = await this.journal.since(room, since);
          reply({ ok: true, seq, resync, missed: missed.map((entry) => ({ event: entry.event, payload: { ...entry.payload, seq: entry.seq } })) });
        })
        .catch((error: unknown) => {
          this.logger.error({ err: error }, 'join failed');
          reply({ ok: false, code: 'INTERNAL_SERVER_ERROR' });
        });
    });
  }
}

/**
 * The answer to `join`: the room's latest number; with `since`, the events after it
 * (`missed`, in order), or `resync` when the gap is longer than the journal keeps.
 */
type JoinAnswer =
  | { ok: true; seq: number; resync?: boolean; missed?: { event: string; payload: Record<string, unknown> }[] }
  | { ok: false; code: string; field?: string };

function refusal(code: string, reason: string): Error {
  const error = new Error(code) as Error & { data: { code: string; reason: string } };
  error.data = { code, reason };
  return error;
}
