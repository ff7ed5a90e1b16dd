import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { type PaymentsBus, paymentsBus } from '@localstore/common';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import type { CellConfig } from '../config/cell-config';
import { CELL_CONFIG, ROOT_LOGGER } from '../config/cell-config.token';

/**
 * The cell's connection to NATS, opened in the background: a cell whose bus is down still
 * serves its dashboards and sales, and picks its payments up once the bus is back.
 */
@Injectable()
export class CellBus implements OnModuleDestroy {
  private connection?: NatsConnection;
  private connecting?: Promise<NatsConnection>;
  private closed = false;

  constructor(
    @Inject(CELL_CONFIG) private readonly config: CellConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  get configured(): boolean {
    return this.config.nats !== undefined;
  }

  get requestTimeoutMs(): number {
    return this.config.nats?.requestTimeoutMs ?? 15_000;
  }

  /** The payments stream's and the checkouts' names in this platform's namespace. */
  get payments(): PaymentsBus {
    return paymentsBus(this.config.nats?.namespace ?? '');
  }

  get streamReplicas(): number {
    return this.config.nats?.streamReplicas ?? 1;
  }

  /** The connection, waiting for the first one as long as it takes. */
  connected(): Promise<NatsConnection> {
    if (!this.config.nats) return Promise.reject(new Error('NATS_URL is not configured'));
    this.connecting ??= connect({
      servers: this.config.nats.url,
      name: `cell:${this.config.cellName}`,
      waitOnFirstConnect: true,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
    }).then((connection) => {
      this.connection = connection;
      if (this.closed) void connection.close();
      void this.watch(connection);
      return connection;
    });
    return this.connecting;
  }

  /** The connection if it is up now; for calls that must not wait (a checkout). */
  current(): NatsConnection | undefined {
    return this.connection && !this.connection.isClosed() ? this.connection : undefined;
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    await this.connection?.drain().catch(() => this.connection?.close());
  }

  private async watch(connection: NatsConnection): Promise<void> {
    for await (const status of connection.status()) {
      if (status.type === 'disconnect' || status.type === 'reconnect')
        this.logger.warn({ nats: status.type }, 'cell bus connection changed');
    }
  }
}
