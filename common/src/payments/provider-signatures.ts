import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The signatures the three Vietnamese wallets put on what they send us, each exactly as
 * the provider documents it. Verifying and signing share these functions; the tests'
 * provider stand-ins sign with their own code, so a mistake here cannot cancel itself out.
 */

/** MoMo IPN v2 fields that the signature covers, in the documented order (a–z). */
export const MOMO_IPN_SIGNED_FIELDS = [
  'accessKey',
  'amount',
  'extraData',
  'message',
  'orderId',
  'orderInfo',
  'orderType',
  'partnerCode',
  'payType',
  'requestId',
  'responseTime',
  'resultCode',
  'transId',
] as const;

/**
 * MoMo IPN v2: HMAC-SHA256 with the partner's secret key over
 * `accessKey=…&amount=…&…&transId=…` (the raw values, not URL-encoded), hex.
 * `accessKey` is not in the IPN body: it is the partner's own, from its credentials.
 */
export function momoIpnSignature(ipn: Record<string, unknown>, accessKey: string, secretKey: string): string {
  const values: Record<string, unknown> = { ...ipn, accessKey };
  const raw = MOMO_IPN_SIGNED_FIELDS.map((field) => `${field}=${values[field] ?? ''}`).join('&');
  return hmacHex('sha256', secretKey, raw);
}

/** MoMo create-payment request fields the signature covers, in the documented order (a–z). */
export const MOMO_CREATE_SIGNED_FIELDS = [
  'accessKey',
  'amount',
  'extraData',
  'ipnUrl',
  'orderId',
  'orderInfo',
  'partnerCode',
  'redirectUrl',
  'requestId',
  'requestType',
] as const;

/** MoMo `/v2/gateway/api/create`: HMAC-SHA256 with the secret key over the documented fields. */
export function momoCreateSignature(request: Record<string, unknown>, accessKey: string, secretKey: string): string {
  const values: Record<string, unknown> = { ...request, accessKey };
  return hmacHex('sha256', secretKey, MOMO_CREATE_SIGNED_FIELDS.map((field) => `${field}=${values[field] ?? ''}`).join('&'));
}

/** MoMo `/v2/gateway/api/query`: `accessKey=…&orderId=…&partnerCode=…&requestId=…`. */
export function momoQuerySignature(
  request: { orderId: string; partnerCode: string; requestId: string },
  accessKey: string,
  secretKey: string,
): string {
  return hmacHex(
    'sha256',
    secretKey,
    `accessKey=${accessKey}&orderId=${request.orderId}&partnerCode=${request.partnerCode}&requestId=${request.requestId}`,
  );
}

/** ZaloPay `/v2/create`: `mac = HMAC-SHA256(key1, app_id|app_trans_id|app_user|amount|app_time|embed_data|item)`. */
export function zaloPayCreateMac(
  order: {
    app_id: string | number;
    app_trans_id: string;
    app_user: string;
    amount: number;
    app_time: number;
    embed_data: string;
    item: string;
  },
  key1: string,
): string {
  const raw = [order.app_id, order.app_trans_id, order.app_user, order.amount, order.app_time, order.embed_data, order.item].join('|');
  return hmacHex('sha256', key1, raw);
}

/** ZaloPay `/v2/query`: `mac = HMAC-SHA256(key1, app_id|app_trans_id|key1)`. */
export function zaloPayQueryMac(appId: string, appTransId: string, key1: string): string {
  return hmacHex('sha256', key1, `${appId}|${appTransId}|${key1}`);
}

/** VNPay `querydr` request fields, in the order its hash joins them with `|`. */
export const VNPAY_QUERY_FIELDS = [
  'vnp_RequestId',
  'vnp_Version',
  'vnp_Command',
  'vnp_TmnCode',
  'vnp_TxnRef',
  'vnp_TransactionDate',
  'vnp_CreateDate',
  'vnp_IpAddr',
  'vnp_OrderInfo',
] as const;
/** VNPay `querydr` response fields, in the order its hash joins them with `|`. */
export const VNPAY_QUERY_RESPONSE_FIELDS = [
  'vnp_ResponseId',
  'vnp_Command',
  'vnp_ResponseCode',
  'vnp_Message',
  'vnp_TmnCode',
  'vnp_TxnRef',
  'vnp_Amount',
  'vnp_BankCode',
  'vnp_PayDate',
  'vnp_TransactionNo',
  'vnp_TransactionType',
  'vnp_TransactionStatus',
  'vnp_OrderInfo',
  'vnp_PromotionCode',
  'vnp_PromotionAmount',
] as const;

/** VNPay's merchant API (`querydr`, `refund`): HMAC-SHA512 over the fields' raw values joined with `|`. */
export function vnpayPipeHash(fields: readonly string[], values: Record<string, unknown>, hashSecret: string): string {
  return hmacHex('sha512', hashSecret, fields.map((field) => String(values[field] ?? '')).join('|'));
}

/** ZaloPay callback: `mac = HMAC-SHA256(key2, data)`, hex, over the `data` string as received. */
export function zaloPayCallbackMac(data: string, key2: string): string {
  return hmacHex('sha256', key2, data);
}

/**
 * VNPay 2.1.0: HMAC-SHA512 with the hash secret over the `vnp_*` parameters other than
 * `vnp_SecureHash` and `vnp_SecureHashType`, sorted by name, each `name=value` with the
 * value URL-encoded as PHP's `urlencode` does (space as `+`), joined by `&`, hex.
 */
export function vnpaySecureHash(params: Record<string, string>, hashSecret: string): string {
  return hmacHex('sha512', hashSecret, vnpayHashData(params));
}

export function vnpayHashData(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((name) => name.startsWith('vnp_') && name !== 'vnp_SecureHash' && name !== 'vnp_SecureHashType')
    .sort()
    .map((name) => `${phpUrlEncode(name)}=${phpUrlEncode(params[name]!)}`)
    .join('&');
}

/** PHP's `urlencode`: everything but `A-Za-z0-9-_.` percent-encoded, space as `+`. */
export function phpUrlEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** Compares hex signatures in constant time; a different length or a non-hex string is simply unequal. */
export function signaturesEqual(expectedHex: string, givenHex: unknown): boolean {
  if (typeof givenHex !== 'string' || givenHex.length !== expectedHex.length || !/^[0-9a-fA-F]*$/.test(givenHex)) return false;
  return timingSafeEqual(Buffer.from(expectedHex.toLowerCase(), 'hex'), Buffer.from(givenHex.toLowerCase(), 'hex'));
}

function hmacHex(algorithm: 'sha256' | 'sha512', key: string, data: string): string {
  return createHmac(algorithm, key).update(data, 'utf8').digest('hex');
}
