import type { PaymentProvider } from '@localstore/common';

/** A provider's secrets, as the tenant connected them (sealed at rest). */
export interface ProviderSecrets {
  momo: { accessKey: string; secretKey: string };
  zalopay: { key1: string; key2: string };
  vnpay: { hashSecret: string };
}

/** What a notification says, in our terms, once parsed (not yet verified). */
export interface ProviderNotice {
  provider: PaymentProvider;
  /** Whose merchant account it claims to be for: MoMo `partnerCode`, ZaloPay `app_id`, VNPay `vnp_TmnCode`. */
  merchantCode: string;
  orderRef: string;
  transactionId: string;
  /** Đồng. */
  amount: number;
  succeeded: boolean;
  resultCode: string;
  message: string;
  paidAt: Date;
}

/** The request as the ingress read it: no framework, so every provider's quirks are visible. */
export interface WebhookRequest {
  method: string;
  query: URLSearchParams;
  contentType: string;
  body: string;
}

export type ParsedNotice<P extends PaymentProvider = PaymentProvider> =
  { ok: true; notice: ProviderNotice; verify(secrets: ProviderSecrets[P]): boolean } | { ok: false; field: string };

/**
 * How our answer reads to the provider. Each provider documents its own, and a wrong one
 * makes it retry for hours (or stop retrying a payment we did not record).
 */
export type WebhookOutcome =
  'accepted' | 'duplicate' | 'invalid_signature' | 'order_not_found' | 'invalid_amount' | 'malformed' | 'retry_later';

export interface WebhookReply {
  status: number;
  body?: object;
}

export interface ProviderAdapter<P extends PaymentProvider = PaymentProvider> {
  provider: P;
  /** Methods the provider calls us with. */
  methods: readonly string[];
  parse(request: WebhookRequest): ParsedNotice<P>;
  reply(outcome: WebhookOutcome): WebhookReply;
}

/** Reads a JSON object body; anything else is malformed. */
export function jsonObject(body: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(body);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** A whole number of đồng within what an order can hold, from a JSON number or digit string. */
export function wholeAmount(value: unknown, max = 1_000_000_000_000): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(n) && n >= 0 && n <= max ? n : null;
}

export function shortText(value: unknown, max: number, pattern?: RegExp): string | null {
  if (typeof value !== 'string' || value.length > max) return null;
  return pattern && !pattern.test(value) ? null : value;
}

/** An id the provider sends as a number or a digit string (MoMo `transId`, ZaloPay `zp_trans_id`). */
export function digitsId(value: unknown): string | null {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  return typeof value === 'string' && /^\d{1,30}$/.test(value) ? value : null;
}
