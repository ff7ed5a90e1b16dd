import { randomUUID } from 'node:crypto';
import { momoCreateSignature, phpUrlEncode, vnpayHashData, vnpaySecureHash, zaloPayCreateMac } from '@localstore/common';
import type { PaymentAccount } from './payment-accounts.repository';

/** Where each provider's API lives (their sandboxes by default; tests point at stand-ins). */
export interface ProviderEndpoints {
  momoApiUrl: string;
  zaloPayApiUrl: string;
  vnpayPayUrl: string;
  /** Our webhook base the providers call (`<base>/api/v1/webhooks/payment/<provider>`). */
  webhookBaseUrl: string;
  /** Where the customer's browser lands after paying. */
  returnUrl: string;
}

export interface CheckoutOrder {
  orderRef: string;
  amount: number;
  description: string;
  expiresAt: Date;
}

export class ProviderCheckoutError extends Error {}

const TIMEOUT_MS = 10_000;

/** Asks MoMo for a payment page (`captureWallet`); its `payUrl` carries the QR code. */
export async function momoPayUrl(account: PaymentAccount<'momo'>, order: CheckoutOrder, endpoints: ProviderEndpoints): Promise<string> {
  const request = {
    partnerCode: account.merchantCode,
    requestId: randomUUID(),
    amount: order.amount,
    orderId: order.orderRef,
    orderInfo: order.description,
    redirectUrl: endpoints.returnUrl,
    ipnUrl: `${endpoints.webhookBaseUrl}/api/v1/webhooks/payment/momo`,
    requestType: 'captureWallet',
    extraData: '',
    lang: 'vi',
  };
  const body = { ...request, signature: momoCreateSignature(request, account.secrets.accessKey, account.secrets.secretKey) };
  const answer = await postJson(`${endpoints.momoApiUrl}/v2/gateway/api/create`, body);
  if (answer.resultCode !== 0 || typeof answer.payUrl !== 'string')
    throw new ProviderCheckoutError(`MoMo refused the payment: ${String(answer.resultCode)} ${String(answer.message)}`);
  return answer.payUrl;
}

/** Asks ZaloPay for an order (`/v2/create`); its `order_url` is the payment page. */
export async function zaloPayOrderUrl(
  account: PaymentAccount<'zalopay'>,
  order: CheckoutOrder,
  endpoints: ProviderEndpoints,
): Promise<string> {
  const request = {
    app_id: Number(account.merchantCode),
    app_trans_id: order.orderRef,
    app_user: 'localstore',
    app_time: Date.now(),
    amount: order.amount,
    item: '[]',
    embed_data: JSON.stringify({ redirecturl: endpoints.returnUrl }),
    description: order.description,
    bank_code: '',
    callback_url: `${endpoints.webhookBaseUrl}/api/v1/webhooks/payment/zalopay`,
  };
  const answer = await postJson(`${endpoints.zaloPayApiUrl}/v2/create`, {
    ...request,
    mac: zaloPayCreateMac(request, account.secrets.key1),
  });
  if (answer.return_code !== 1 || typeof answer.order_url !== 'string')
    throw new ProviderCheckoutError(`ZaloPay refused the order: ${String(answer.return_code)} ${String(answer.return_message)}`);
  return answer.order_url;
}

/** VNPay's payment URL is built and signed by the merchant; VNPay has no create call. */
export function vnpayPayUrl(
  account: PaymentAccount<'vnpay'>,
  order: CheckoutOrder,
  endpoints: ProviderEndpoints,
  now = new Date(),
): string {
  const params: Record<string, string> = {
    vnp_Version: '2.1.0',
    vnp_Command: 'pay',
    vnp_TmnCode: account.merchantCode,
    vnp_Amount: String(order.amount * 100),
    vnp_CurrCode: 'VND',
    vnp_TxnRef: order.orderRef,
    vnp_OrderInfo: order.description,
    vnp_OrderType: 'other',
    vnp_Locale: 'vn',
    vnp_ReturnUrl: endpoints.returnUrl,
    vnp_IpAddr: '127.0.0.1',
    vnp_CreateDate: vietnamTimestamp(now),
    vnp_ExpireDate: vietnamTimestamp(order.expiresAt),
  };
  return `${endpoints.vnpayPayUrl}?${vnpayHashData(params)}&vnp_SecureHash=${phpUrlEncode(vnpaySecureHash(params, account.secrets.hashSecret))}`;
}

/** `yyyyMMddHHmmss` in Vietnam's time, as VNPay writes dates. */
export function vietnamTimestamp(at: Date): string {
  return new Date(at.getTime() + 7 * 3_600_000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

async function postJson(url: string, body: object): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (!response.ok) throw new ProviderCheckoutError(`${new URL(url).host} answered HTTP ${response.status}`);
  return (await response.json()) as Record<string, unknown>;
}
