import type { PaymentProvider } from './payment-events';

/**
 * A cell asks the control plane, over NATS request-reply, for a provider payment page for
 * one of its orders: the control plane holds the tenant's merchant credentials and must
 * know the order reference before the provider's notification arrives.
 */
export interface PaymentCheckoutRequest {
  tenantId: string;
  orderId: string;
  locationId: string;
  provider: PaymentProvider;
  /** Đồng: the order's total as the cell recorded it. */
  amount: number;
  /** Shown to the customer by the provider. */
  description: string;
}

export type PaymentCheckoutReply =
  | { ok: true; provider: PaymentProvider; orderRef: string; payUrl: string; expiresAt: string }
  | { ok: false; code: 'INVALID_REQUEST' | 'PROVIDER_NOT_CONNECTED' | 'PROVIDER_UNAVAILABLE' | 'TOO_MANY_ATTEMPTS'; field?: string };
