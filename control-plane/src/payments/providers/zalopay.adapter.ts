import { signaturesEqual, zaloPayCallbackMac } from '@localstore/common';
import { digitsId, jsonObject, type ProviderAdapter, shortText, wholeAmount } from './provider-adapter';

const REPLIES = {
  accepted: { return_code: 1, return_message: 'success' },
  duplicate: { return_code: 2, return_message: 'duplicate' },
  // 0 makes ZaloPay call back again (up to 3 times); -1 tells it the callback is refused.
  retry_later: { return_code: 0, return_message: 'retry' },
  invalid_signature: { return_code: -1, return_message: 'mac not equal' },
  order_not_found: { return_code: -1, return_message: 'order not found' },
  malformed: { return_code: -1, return_message: 'invalid callback' },
  // Recorded in the cell as a discrepancy; ZaloPay has no reply for it.
  invalid_amount: { return_code: 1, return_message: 'success' },
} as const;

/**
 * ZaloPay's callback: `{data, mac, type}` where `data` is a JSON string and `mac` is
 * HMAC-SHA256(key2, data). ZaloPay calls back only for a successful payment; it reads
 * `return_code` from an HTTP 200 answer.
 */
export const zaloPayAdapter: ProviderAdapter<'zalopay'> = {
  provider: 'zalopay',
  methods: ['POST'],
  parse({ body }) {
    const callback = jsonObject(body);
    if (!callback) return { ok: false, field: 'body' };
    if (typeof callback.data !== 'string' || callback.data.length > 8192) return { ok: false, field: 'data' };
    if (typeof callback.mac !== 'string') return { ok: false, field: 'mac' };
    const data = jsonObject(callback.data);
    if (!data) return { ok: false, field: 'data' };
    const appId = digitsId(data.app_id);
    if (!appId) return { ok: false, field: 'data.app_id' };
    const appTransId = shortText(data.app_trans_id, 40, /^\d{6}_[0-9A-Za-z_-]{1,33}$/);
    if (!appTransId) return { ok: false, field: 'data.app_trans_id' };
    const amount = wholeAmount(data.amount);
    if (amount === null) return { ok: false, field: 'data.amount' };
    const zpTransId = digitsId(data.zp_trans_id);
    if (!zpTransId) return { ok: false, field: 'data.zp_trans_id' };
    const serverTime = wholeAmount(data.server_time, 8_640_000_000_000_000);
    if (serverTime === null) return { ok: false, field: 'data.server_time' };
    const mac = callback.mac;
    const raw = callback.data;
    return {
      ok: true,
      notice: {
        provider: 'zalopay',
        merchantCode: appId,
        orderRef: appTransId,
        transactionId: zpTransId,
        amount,
        succeeded: true,
        resultCode: '1',
        message: 'callback',
        paidAt: new Date(serverTime),
      },
      verify: (secrets) => signaturesEqual(zaloPayCallbackMac(raw, secrets.key2), mac),
    };
  },
  reply(outcome) {
    return { status: 200, body: REPLIES[outcome] };
  },
};
