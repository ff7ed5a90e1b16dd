import type { PaymentProvider } from '@localstore/common';
import type { DataSource } from 'typeorm';

export interface PaymentIntent {
  provider: PaymentProvider;
  orderRef: string;
  tenantId: string;
  orderId: string;
  locationId: string;
  amount: number;
  description: string;
  payUrl: string | null;
  expiresAt: Date;
  notifiedTransactionId: string | null;
}

const COLUMNS = `provider, order_ref AS "orderRef", tenant_id AS "tenantId", order_id AS "orderId", location_id AS "locationId",
  amount, description, pay_url AS "payUrl", expires_at AS "expiresAt", notified_transaction_id AS "notifiedTransactionId"`;

/** What we asked providers to collect, and what we acknowledged back to them. */
export class PaymentIntentsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async create(intent: Omit<PaymentIntent, 'notifiedTransactionId'>): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO payment_intents (provider, order_ref, tenant_id, order_id, location_id, amount, description, pay_url, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        intent.provider,
        intent.orderRef,
        intent.tenantId,
        intent.orderId,
        intent.locationId,
        intent.amount,
        intent.description,
        intent.payUrl,
        intent.expiresAt,
      ],
    );
  }

  async setPayUrl(provider: PaymentProvider, orderRef: string, payUrl: string): Promise<void> {
    await this.dataSource.query('UPDATE payment_intents SET pay_url = $3 WHERE provider = $1 AND order_ref = $2', [
      provider,
      orderRef,
      payUrl,
    ]);
  }

  async byRef(provider: PaymentProvider, orderRef: string): Promise<PaymentIntent | null> {
    const [row] = await this.dataSource.query<PaymentIntent[]>(
      `SELECT ${COLUMNS} FROM payment_intents WHERE provider = $1 AND order_ref = $2`,
      [provider, orderRef],
    );
    return row ?? null;
  }

  /** The newest intent of an order with a provider that can still be paid, to hand out again. */
  async openIntentOf(tenantId: string, orderId: string, provider: PaymentProvider): Promise<PaymentIntent | null> {
    const [row] = await this.dataSource.query<PaymentIntent[]>(
      `SELECT ${COLUMNS} FROM payment_intents
        WHERE tenant_id = $1 AND order_id = $2 AND provider = $3 AND notified_at IS NULL AND expires_at > now()
        ORDER BY created_at DESC LIMIT 1`,
      [tenantId, orderId, provider],
    );
    return row ?? null;
  }

  async attemptsOf(tenantId: string, orderId: string, provider: PaymentProvider): Promise<number> {
    const [row] = await this.dataSource.query<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM payment_intents WHERE tenant_id = $1 AND order_id = $2 AND provider = $3',
      [tenantId, orderId, provider],
    );
    return row?.n ?? 0;
  }

  /**
   * Intents no provider has confirmed `afterSeconds` after checkout, not asked about in the
   * last `afterSeconds` either, and at most a day old (a provider's page expires long before).
   */
  async awaitingReconciliation(afterSeconds: number, limit: number): Promise<PaymentIntent[]> {
    return this.dataSource.query<PaymentIntent[]>(
      `SELECT ${COLUMNS} FROM payment_intents
        WHERE notified_at IS NULL AND pay_url IS NOT NULL
          AND created_at < now() - make_interval(secs => $1) AND created_at > now() - interval '1 day'
          AND (last_checked_at IS NULL OR last_checked_at < now() - make_interval(secs => $1))
        ORDER BY created_at LIMIT $2`,
      [afterSeconds, limit],
    );
  }

  async markChecked(provider: PaymentProvider, orderRef: string): Promise<void> {
    await this.dataSource.query(
      'UPDATE payment_intents SET last_checked_at = now(), checks = checks + 1 WHERE provider = $1 AND order_ref = $2',
      [provider, orderRef],
    );
  }

  /** Records the first acknowledged transaction of a reference; later ones leave it as it is. */
  async markNotified(provider: PaymentProvider, orderRef: string, transactionId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE payment_intents SET notified_transaction_id = $3, notified_at = now()
        WHERE provider = $1 AND order_ref = $2 AND notified_transaction_id IS NULL`,
      [provider, orderRef, transactionId],
    );
  }
}
