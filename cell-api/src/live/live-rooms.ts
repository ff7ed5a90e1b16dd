import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { isUuid } from '@localstore/common';
import Redis from 'ioredis';
import type { Logger } from 'pino';
import type { Socket } from 'socket.io';
import { DataSource } from 'typeorm';
import { AuthErrorCode, AuthException } from '../auth/auth.exception';
import type { Principal } from '../auth/principal';
import type { CellConfig } from '../config/cell-config';
import { CELL_CONFIG, ROOT_LOGGER } from '../config/cell-config.token';
import { withTenantTransaction } from '@localstore/cell-db';
import { InputException } from '../errors/input.exception';
import { joinRefusal, toSocketRefusal } from '../errors/socket-refusal';
import { EventBus, SCREENS_FIRST } from '../events/event-bus';
import { type CellEventMap, SCREEN_EVENTS, type ScreenEventName } from '../events/event-map';
import { LocationErrorCode, LocationException } from '../locations/location.exception';
import { LocationsRepository } from '../locations/locations.repository';
import { CellMetrics } from '../observability/cell-metrics';
import { LiveGateway } from './live-gateway';
import { type LiveJournal, MemoryLiveJournal, RedisLiveJournal } from './live-journal';
import { locationRoom, tenantRoom, userRoom } from './room-names';

/**
 * The answer to `join`: the room's latest number; with `since`, the events after it
 * (`missed`, in order), or `resync` when the gap is longer than the journal keeps.
 */
type JoinAnswer =
  | { ok: true; seq: number; resync?: boolean; missed?: { event: string; payload: Record<string, unknown> }[] }
  | { ok: false; code: string; field?: string };

/**
 * The rooms a socket is in, and the numbering that lets a client that reconnects catch
 * up. Each socket joins its user's room (presence) and, for an owner of every location,
 * the tenant's; it asks to `join` a location's room, allowed only if its token covers the
 * location and the location is its tenant's. Every screen event is numbered in its
 * location's journal (LiveJournal: Redis with several processes, memory alone), in the
 * order published, then handed to the transports as `live.numbered`.
 */
@Injectable()
export class LiveRooms implements OnModuleInit, OnModuleDestroy {
  private journal: LiveJournal = new MemoryLiveJournal();
  private redis?: Redis;

  constructor(
    @Inject(CELL_CONFIG) private readonly config: CellConfig,
    private readonly bus: EventBus,
    private readonly gateway: LiveGateway,
    private readonly locations: LocationsRepository,
    private readonly dataSource: DataSource,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    private readonly metrics: CellMetrics,
  ) {}

  onModuleInit(): void {
    if (this.config.redis) {
      // Several cell processes: the numbers and entries live in Redis, shared by all.
      const { url, keyPrefix } = this.config.redis;
      this.redis = new Redis(url, { maxRetriesPerRequest: null });
      this.redis.on('error', (error: Error) => this.logger.warn({ err: error }, 'live journal redis connection error'));
      this.journal = new RedisLiveJournal(this.redis, keyPrefix);
    }
    for (const event of SCREEN_EVENTS) {
      this.bus.subscribe(event, (tenantId, payload) => this.number(tenantId, event, payload), {
        label: 'LiveRooms',
        priority: SCREENS_FIRST,
      });
    }
    this.gateway.onConnection((socket, principal) => this.onConnection(socket, principal));
  }

  async onModuleDestroy(): Promise<void> {
    await this.journal.close();
    await this.redis?.quit().catch(() => this.redis?.disconnect());
  }

  /**
   * Numbers the event in its location's journal, then hands it on. Synchronous up to the
   * append, so events are numbered in the order they were published.
   */
  private number(tenantId: string, event: ScreenEventName, payload: CellEventMap[ScreenEventName]): void {
    const { locationId } = payload;
    const room = locationRoom(tenantId, locationId);
    const lag = this.metrics.liveEmitLag.startTimer({ event });
    void this.journal
      .append(room, event, payload as unknown as Record<string, unknown>)
      .then(
        (seq) => ({ ...payload, seq }),
        (error: unknown) => {
          // Still sent, unnumbered: a client that reconnects later is told to refetch.
          this.logger.warn({ err: error }, 'numbering a live event failed');
          return { ...payload, seq: null };
        },
      )
      .then((numbered) => {
        void this.bus.publish('live.numbered', tenantId, { locationId, event, payload: numbered });
        lag();
      });
  }

  private onConnection(socket: Socket, principal: Principal): void {
    void socket.join(userRoom(principal.tenantId, principal.userId));
    if (principal.role === 'owner' && principal.allowedLocationIds === null) void socket.join(tenantRoom(principal.tenantId));
    socket.on('join', (payload: unknown, ack?: (answer: JoinAnswer) => void) => {
      const reply = typeof ack === 'function' ? ack : () => undefined;
      const { locationId, since } = (payload ?? {}) as { locationId?: unknown; since?: unknown };
      const refuse = (error: unknown) => reply(joinRefusal(toSocketRefusal(error)));
      if (!isUuid(locationId)) return refuse(new InputException('locationId', 'isUuid'));
      if (since !== undefined && (typeof since !== 'number' || !Number.isSafeInteger(since) || since < 0))
        return refuse(new InputException('since', 'min', { min: 0 }));
      if (!principal.canSeeLocation(locationId)) return refuse(new AuthException(AuthErrorCode.LOCATION_FORBIDDEN));
      withTenantTransaction(this.dataSource, principal.tenantId, (db) => this.locations.exists(db, locationId))
        .then(async (exists) => {
          if (!exists) return refuse(new LocationException(LocationErrorCode.LOCATION_NOT_FOUND));
          const room = locationRoom(principal.tenantId, locationId);
          // Joined first, read second: an event in between arrives twice (once live, once
          // missed), never not at all; clients apply each number once.
          await socket.join(room);
          if (since === undefined) return reply({ ok: true, seq: await this.journal.latest(room) });
          const { seq, missed, resync } = await this.journal.since(room, since);
          reply({
            ok: true,
            seq,
            resync,
            missed: missed.map((entry) => ({ event: entry.event, payload: { ...entry.payload, seq: entry.seq } })),
          });
        })
        .catch((error: unknown) => {
          this.logger.error({ err: error }, 'join failed');
          refuse(error);
        });
    });
  }
}
