// Payment → screens: VNPay (played by the bench) notifies the control plane's ingress of a
// paid order; the ingress verifies and publishes to JetStream, a cell's payments consumer
// records it and emits `payment.received` to every screen. Also how the payments are
// prepared (a sale, then requestPayment through NATS, then the IPN signed ahead of time),
// which the webhook load reuses.
import { vnpayQuery, vnpaySecureHash, vietnamTime } from '@localstore/flows/harness/vnpay-signing';
import type { HttpClient } from '../lib/http-client';
import { epochMs, summarize, type Summary } from '../lib/measure';
import { BenchError } from '../lib/output';
import type { Screens } from './screens';
import { FAN_OUT_TIMEOUT_MS, FIRST_PAYMENT_TIMEOUT_MS, type RealtimeSettings } from './settings';
import type { SaleOn } from './stack';
import type { VnpayMerchant } from './tenant';

const REQUEST_PAYMENT = `mutation RequestPayment($orderId: ID!, $provider: String!) { requestPayment(orderId: $orderId, provider: $provider) { payUrl orderRef } }`;

const VNPAY_WEBHOOK = '/api/v1/webhooks/payment/vnpay';
/** What the ingress answers VNPay for a notification it took (after the JetStream ack). */
export const VNPAY_ACCEPTED = '00';

/** A payment ready to be notified: the order, and the IPN's path and query, signed. */
export interface PreparedPayment {
  orderId: string;
  orderRef: string;
  path: string;
}

/** The payments, with how their requestPayment calls went. */
export type PreparedPayments = PreparedPayment[] & { checkout: Summary; errors: number; firstErrors: string[] };

export interface PaymentFanOut {
  /** The IPN sent → the last screen got the order's `payment.received`. */
  toLast: Summary;
  toFirst: Summary;
  /** The IPN sent → the ingress answered RspCode 00 (after the JetStream ack). */
  ingress: Summary;
  requestPayment: Summary;
  accepted: number;
  errors: number;
  firstErrors: string[];
}

/**
 * VNPay's IPN for a paid order, as the path and query the ingress is called on: the
 * amount and order info VNPay was given in the signed pay URL, a new transaction number,
 * `vnp_SecureHash` = HMAC-SHA512 with the terminal's hash secret over the sorted query.
 */
function vnpayIpnPath(merchant: VnpayMerchant, payUrl: string, orderRef: string, transactionNo: string): string {
  const asked = new URL(payUrl).searchParams;
  if (asked.get('vnp_TxnRef') !== orderRef || asked.get('vnp_TmnCode') !== merchant.tmnCode) {
    throw new BenchError(
      `the pay URL names order ${asked.get('vnp_TxnRef')} of terminal ${asked.get('vnp_TmnCode')}, not ${orderRef} of ${merchant.tmnCode}`,
    );
  }
  const params = {
    vnp_Amount: asked.get('vnp_Amount') ?? '',
    vnp_BankCode: 'NCB',
    vnp_OrderInfo: asked.get('vnp_OrderInfo') ?? 'Thanh toan don hang',
    vnp_PayDate: vietnamTime(new Date()),
    vnp_ResponseCode: '00',
    vnp_TmnCode: merchant.tmnCode,
    vnp_TransactionNo: transactionNo,
    vnp_TransactionStatus: '00',
    vnp_TxnRef: orderRef,
  };
  return `${VNPAY_WEBHOOK}?${vnpayQuery(params)}&vnp_SecureHashType=HmacSHA512&vnp_SecureHash=${vnpaySecureHash(merchant.hashSecret, params)}`;
}

/**
 * `count` payments to be paid by VNPay: each a sale recorded with VNPAY, alternately on
 * each cell, then `requestPayment` on the same cell (the cell asks the control plane over
 * NATS, which records the intent and signs the pay URL). With `screens`, each sale's
 * delta is awaited before the next, so no fan-out overlaps the figures. The IPN for each
 * is signed now: during the series the bench only sends.
 */
