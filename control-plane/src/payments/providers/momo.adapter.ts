import { momoIpnSignature, signaturesEqual } from '@localstore/common';
import { digitsId, jsonObject, type ProviderAdapter, shortText, wholeAmount } from './provider-adapter';

/** MoMo result codes that mean the money was taken: 0 (success) and 9000 (authorised, to be captured). */
const MOMO_SUCCESS = new Set([0, 9000]);

/**
 * MoMo's IPN (payment gateway v2): a JSON POST signed with HMAC-SHA256 over the documented
 * fields; MoMo expects HTTP 204 once we have it and retries anything else.
 */
export const momoAdapter: ProviderAdapter<'momo'> = {
  provider: 'momo',
  methods: ['POST'],
  parse({ body }) {
    const ipn = jsonObject(body);
    if (!ipn) return { ok: false, field: 'body' };
    const partnerCode = shortText(ipn.partnerCode, 50, /^[A-Za-z0-9_]+$/);
    if (!partnerCode) return { ok: false, field: 'partnerCode' };
    const orderId = shortText(ipn.orderId, 64, /^[0-9a-zA-Z]([-_.]*[0-9a-zA-Z]+)*$/);
    if (!orderId) return { ok: false, field: 'orderId' };
    const amount = wholeAmount(ipn.amount);
    if (amount === null) return { ok: false, field: 'amount' };
    const transId = digitsId(ipn.transId);
    if (!transId) return { ok: false, field: 'transId' };
    if (typeof ipn.resultCode !== 'number' || !Number.isInteger(ipn.resultCode)) return { ok: false, field: 'resultCode' };
    const responseTime = wholeAmount(ipn.responseTime, 8_640_000_000_000_000);
    if (responseTime === null) return { ok: false, field: 'responseTime' };
    for (const field of ['requestId', 'orderInfo', 'orderType', 'message', 'payType', 'extraData'] as const) {
      if (ipn[field] !== undefined && shortText(ipn[field], 4096) === null) return { ok: false, field };
    }
    if (typeof ipn.signature !== 'string') return { ok: false, field: 'signature' };
    const resultCode = ipn.resultCode;
    return {
      ok: true,
      notice: {
        provider: 'momo',
        merchantCode: partnerCode,
        orderRef: orderId,
        transactionId: transId,
        amount,
        succeeded: MOMO_SUCCESS.has(resultCode),
        resultCode: String(resultCode),
        message: String(ipn.message ?? ''),
        paidAt: new Date(responseTime),
      },
      verify: (secrets) => signaturesEqual(momoIpnSignature(ipn, secrets.accessKey, secrets.secretKey), ipn.signature),
    };
  },
  reply(outcome) {
    // A signed amount that differs from the order is recorded as a discrepancy in the
    // cell; MoMo documents no reply for it, so it is acknowledged like any IPN we hold.
    switch (outcome) {
      case 'accepted':
      case 'duplicate':
      case 'invalid_amount':
        return { status: 204 };
      case 'retry_later':
        return { status: 503, body: { message: 'retry later' } };
      default:
        return { status: 400, body: { message: outcome } };
    }
  },
};
