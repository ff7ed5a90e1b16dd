import { Injectable } from '@nestjs/common';
import type { PaymentNotifiedEvent } from '@localstore/common';
import type { TenantDb } from '@localstore/cell-db';
import { UnitOfWork } from '../events/unit-of-work';
import { type PaymentDiscrepancy, PaymentsRepository } from './payments.repository';

export type RecordOutcome = 'settled' | 'failed' | 'discrepancy' | 'duplicate' | 'unknown_location' | 'not_served_here';

/**
 * Records a provider's payment in the tenant's transaction, exactly once per provider
 * transaction (the unique key makes a redelivery a no-op). A successful payment of the
 * right amount settles its order; anything else is kept with its discrepancy and raised
 * as an anomaly, never silently accepted. Its events go out after the commit (the owners'
 * push is the notifications' reaction to `payment.received`).
 */
@Injectable()
export class PaymentRecorder {
  constructor(
    private readonly payments: PaymentsRepository,
    private readonly work: UnitOfWork,
  ) {}

  async record(db: TenantDb, event: PaymentNotifiedEvent): Promise<RecordOutcome> {
    if (!(await this.payments.servesTenant(db))) return 'not_served_here';
    const order = await this.payments.orderToSettle(db, event.orderId);
    const discrepancy = discrepancyOf(event, order);
    const locationId = order?.locationId ?? event.locationId;
    // An order that does not exist here may also name a location that does not.
    if (!order && !(await this.payments.locationExists(db, locationId))) return 'unknown_location';
    const payment = await this.payments.insertPayment(db, event, { orderId: order ? order.id : null, locationId }, discrepancy);
    if (!payment) return 'duplicate';
    if (event.succeeded && !discrepancy) await this.payments.markOrderPaid(db, order!.id, event.paidAt);
    const received = {
      paymentId: payment.id,
      orderId: order ? order.id : null,
      locationId,
      provider: event.provider,
      amount: event.amount,
      succeeded: event.succeeded,
      discrepancy,
      paidAt: event.paidAt,
      receivedAt: event.receivedAt,
    };
    this.work.publish(db, 'payment.received', received);
    if (discrepancy && event.succeeded) {
      const anomaly = await this.payments.recordAnomaly(db, {
        locationId,
        businessDate: order?.businessDate ?? event.paidAt.slice(0, 10),
        details: {
          discrepancy,
          provider: event.provider,
          transactionId: event.transactionId,
          orderId: event.orderId,
          amount: event.amount,
          expected: order?.total ?? event.expectedAmount,
        },
      });
      this.work.publish(db, 'anomaly.detected', {
        anomalyId: anomaly.id,
        locationId,
        kind: 'payment_discrepancy',
        severity: 'critical',
        reason: discrepancy,
        detectedAt: anomaly.detectedAt.toISOString(),
      });
      return 'discrepancy';
    }
    return event.succeeded ? 'settled' : 'failed';
  }
}

/**
 * Why a successful payment cannot simply settle its order. A failed payment settles
 * nothing and needs no reason (the customer may try again).
 */
function discrepancyOf(
  event: PaymentNotifiedEvent,
  order: { status: string; total: number; paidAt: Date | null } | null,
): PaymentDiscrepancy | null {
  if (!event.succeeded) return order ? null : 'ORDER_NOT_FOUND';
  if (!order) return 'ORDER_NOT_FOUND';
  if (order.status === 'voided') return 'ORDER_VOIDED';
  if (order.paidAt) return 'ORDER_ALREADY_PAID';
  if (event.amount !== order.total) return 'AMOUNT_MISMATCH';
  return null;
}
