import { Injectable } from '@nestjs/common';
import type { PaymentNotifiedEvent } from '@localstore/common';
import { servingTenantIds, type TenantDb } from '@localstore/cell-db';
import { DataSource } from 'typeorm';

export type PaymentDiscrepancy = 'AMOUNT_MISMATCH' | 'ORDER_NOT_FOUND' | 'ORDER_VOIDED' | 'ORDER_ALREADY_PAID';

export interface OrderToSettle {
  id: string;
  locationId: string;
  status: 'completed' | 'voided';
  total: number;
  paidAt: Date | null;
  businessDate: string;
}

export interface RecordedPayment {
  id: string;
  receivedAt: Date;
}

/** The SQL of recording provider payments; the rules are in `PaymentRecorder`. */
@Injectable()
export class PaymentsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The tenants this cell serves now: the cell's own table, read outside any tenant. */
  async servedTenantIds(): Promise<string[]> {
    return servingTenantIds(this.dataSource);
  }

  /**
   * Whether this cell serves the tenant, read in the recording transaction itself: a
   * promotion flips it to `departed` at the route switch while the tenant's rows are still
   * frozen here, so a payment is never recorded in a cell that is about to drop the rows.
   */
  async servesTenant(db: TenantDb): Promise<boolean> {
    const [row] = await db.query<{ state: string }>(
      'SELECT state FROM cell_tenants WHERE id = $1 FOR SHARE',
      [db.tenantId],
      'payments_serves_tenant',
    );
    return row?.state === 'serving';
  }

  /** Locks the order, so two payments for it settle one after the other. */
  async orderToSettle(db: TenantDb, orderId: string): Promise<OrderToSettle | null> {
    const [row] = await db.query<OrderToSettle>(
      `SELECT id, location_id AS "locationId", status, total, paid_at AS "paidAt", business_date::text AS "businessDate"
         FROM orders WHERE id = $1 FOR UPDATE`,
      [orderId],
      'payments_order_to_settle',
    );
    return row ?? null;
  }

  async orderToCheckout(
    db: TenantDb,
    orderId: string,
  ): Promise<{ locationId: string; status: string; total: number; paidAt: Date | null; paymentMethod: string } | null> {
    const [row] = await db.query<{ locationId: string; status: string; total: number; paidAt: Date | null; paymentMethod: string }>(
      `SELECT location_id AS "locationId", status, total, paid_at AS "paidAt", payment_method AS "paymentMethod" FROM orders WHERE id = $1`,
      [orderId],
    );
    return row ?? null;
  }

  /** Null when this provider transaction is already recorded (a redelivery). */
  async insertPayment(
    db: TenantDb,
    event: PaymentNotifiedEvent,
    target: { orderId: string | null; locationId: string },
    discrepancy: PaymentDiscrepancy | null,
  ): Promise<RecordedPayment | null> {
    const [row] = await db.query<RecordedPayment>(
      `INSERT INTO payments (tenant_id, location_id, order_id, provider, provider_transaction_id, amount, status, paid_at,
                             payload, result_code, expected_amount, discrepancy)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (tenant_id, provider, provider_transaction_id) DO NOTHING
       RETURNING id, received_at AS "receivedAt"`,
      [
        db.tenantId,
        target.locationId,
        target.orderId,
        event.provider,
        event.transactionId,
        event.amount,
        event.succeeded ? 'succeeded' : 'failed',
        event.paidAt,
        { orderRef: event.orderRef, message: event.message, receivedAt: event.receivedAt },
        event.resultCode,
        event.expectedAmount,
        discrepancy,
      ],
      'payments_insert',
    );
    return row ?? null;
  }

  /** Marks the order paid and adds it to what its day's method has collected, in one statement. */
  async markOrderPaid(db: TenantDb, orderId: string, paidAt: string): Promise<void> {
    await db.query(
      `WITH paid AS (
         UPDATE orders SET paid_at = $2 WHERE id = $1 AND paid_at IS NULL AND status = 'completed'
         RETURNING location_id, business_date, payment_method, total
       )
       UPDATE payment_method_daily r SET paid_amount = r.paid_amount + paid.total, paid_orders = r.paid_orders + 1
         FROM paid
        WHERE r.location_id = paid.location_id AND r.business_date = paid.business_date AND r.payment_method = paid.payment_method`,
      [orderId, paidAt],
      'payments_mark_paid',
    );
  }

  async locationExists(db: TenantDb, locationId: string): Promise<boolean> {
    return (await db.query('SELECT 1 FROM locations WHERE id = $1', [locationId])).length > 0;
  }

  async recordAnomaly(
    db: TenantDb,
    anomaly: { locationId: string; businessDate: string; details: Record<string, unknown> },
  ): Promise<{ id: string; detectedAt: Date }> {
    const [row] = await db.query<{ id: string; detectedAt: Date }>(
      `INSERT INTO anomalies (tenant_id, location_id, kind, severity, business_date, details)
       VALUES ($1, $2, 'payment_discrepancy', 'critical', $3, $4)
       RETURNING id, detected_at AS "detectedAt"`,
      [db.tenantId, anomaly.locationId, anomaly.businessDate, anomaly.details],
    );
    return row!;
  }
}
