import { type JetStreamManager, RetentionPolicy, StorageType, DiscardPolicy, AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
import type { PaymentsBus } from './payment-events';

/** How long JetStream remembers message ids to drop a duplicate publish. */
export const PAYMENTS_DUPLICATE_WINDOW_MS = 10 * 60_000;

/**
 * The payments stream, created or brought up to date by whoever starts first (the ingress
 * or a cell). File-backed: what the ingress acknowledged to a provider is on disk; with
 * `replicas: 3` in a cluster it is on three servers before the publish is acknowledged,
 * and a single server syncs every write first (`sync_interval: always` in its config).
 */
export async function ensurePaymentsStream(jsm: JetStreamManager, bus: PaymentsBus, replicas: number): Promise<void> {
  const config = {
    name: bus.stream,
    subjects: [bus.subjects],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    num_replicas: replicas,
    // Payments are kept for 30 days: a cell that is down for a week still gets them.
    max_age: 30 * 86_400 * 1_000_000_000,
    duplicate_window: PAYMENTS_DUPLICATE_WINDOW_MS * 1_000_000,
    max_msg_size: 64 * 1024,
  };
  try {
    const existing = await jsm.streams.info(bus.stream);
    if (existing.config.duplicate_window !== config.duplicate_window || existing.config.max_age !== config.max_age) {
      await jsm.streams.update(bus.stream, { ...existing.config, duplicate_window: config.duplicate_window, max_age: config.max_age });
    }
  } catch (error) {
    if (!isNotFound(error)) throw error;
    try {
      await jsm.streams.add(config);
    } catch (addError) {
      // Another process created it between our look and our add.
      if (!/already in use|exists/i.test(String((addError as Error).message))) throw addError;
    }
  }
}

/**
 * The tenant's durable consumer: named after the tenant, not the cell, so the cell that
 * serves the tenant after a promotion continues from the same acknowledged position.
 */
export async function ensureTenantPaymentConsumer(jsm: JetStreamManager, bus: PaymentsBus, tenantId: string): Promise<string> {
  const name = bus.consumerOfTenant(tenantId);
  try {
    await jsm.consumers.info(bus.stream, name);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    await jsm.consumers.add(bus.stream, {
      durable_name: name,
      filter_subject: bus.subjectOfTenant(tenantId),
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: 30 * 1_000_000_000,
      max_deliver: -1,
      max_ack_pending: 1000,
    });
  }
  return name;
}

function isNotFound(error: unknown): boolean {
  const e = error as { api_error?: { err_code?: number; code?: number }; message?: string };
  return e?.api_error?.code === 404 || /not found/i.test(String(e?.message));
}
