import { type PaymentNotifiedEvent, paymentMessageId } from '@localstore/common';
import type { PaymentEventPublisher } from './payment-event-publisher';
import type { PaymentIntent, PaymentIntentsRepository } from './payment-intents.repository';
import type { ProviderNotice } from './providers/provider-adapter';

/**
 * Hands a verified provider notice for a known intent to the tenant's cell: publishes the
 * payment event (message id = the provider transaction, so JetStream drops a duplicate)
 * and, once JetStream has it, records the transaction on the intent. The webhook ingress
 * and the reconciliation job both come through here, so a payment found by either is the
 * same event and is recorded once.
 */
export async function forwardNotice(
  publisher: PaymentEventPublisher,
  intents: PaymentIntentsRepository,
  intent: PaymentIntent,
  notice: ProviderNotice,
): Promise<void> {
  const event: PaymentNotifiedEvent = {
    v: 1,
    provider: intent.provider,
    transactionId: notice.transactionId,
    tenantId: intent.tenantId,
    orderId: intent.orderId,
    locationId: intent.locationId,
    orderRef: intent.orderRef,
    amount: notice.amount,
    expectedAmount: intent.amount,
    succeeded: notice.succeeded,
    resultCode: notice.resultCode,
    message: notice.message.slice(0, 255),
    paidAt: notice.paidAt.toISOString(),
    receivedAt: new Date().toISOString(),
  };
  await publisher.publish(event, paymentMessageId(intent.provider, notice.merchantCode, notice.transactionId));
  if (notice.succeeded) await intents.markNotified(intent.provider, intent.orderRef, notice.transactionId);
}
