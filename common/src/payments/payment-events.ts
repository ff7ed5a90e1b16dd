/**
 * The payment event the control plane's webhook ingress publishes to NATS JetStream and a
 * cell's consumer records. Events are addressed by tenant (`payments.tenant.<id>`), and
 * each tenant has its own durable consumer, so whichever cell serves a tenant pulls its
 * payments from where the last one stopped.
 */
export interface PaymentsBus {
  stream: string;
  /** The stream's subjects: one per tenant. */
  subjects: string;
  subjectOfTenant(tenantId: string): string;
  consumerOfTenant(tenantId: string): string;
  /** Where cells ask the control plane for a checkout (request-reply). */
  checkoutSubject: string;
}

/**
 * The names on the bus. A platform owns its NATS, so the namespace is empty by default;
 * several platforms sharing one server (test runs, a bench beside a demo) each take a
 * namespace (`NATS_NAMESPACE`) so that one's checkouts are never answered by another's
 * control plane.
 */
export function paymentsBus(namespace = ''): PaymentsBus {
  const dotted = namespace ? `${namespace}.` : '';
  const subjectPrefix = `${dotted}payments.tenant.`;
  return {
    stream: namespace ? `${namespace.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_PAYMENTS` : 'PAYMENTS',
    subjects: `${subjectPrefix}*`,
    subjectOfTenant: (tenantId) => `${subjectPrefix}${tenantId}`,
    consumerOfTenant: (tenantId) => `payments-${tenantId}`,
    checkoutSubject: `${dotted}payments.checkout`,
  };
}

/** A namespace is a NATS subject token: lower-case letters, digits, `-` and `_`. */
export const NATS_NAMESPACE_PATTERN = /^([a-z0-9][a-z0-9_-]{0,31})?$/;

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
export const paymentMessageId = (provider: PaymentProvider, merchantCode: string, transactionId: string) =>
  `${provider}:${merchantCode}:${transactionId}`;
