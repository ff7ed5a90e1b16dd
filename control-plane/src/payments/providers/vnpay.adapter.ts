import { signaturesEqual, vnpaySecureHash } from '@localstore/common';
import { type ProviderAdapter, shortText } from './provider-adapter';

const REPLIES = {
  accepted: { RspCode: '00', Message: 'Confirm Success' },
  duplicate: { RspCode: '02', Message: 'Order already confirmed' },
  order_not_found: { RspCode: '01', Message: 'Order not found' },
  invalid_amount: { RspCode: '04', Message: 'Invalid amount' },
  invalid_signature: { RspCode: '97', Message: 'Invalid signature' },
  malformed: { RspCode: '97', Message: 'Invalid signature' },
  // VNPay calls again on 99 (and on no answer).
  retry_later: { RspCode: '99', Message: 'Unknown error' },
} as const;

/** `vnp_PayDate` is `yyyyMMddHHmmss` in Vietnam's time (UTC+7, no daylight saving). */
function payDateOf(value: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(value);
  if (!m) return null;
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}+07:00`);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * VNPay's IPN: a GET with the `vnp_*` parameters in the query (some gateways POST them as
 * a form), HMAC-SHA512 over the sorted, URL-encoded parameters, `vnp_Amount` in đồng ×100.
 * Paid only when both `vnp_ResponseCode` and `vnp_TransactionStatus` are `00`. VNPay reads
 * `{RspCode, Message}` from an HTTP 200 answer.
 */
export const vnpayAdapter: ProviderAdapter<'vnpay'> = {
  provider: 'vnpay',
  methods: ['GET', 'POST'],
  parse({ method, query, contentType, body }) {
    const source = method === 'POST' && contentType.startsWith('application/x-www-form-urlencoded') ? new URLSearchParams(body) : query;
    const params: Record<string, string> = {};
    for (const [name, value] of source) {
      if (!name.startsWith('vnp_')) continue;
      // The same parameter twice is not something VNPay sends; refuse rather than guess which counts.
      if (name in params) return { ok: false, field: name };
      params[name] = value;
    }
    const hash = params.vnp_SecureHash;
    if (!hash) return { ok: false, field: 'vnp_SecureHash' };
    const tmnCode = shortText(params.vnp_TmnCode, 16, /^[A-Za-z0-9]+$/);
    if (!tmnCode) return { ok: false, field: 'vnp_TmnCode' };
    const txnRef = shortText(params.vnp_TxnRef, 64, /^[A-Za-z0-9_-]+$/);
    if (!txnRef) return { ok: false, field: 'vnp_TxnRef' };
    const amountX100 = /^\d{1,18}$/.test(params.vnp_Amount ?? '') ? Number(params.vnp_Amount) : NaN;
    if (!Number.isSafeInteger(amountX100) || amountX100 % 100 !== 0) return { ok: false, field: 'vnp_Amount' };
    const transactionNo = shortText(params.vnp_TransactionNo, 30, /^\d+$/);
    if (!transactionNo) return { ok: false, field: 'vnp_TransactionNo' };
    const responseCode = shortText(params.vnp_ResponseCode, 2, /^\d{2}$/);
    if (!responseCode) return { ok: false, field: 'vnp_ResponseCode' };
    const transactionStatus = shortText(params.vnp_TransactionStatus, 2, /^\d{2}$/);
    if (!transactionStatus) return { ok: false, field: 'vnp_TransactionStatus' };
    const paidAt = payDateOf(params.vnp_PayDate ?? '');
    if (!paidAt) return { ok: false, field: 'vnp_PayDate' };
    return {
      ok: true,
      notice: {
        provider: 'vnpay',
        merchantCode: tmnCode,
        orderRef: txnRef,
        transactionId: transactionNo,
        amount: amountX100 / 100,
        succeeded: responseCode === '00' && transactionStatus === '00',
        resultCode: `${responseCode}/${transactionStatus}`,
        message: params.vnp_OrderInfo ?? '',
        paidAt,
      },
      verify: (secrets) => signaturesEqual(vnpaySecureHash(params, secrets.hashSecret), hash),
    };
  },
  reply(outcome) {
    return { status: 200, body: REPLIES[outcome] };
  },
};