export async function preparePayments(
  count: number,
  workers: number,
  { sale, graphql, merchant, screens }: { sale: SaleOn; graphql: HttpClient[]; merchant: VnpayMerchant; screens: Screens | null },
): Promise<PreparedPayments> {
  const prepared: PreparedPayment[] = [];
  const errors: string[] = [];
  const checkoutMs: number[] = [];
  let next = 0;
  let transaction = 1_000_000_000 + Math.floor(Math.random() * 8_000_000_000);
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < count && errors.length < 20) {
        const cell = next++ % 2;
        const { id, send } = sale(cell, 'VNPAY');
        const delivered = screens?.expect('dashboard.delta', id);
        const recorded = await send();
        if (recorded.error) {
          if (screens) screens.forget('dashboard.delta', id);
          errors.push(`recordSale: ${recorded.error}`);
          continue;
        }
        await delivered;
        const checkout = await graphql[cell]!.gql<{ requestPayment: { payUrl: string; orderRef: string } }>(REQUEST_PAYMENT, {
          orderId: id,
          provider: 'vnpay',
        });
        if (checkout.error !== null) {
          errors.push(`requestPayment: ${checkout.error}`);
          continue;
        }
        checkoutMs.push(checkout.ms);
        const { payUrl, orderRef } = checkout.data.requestPayment;
        prepared.push({ orderId: id, orderRef, path: vnpayIpnPath(merchant, payUrl, orderRef, String(transaction++)) });
      }
    }),
  );
  if (errors.length >= 20 || prepared.length === 0)
    throw new BenchError(`preparing VNPay payments failed: ${[...new Set(errors)].slice(0, 3).join('; ')}`);
  return Object.assign(prepared, { checkout: summarize(checkoutMs), errors: errors.length, firstErrors: [...new Set(errors)].slice(0, 3) });
}

/**
 * The IPNs one at a time: from just before the bench sends the notification to the
 * moment the last screen has the order's `payment.received`. In between: the ingress
 * verifies, publishes to JetStream and answers once the stream has it; one of the two
 * cells pulls it from the tenant's consumer, records it and emits it.
 */
export async function measurePaymentFanOut(
  settings: RealtimeSettings,
  { prepared, ingress, screens }: { prepared: PreparedPayments; ingress: HttpClient; screens: Screens },
): Promise<PaymentFanOut> {
  const warmup = prepared.length - settings.payments;
  const samples = { toLast: [] as number[], toFirst: [] as number[], ingress: [] as number[] };
  const errors: string[] = [];
  let accepted = 0;
  for (const [i, payment] of prepared.entries()) {
    const delivered = screens.expect('payment.received', payment.orderId, i === 0 ? FIRST_PAYMENT_TIMEOUT_MS : FAN_OUT_TIMEOUT_MS);
    const sentAt = epochMs();
    const answer = await ingress.get(payment.path).catch((error: Error) => ({ status: 0, body: { error: error.message } }));
    const answeredAt = epochMs();
    if (answer.status !== 200 || answer.body?.RspCode !== VNPAY_ACCEPTED) {
      screens.forget('payment.received', payment.orderId);
      errors.push(`IPN answered ${answer.status} ${JSON.stringify(answer.body)}`);
      continue;
    }
    accepted++;
    const got = await delivered;
    if (!got.complete) {
      errors.push(
        `payment of ${payment.orderId}: ${got.count} of ${settings.clients} screens got payment.received within ${(i === 0 ? FIRST_PAYMENT_TIMEOUT_MS : FAN_OUT_TIMEOUT_MS) / 1000} s`,
      );
      continue;
    }
    if (!got.first?.succeeded || got.first.discrepancy !== null)
      errors.push(`payment of ${payment.orderId} recorded with succeeded=${got.first?.succeeded}, discrepancy ${got.first?.discrepancy}`);
    if (i < warmup) continue;
    samples.toLast.push(got.lastAt - sentAt);
    samples.toFirst.push(got.firstAt - sentAt);
    samples.ingress.push(answeredAt - sentAt);
  }
  return {
    toLast: summarize(samples.toLast),
    toFirst: summarize(samples.toFirst),
    ingress: summarize(samples.ingress),
    requestPayment: prepared.checkout,
    accepted,
    errors: errors.length + prepared.errors,
    firstErrors: [...new Set([...prepared.firstErrors, ...errors])].slice(0, 3),
  };
}
