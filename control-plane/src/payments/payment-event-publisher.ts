import { ensurePaymentsStream, type PaymentNotifiedEvent, type PaymentsBus, paymentsBus } from '@localstore/common';
import { jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import type { Histogram } from 'prom-client';

export interface PublishedPayment {
  /** False when JetStream had seen this message id within its duplicate window. */
  fresh: boolean;
  seq: number;
}

/**
 * Publishes payment events to JetStream and waits for the stream's acknowledgement: only
 * then may the ingress answer the provider. The connection reconnects for ever; while the
 * server is away a publish fails after `timeoutMs`, and the ingress tells the provider to
 * call again.
 */
export class PaymentEventPublisher {
  private streamReady = false;

  private constructor(
    readonly connection: NatsConnection,
    readonly bus: PaymentsBus,
    private readonly js: JetStreamClient,
    private readonly replicas: number,
    private readonly timeoutMs: number,
    private readonly logger: Logger,
    private readonly durations?: Histogram<'outcome'>,
  ) {}

  static async connect(
    options: { url: string; namespace: string; replicas: number; timeoutMs: number; name: string },
    logger: Logger,
    durations?: Histogram<'outcome'>,
  ): Promise<PaymentEventPublisher> {
    const connection = await connect({
      servers: options.url,
      name: options.name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      timeout: 5_000,
    });
    const publisher = new PaymentEventPublisher(
      connection,
      paymentsBus(options.namespace),
      jetstream(connection, { timeout: options.timeoutMs }),
      options.replicas,
      options.timeoutMs,
      logger,
      durations,
    );
    void publisher.watchStatus();
    await publisher.ensureStream().catch((error: unknown) => logger.warn({ err: error }, 'payments stream not ready yet'));
    return publisher;
  }

  async publish(event: PaymentNotifiedEvent, messageId: string): Promise<PublishedPayment> {
    if (!this.streamReady) await this.ensureStream();
    const stop = this.durations?.startTimer();
    try {
      const ack = await this.js.publish(this.bus.subjectOfTenant(event.tenantId), JSON.stringify(event), {
        msgID: messageId,
        timeout: this.timeoutMs,
      });
      stop?.({ outcome: ack.duplicate ? 'duplicate' : 'acked' });
      return { fresh: !ack.duplicate, seq: ack.seq };
    } catch (error) {
      stop?.({ outcome: 'failed' });
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.connection.drain().catch(() => this.connection.close());
  }

  private async ensureStream(): Promise<void> {
    await ensurePaymentsStream(await jetstreamManager(this.connection, { timeout: this.timeoutMs }), this.bus, this.replicas);
    this.streamReady = true;
  }

  private async watchStatus(): Promise<void> {
    for await (const status of this.connection.status()) {
      if (status.type === 'disconnect' || status.type === 'reconnect')
        this.logger.warn({ nats: status.type }, 'payments bus connection changed');
    }
  }
}
