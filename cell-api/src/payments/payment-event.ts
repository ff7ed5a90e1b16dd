import { isPaymentProvider, isUuid, type PaymentNotifiedEvent } from '@localstore/common';

const isAmount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= 1_000_000_000_000;
const isText = (value: unknown, max: number): value is string => typeof value === 'string' && value.length <= max;
const isInstant = (value: unknown): value is string => typeof value === 'string' && value.length <= 40 && !Number.isNaN(Date.parse(value));

/**
 * Reads a payment event off the stream. The stream is ours, but a consumer that trusts
 * its input writes whatever a bug upstream sends: each field is checked, and the first
 * wrong one is named.
 */
export function parsePaymentEvent(data: Uint8Array): { event: PaymentNotifiedEvent } | { field: string } {
  let raw: Record<string, unknown>;
  try {
    const value: unknown = JSON.parse(Buffer.from(data).toString('utf8'));
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return { field: 'body' };
    raw = value as Record<string, unknown>;
  } catch {
    return { field: 'body' };
  }
  if (raw.v !== 1) return { field: 'v' };
  if (!isPaymentProvider(raw.provider)) return { field: 'provider' };
  if (!isText(raw.transactionId, 200) || raw.transactionId.length === 0) return { field: 'transactionId' };
  for (const field of ['tenantId', 'orderId', 'locationId'] as const) if (!isUuid(raw[field])) return { field };
  if (!isText(raw.orderRef, 64)) return { field: 'orderRef' };
  if (!isAmount(raw.amount)) return { field: 'amount' };
  if (!isAmount(raw.expectedAmount)) return { field: 'expectedAmount' };
  if (typeof raw.succeeded !== 'boolean') return { field: 'succeeded' };
  if (!isText(raw.resultCode, 20)) return { field: 'resultCode' };
  if (!isText(raw.message, 255)) return { field: 'message' };
  if (!isInstant(raw.paidAt)) return { field: 'paidAt' };
  if (!isInstant(raw.receivedAt)) return { field: 'receivedAt' };
  return { event: raw as unknown as PaymentNotifiedEvent };
}
