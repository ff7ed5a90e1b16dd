import type { IncomingHttpHeaders, Server as HttpServer } from 'node:http';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { createAdapter } from '@socket.io/redis-adapter';
import Redis from 'ioredis';
import { Server, type Socket } from 'socket.io';
import type { Principal } from '../auth/principal';
import { credentialsOf, RequestAuthenticator } from '../auth/request-authenticator';
import type { CellConfig } from '../config/cell-config';
import { CELL_CONFIG, ROOT_LOGGER } from '../config/cell-config.token';
import { handshakeRefusal, toSocketRefusal } from '../errors/socket-refusal';
import { EventBus } from '../events/event-bus';
import type { NumberedScreenEvent } from '../events/event-map';
import { CellMetrics } from '../observability/cell-metrics';
import { locationRoom, tenantRoom } from './room-names';

interface SocketState {
  principal: Principal;
}

/** What a handshake carries: the token in `auth.token` (browsers cannot set headers on a WebSocket) or `Authorization`. */
interface Handshake {
  auth?: Record<string, unknown>;
  headers: IncomingHttpHeaders;
}

/** The handshake read as request headers, so it goes through the same credentials reader as a GraphQL request. */
function headerOfHandshake({ auth, headers }: Handshake): (name: string) => string | undefined {
  return (name) => {
    if (name === 'authorization' && typeof auth?.token === 'string') return `Bearer ${auth.token}`;
    const value = headers[name];
    return typeof value === 'string' ? value : undefined;
  };
}

/**
 * Socket.IO on the cell (`/socket.io`): the server, and with Redis its adapter, so a
 * broadcast from one of the cell's processes reaches the sockets held by the others. A
 * client proves who it is in the handshake through the same rule as a GraphQL request
 * (RequestAuthenticator); a refusal is the AuthException's code (`connect_error`:
 * message UNAUTHENTICATED or FORBIDDEN, data `{ code, reason }`). It delivers numbered
 * screen events (`live.numbered`) to the location's room and the tenant's; what a socket
 * may join is the room protocol's (LiveRooms).
 */
@Injectable()
export class LiveGateway implements OnModuleInit, OnModuleDestroy {
  private io?: Server;
  private redisClients: Redis[] = [];
  private readonly connectionHandlers: ((socket: Socket, principal: Principal) => void)[] = [];
  private readonly relayHandlers = new Map<string, (...args: unknown[]) => void>();

  constructor(
    @Inject(CELL_CONFIG) private readonly config: CellConfig,
    private readonly auth: RequestAuthenticator,
    private readonly bus: EventBus,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    private readonly metrics: CellMetrics,
  ) {}

  onModuleInit(): void {
    this.bus.subscribe('live.numbered', (tenantId, numbered) => this.toRooms(tenantId, numbered), { label: 'LiveGateway' });
  }

  attach(httpServer: HttpServer): void {
    const io = new Server(httpServer, { path: '/socket.io', serveClient: false, maxHttpBufferSize: 64 * 1024 });
    if (this.config.redis) {
      const { url, keyPrefix } = this.config.redis;
      const publisher = new Redis(url, { maxRetriesPerRequest: null });
      const subscriber = publisher.duplicate();
      for (const client of [publisher, subscriber])
        client.on('error', (error: Error) => this.logger.warn({ err: error }, 'socket.io redis connection error'));
      this.redisClients = [publisher, subscriber];
      io.adapter(createAdapter(publisher, subscriber, { key: `${keyPrefix}socket.io` }));
      for (const [name, handler] of this.relayHandlers) io.on(name, handler);
    }
    io.use((socket, next) => {
      this.auth.authenticate(credentialsOf(headerOfHandshake(socket.handshake))).then(
        (principal) => {
          (socket.data as SocketState).principal = principal;
          next();
        },
        (error: unknown) => {
          const refusal = toSocketRefusal(error);
          if (refusal.code === 'INTERNAL_SERVER_ERROR') this.logger.error({ err: error }, 'socket handshake failed');
          next(handshakeRefusal(refusal));
        },
      );
    });
    io.on('connection', (socket) => {
      this.metrics.socketConnections.inc();
      socket.once('disconnect', () => this.metrics.socketConnections.dec());
      const { principal } = socket.data as SocketState;
      for (const handler of this.connectionHandlers) handler(socket, principal);
    });
    this.io = io;
  }

  /** Called with each authenticated socket as it connects. */
  onConnection(handler: (socket: Socket, principal: Principal) => void): void {
    this.connectionHandlers.push(handler);
  }

  /** Sends to the cell's other processes (with Redis; alone, there are none). */
  relay(name: string, ...args: unknown[]): void {
    if (this.config.redis) this.io?.serverSideEmit(name, ...args);
  }

  /** Hears what another process relayed under `name`. */
  onRelay(name: string, handler: (...args: unknown[]) => void): void {
    this.relayHandlers.set(name, handler);
    if (this.config.redis) this.io?.on(name, handler);
  }

  /** Whether any socket, on any of the cell's processes, is in the room. */
  async hasSockets(room: string): Promise<boolean> {
    if (!this.io) return false;
    return (await this.io.in(room).fetchSockets()).length > 0;
  }

  async onModuleDestroy(): Promise<void> {
    await this.io?.close();
    await Promise.all(this.redisClients.map((client) => client.quit().catch(() => client.disconnect())));
  }

  /** To the location's room and the tenant's (owners): a socket in both gets it once. */
  private toRooms(tenantId: string, { locationId, event, payload }: NumberedScreenEvent): void {
    this.io?.to(tenantRoom(tenantId)).to(locationRoom(tenantId, locationId)).emit(event, payload);
  }
}
