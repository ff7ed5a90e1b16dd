/**
 * The payment event the control plane's webhook ingress publishes to NATS JetStream and a
 * cell's consumer records. Events are addressed by tenant (`payments.tenant.<id>`), and
 * each tenant has its own durable consumer, so whichever cell serves a tenant pulls its
 * payments from where the last one stopped.
 */
export const PAYMENTS_STREAM = 'PAYMENTS';
export const PAYMENTS_SUBJECT_PREFIX = 'payments.tenant.';
export const paymentSubjectOfTenant = (tenantId: string) => `${PAYMENTS_SUBJECT_PREFIX}${tenantId}`;
export const paymentConsumerOfTenant = (tenantId: string) => `payments-${tenantId}`;

export const PAYMENT_PROVIDERS = ['momo', 'zalopay', 'vnpay'] as const;
export type PaymentProvider = (typeof PAYMENT_PROVIDERS)[number];
export const isPaymentProvider = (value: unknown): value is PaymentProvider => PAYMENT_PROVIDERS.includes(value as PaymentProvider);

export interface PaymentNotifiedEvent {
  /** Contract version, for consumers of an older release. */
  v: 1;
  provider: PaymentProvider;
  /** The provider's transaction id (MoMo `transId`, ZaloPay `zp_trans_id`, VNPay `vnp_TransactionNo`). */
  transactionId: string;
  tenantId: string;
  orderId: string;
  locationId: string;
  /** The order reference we gave the provider. */
  orderRef: string;
  /** Đồng, as the provider reported it (VNPay's ×100 already divided). */
  amount: number;
  /** What we asked the provider to collect for this order. */
  expectedAmount: number;
  /** True only where the provider says the money was taken. */
  succeeded: boolean;
  /** The provider's own result code and message, for the record. */
  resultCode: string;
  message: string;
  paidAt: string;
  receivedAt: string;
}

/** The message id JetStream deduplicates on: one per provider transaction. */
export const paymentMessageId = (provider: PaymentProvider, merchantCode: string, transactionId: string) => `${provider}:${merchantCode}:${transactionId}`;
