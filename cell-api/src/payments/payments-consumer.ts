import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ensurePaymentsStream, ensureTenantPaymentConsumer } from '@localstore/common';
import { type ConsumerMessages, type JsMsg, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { ROOT_LOGGER } from '../config/cell-config.token';
import { withTenantTransaction } from '@localstore/cell-db';
import { isTenantMovingError } from '../errors/tenant-moving';
import { CellMetrics } from '../observability/cell-metrics';
import { CellBus } from './cell-bus';
import { parsePaymentEvent } from './payment-event';
import { PaymentRecorder } from './payment-recorder.service';
import { PaymentsRepository } from './payments.repository';

/** How often the cell re-reads which tenants it serves (a promotion's switch is seen within this). */
const REFRESH_MS = 2_000;
const MAX_RETRY_DELAY_MS = 30_000;

/**
 * Pulls the payments of every tenant this cell serves (`cell_tenants` in state `serving`)
 * from each tenant's durable consumer, records each in the tenant's transaction and
 * acknowledges it only after the commit. A redelivery is a no-op in the database; a
 * failure is retried with backoff; a frozen tenant (being promoted) is retried shortly,
 * by whichever cell serves it by then.
 */
@Injectable()
export class PaymentsConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly running = new Map<string, ConsumerMessages>();
  /** Per tenant: events its consumer had not yet been given at its last delivery. */
  private readonly pending = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private refreshing?: Promise<void>;

  constructor(
    private readonly bus: CellBus,
    private readonly dataSource: DataSource,
    private readonly recorder: PaymentRecorder,
    private readonly payments: PaymentsRepository,
    private readonly metrics: CellMetrics,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.bus.configured) return;
    const tick = () => {
      if (this.stopped) return;
      this.refresh()
        .catch((error: unknown) => this.logger.warn({ err: error }, 'payments consumer refresh failed; retrying'))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, REFRESH_MS);
        });
    };
    tick();
  }

  /** Looks again at once (a tenant was just provisioned here). */
  refreshSoon(): void {
    if (this.bus.configured && !this.stopped) void this.refresh().catch(() => undefined);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.refreshing?.catch(() => undefined);
    await Promise.all([...this.running.values()].map((messages) => messages.close().catch(() => undefined)));
    this.running.clear();
  }

  private refresh(): Promise<void> {
    this.refreshing ??= this.refreshOnce().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async refreshOnce(): Promise<void> {
    const connection = await this.bus.connected();
    const serving = new Set(await this.payments.servedTenantIds());
    for (const [tenantId, messages] of this.running) {
      if (serving.has(tenantId)) continue;
      this.running.delete(tenantId);
      await messages.close().catch(() => undefined);
      this.logger.info({ tenant_id: tenantId }, 'stopped consuming payments of a tenant no longer served here');
    }
    const missing = [...serving].filter((tenantId) => !this.running.has(tenantId));
    if (missing.length === 0 || this.stopped) return;
    const jsm = await jetstreamManager(connection);
    const names = this.bus.payments;
    await ensurePaymentsStream(jsm, names, this.bus.streamReplicas);
    const js = jetstream(connection);
    for (const tenantId of missing) {
      if (this.stopped) return;
      const name = await ensureTenantPaymentConsumer(jsm, names, tenantId);
      const consumer = await js.consumers.get(names.stream, name);
      const messages = await consumer.consume({ max_messages: 64 });
      this.running.set(tenantId, messages);
      void this.drain(tenantId, messages);
    }
  }

  private async drain(tenantId: string, messages: ConsumerMessages): Promise<void> {
    try {
      for await (const msg of messages) await this.handle(tenantId, msg);
    } catch (error) {
      this.logger.warn({ err: error, tenant_id: tenantId }, 'payments consumer stopped; it restarts on the next refresh');
    } finally {
      if (this.running.get(tenantId) === messages) this.running.delete(tenantId);
      this.notePending(tenantId, undefined);
    }
  }

  /** The lag gauge: what each tenant's consumer still has to take, as its last delivery said. */
  private notePending(tenantId: string, pending: number | undefined): void {
    if (pending === undefined) this.pending.delete(tenantId);
    else this.pending.set(tenantId, pending);
    let total = 0;
    for (const value of this.pending.values()) total += value;
    this.metrics.paymentsPending.set(total);
  }

  private async handle(tenantId: string, msg: JsMsg): Promise<void> {
    this.notePending(tenantId, msg.info.pending);
    const parsed = parsePaymentEvent(msg.data);
    if ('field' in parsed || parsed.event.tenantId !== tenantId) {
      // Never retried: it can only get worse. Kept in the stream for inspection.
      this.logger.warn(
        { security: true, tenant_id: tenantId, seq: msg.seq, field: 'field' in parsed ? parsed.field : 'tenantId' },
        'payment event refused',
      );
      this.metrics.paymentsConsumed.inc({ provider: 'unknown', outcome: 'refused' });
      msg.term();
      return;
    }
    const { event } = parsed;
    try {
      const outcome = await withTenantTransaction(this.dataSource, tenantId, (db) => this.recorder.record(db, event));
      if (outcome === 'not_served_here') {
        // The tenant moved on: leave the message to the cell that serves it now.
        msg.nak(500);
        this.refreshSoon();
        return;
      }
      msg.ack();
      this.metrics.paymentsConsumed.inc({ provider: event.provider, outcome });
      if (outcome === 'unknown_location')
        this.logger.error(
          { tenant_id: tenantId, order_id: event.orderId, provider: event.provider },
          'payment for an order and location unknown here; kept in the stream',
        );
    } catch (error) {
      if (isTenantMovingError(error)) {
        msg.nak(1_000);
        return;
      }
      const delay = Math.min(MAX_RETRY_DELAY_MS, 250 * 2 ** Math.min(msg.info.deliveryCount, 10));
      this.logger.error(
        { err: error, tenant_id: tenantId, provider: event.provider, delivery: msg.info.deliveryCount },
        'recording a payment failed; retrying',
      );
      this.metrics.paymentsConsumed.inc({ provider: event.provider, outcome: 'retried' });
      msg.nak(delay);
    }
  }
}
