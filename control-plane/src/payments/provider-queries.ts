import { randomUUID } from 'node:crypto';
import {
  momoQuerySignature,
  signaturesEqual,
  VNPAY_QUERY_FIELDS,
  VNPAY_QUERY_RESPONSE_FIELDS,
  vnpayPipeHash,
  zaloPayQueryMac,
} from '@localstore/common';
import type { PaymentAccount } from './payment-accounts.repository';
import type { PaymentIntent } from './payment-intents.repository';
import { vietnamTimestamp } from './provider-checkout';
import type { ProviderNotice } from './providers/provider-adapter';

/** What a provider's status API says of one payment we are still waiting for. */
export type ProviderStatus = { state: 'pending' } | { state: 'settled'; notice: ProviderNotice };

export interface QueryEndpoints {
  momoApiUrl: string;
  zaloPayApiUrl: string;
  vnpayApiUrl: string;
}

export class ProviderQueryError extends Error {}

const TIMEOUT_MS = 10_000;
/** MoMo: waiting for the customer, or still processing. */
const MOMO_PENDING = new Set([1000, 7000, 7002, 8000]);
const MOMO_SUCCESS = new Set([0, 9000]);

/** MoMo `/v2/gateway/api/query`. */
export async function queryMomo(
  account: PaymentAccount<'momo'>,
  intent: PaymentIntent,
  endpoints: QueryEndpoints,
): Promise<ProviderStatus> {
  const request = { partnerCode: account.merchantCode, requestId: randomUUID(), orderId: intent.orderRef, lang: 'vi' };
  const answer = await postJson(`${endpoints.momoApiUrl}/v2/gateway/api/query`, {
    ...request,
    signature: momoQuerySignature(request, account.secrets.accessKey, account.secrets.secretKey),
  });
  if (answer.orderId !== intent.orderRef || answer.partnerCode !== account.merchantCode)
    throw new ProviderQueryError('MoMo answered about another order');
  const resultCode = Number(answer.resultCode);
  const transId = String(answer.transId ?? '');
  if (MOMO_PENDING.has(resultCode) || !/^[1-9]\d*$/.test(transId)) return { state: 'pending' };
  return {
    state: 'settled',
    notice: {
      provider: 'momo',
      merchantCode: account.merchantCode,
      orderRef: intent.orderRef,
      transactionId: transId,
      amount: Number(answer.amount),
      succeeded: MOMO_SUCCESS.has(resultCode),
      resultCode: String(resultCode),
      message: String(answer.message ?? ''),
      paidAt: new Date(Number(answer.responseTime) || Date.now()),
    },
  };
}

/** ZaloPay `/v2/query`: return_code 1 paid, 2 failed, 3 not paid yet (or processing). */
export async function queryZaloPay(
  account: PaymentAccount<'zalopay'>,
  intent: PaymentIntent,
  endpoints: QueryEndpoints,
): Promise<ProviderStatus> {
  const answer = await postJson(`${endpoints.zaloPayApiUrl}/v2/query`, {
    app_id: Number(account.merchantCode),
    app_trans_id: intent.orderRef,
    mac: zaloPayQueryMac(account.merchantCode, intent.orderRef, account.secrets.key1),
  });
  const zpTransId = String(answer.zp_trans_id ?? '');
  if (answer.return_code === 3 || answer.is_processing === true || !/^[1-9]\d*$/.test(zpTransId)) return { state: 'pending' };
  if (answer.return_code !== 1 && answer.return_code !== 2)
    throw new ProviderQueryError(`ZaloPay query refused: ${String(answer.return_code)} ${String(answer.return_message)}`);
  return {
    state: 'settled',
    notice: {
      provider: 'zalopay',
      merchantCode: account.merchantCode,
      orderRef: intent.orderRef,
      transactionId: zpTransId,
      amount: Number(answer.amount),
      succeeded: answer.return_code === 1,
      resultCode: String(answer.return_code),
      message: String(answer.return_message ?? ''),
      paidAt: new Date(Number(answer.server_time) || Date.now()),
    },
  };
}

/** VNPay `querydr`; its answer is signed too, and checked. */
export async function queryVnpay(
  account: PaymentAccount<'vnpay'>,
  intent: PaymentIntent,
  endpoints: QueryEndpoints,
): Promise<ProviderStatus> {
  // The payment's own vnp_CreateDate, as the pay URL carried it.
  const createdAt = intent.payUrl ? new URL(intent.payUrl).searchParams.get('vnp_CreateDate') : null;
  const request: Record<string, string> = {
    vnp_RequestId: randomUUID().replace(/-/g, ''),
    vnp_Version: '2.1.0',
    vnp_Command: 'querydr',
    vnp_TmnCode: account.merchantCode,
    vnp_TxnRef: intent.orderRef,
    vnp_OrderInfo: `Truy van giao dich ${intent.orderRef}`,
    vnp_TransactionDate: createdAt ?? vietnamTimestamp(new Date()),
    vnp_CreateDate: vietnamTimestamp(new Date()),
    vnp_IpAddr: '127.0.0.1',
  };
  const answer = await postJson(endpoints.vnpayApiUrl, {
    ...request,
    vnp_SecureHash: vnpayPipeHash(VNPAY_QUERY_FIELDS, request, account.secrets.hashSecret),
  });
  if (!signaturesEqual(vnpayPipeHash(VNPAY_QUERY_RESPONSE_FIELDS, answer, account.secrets.hashSecret), answer.vnp_SecureHash))
    throw new ProviderQueryError('VNPay querydr answer has a wrong signature');
  if (answer.vnp_ResponseCode !== '00') {
    // 91: VNPay has no such transaction (the customer never paid).
    if (answer.vnp_ResponseCode === '91') return { state: 'pending' };
    throw new ProviderQueryError(`VNPay querydr refused: ${String(answer.vnp_ResponseCode)}`);
  }
  const transactionNo = String(answer.vnp_TransactionNo ?? '');
  if (answer.vnp_TransactionStatus === '01' || !/^[1-9]\d*$/.test(transactionNo)) return { state: 'pending' };
  const payDate = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(String(answer.vnp_PayDate ?? ''));
  return {
    state: 'settled',
    notice: {
      provider: 'vnpay',
      merchantCode: account.merchantCode,
      orderRef: intent.orderRef,
      transactionId: transactionNo,
      amount: Number(answer.vnp_Amount) / 100,
      succeeded: answer.vnp_TransactionStatus === '00',
      resultCode: `${String(answer.vnp_ResponseCode)}/${String(answer.vnp_TransactionStatus)}`,
      message: String(answer.vnp_Message ?? ''),
      paidAt: payDate ? new Date(`${payDate[1]}-${payDate[2]}-${payDate[3]}T${payDate[4]}:${payDate[5]}:${payDate[6]}+07:00`) : new Date(),
    },
  };
}

async function postJson(url: string, body: object): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (!response.ok) throw new ProviderQueryError(`${new URL(url).host} answered HTTP ${response.status}`);
  return (await response.json()) as Record<string, unknown>;
}
