import { randomInt } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hmacHex as hmac, vietnamTime, vnpayQuery } from './vnpay-signing';

/**
 * Local stand-ins for MoMo, ZaloPay and VNPay: they play the provider. Each checks the
 * merchant's signed requests (MoMo and ZaloPay create calls, VNPay's signed payment URL),
 * and when a "customer pays" it sends the notification signed the way the provider's
 * documentation says, and calls again when the answer is not the one it expects — as the
 * real ones do. The signing code here and in `vnpay-signing.ts` is written out on its own
 * from the documentation, not shared with the code under test.
 */

export const MOMO = { partnerCode: 'MOMOLS2026', accessKey: 'F8BBA842ECF85', secretKey: 'K951B6PE1waDMi640xX08PD3vg6EkVlz' };
export const ZALOPAY = { appId: '2553', key1: 'PcY4iZIKFCIdgZvA6ueMcMHHUbRLYjPL', key2: 'kLtgPl8HHhfvMuDHPwKfgfsY4Ydm9eIz' };
export const VNPAY = { tmnCode: 'LSVN2026', hashSecret: 'RAOEXHYVSDDIIENYWSLDIIZTANXUXZFJ' };

export type Provider = 'momo' | 'zalopay' | 'vnpay';

/** A merchant account as the provider knows it: its code and the secret it signs with. */
export interface Merchant {
  code: string;
  /** MoMo secretKey, ZaloPay key2 (callbacks), VNPay hashSecret. */
  secret: string;
  /** MoMo accessKey; ZaloPay key1 (create calls). */
  accessKey?: string;
}

interface OpenPayment {
  provider: Provider;
  orderRef: string;
  amount: number;
  /** Where this provider posts its notification (MoMo and ZaloPay are told in the create call). */
  notifyUrl: string;
  merchant: Merchant;
}

export interface Delivery {
  provider: Provider;
  orderRef: string;
  transactionId: string;
  attempts: { status: number; body: string }[];
  /** The provider's reading of our answer. */
  acknowledged: boolean;
}

export interface PayOptions {
  /** Amount the provider reports (and signs); defaults to what was asked. */
  amount?: number;
  /** Changes the amount after signing: a forged notification. */
  tamperAmount?: number;
  /** MoMo resultCode / VNPay response code; success by default. */
  failed?: boolean;
  /** A different provider transaction id (defaults to a new one). */
  transactionId?: string;
  /** Sign with another merchant's secret (an attacker who knows another account). */
  signWith?: Merchant;
  /** How many times to deliver even after an acknowledged answer (a provider's duplicate). */
  deliveries?: number;
  /** The customer pays, but the notification never reaches the merchant (only a status query tells). */
  silent?: boolean;
  /** Give up after this many unacknowledged answers. */
  maxAttempts?: number;
  retryDelayMs?: number;
}

export class WalletProviders {
  readonly deliveries: Delivery[] = [];
  readonly refusedCreates: { provider: Provider; reason: string }[] = [];
  private readonly open = new Map<string, OpenPayment>();
  /** What the customer did, per provider and order reference: what a status query answers. */
  private readonly outcomes = new Map<string, { transactionId: string; amount: number; failed: boolean; at: Date }>();
  /** Status queries answered (by provider), and whether the query API is broken right now. */
  readonly queries: { provider: Provider; orderRef: string }[] = [];
  queryApiDown = false;
  /** The merchant accounts each provider has issued. */
  private readonly merchants: Record<Provider, Map<string, Merchant>> = {
    momo: new Map([[MOMO.partnerCode, { code: MOMO.partnerCode, secret: MOMO.secretKey, accessKey: MOMO.accessKey }]]),
    zalopay: new Map([[ZALOPAY.appId, { code: ZALOPAY.appId, secret: ZALOPAY.key2, accessKey: ZALOPAY.key1 }]]),
    vnpay: new Map([[VNPAY.tmnCode, { code: VNPAY.tmnCode, secret: VNPAY.hashSecret }]]),
  };
  private nextTransaction = 4_088_000_000 + randomInt(1_000_000);

  private constructor(
    private readonly server: Server,
    readonly url: string,
    /** Our webhook base: VNPay's IPN URL is set in its merchant portal, not sent per payment. */
    private readonly webhookBase: string,
  ) {}

  static async start(options: { webhookBase: string }): Promise<WalletProviders> {
    const handler: { providers?: WalletProviders } = {};
    const server = createServer((req, res) => void handler.providers!.route(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    handler.providers = new WalletProviders(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, options.webhookBase);
    return handler.providers;
  }

  private get vnpayIpnUrl(): string {
    return `${this.webhookBase}/api/v1/webhooks/payment/vnpay`;
  }

  /**
   * A notification for an order reference this provider never opened for us, signed by
   * the provider's first merchant: what a replay from elsewhere, or a forged but signed
   * notification, looks like.
   */
  payUnknown(provider: Provider, orderRef: string, amount: number, options: PayOptions = {}): Promise<Delivery> {
    const merchant = [...this.merchants[provider].values()][0]!;
    const notifyUrl = `${this.webhookBase}/api/v1/webhooks/payment/${provider}`;
    const path = `/unknown/${provider}/${orderRef}`;
    this.open.set(path, { provider, orderRef, amount, notifyUrl, merchant });
    return this.pay(`${this.url}${path}`, options);
  }

  /** Issues another merchant account (another business's). */
  addMerchant(provider: Provider, merchant: Merchant): void {
    this.merchants[provider].set(merchant.code, merchant);
  }

  get vnpayPayUrl(): string {
    return `${this.url}/paymentv2/vpcpay.html`;
  }

  /** The customer pays the payment behind `payUrl`: the provider notifies the merchant. */
  async pay(payUrl: string, options: PayOptions = {}): Promise<Delivery> {
    const payment = this.paymentOf(payUrl);
    const transactionId = options.transactionId ?? String(this.nextTransaction++);
    this.outcomes.set(`${payment.provider}:${payment.orderRef}`, {
      transactionId,
      amount: options.amount ?? payment.amount,
      failed: options.failed ?? false,
      at: new Date(),
    });
    const request = this.notification(payment, transactionId, options);
    const delivery: Delivery = { provider: payment.provider, orderRef: payment.orderRef, transactionId, attempts: [], acknowledged: false };
    this.deliveries.push(delivery);
    if (options.silent) return delivery;
    const wanted = options.deliveries ?? 1;
    let acknowledgedCount = 0;
    for (let attempt = 0; attempt < (options.maxAttempts ?? 30) && acknowledgedCount < wanted; attempt += 1) {
      let answer: { status: number; body: string };
      try {
        const response = await fetch(request.url, {
          method: request.method,
          headers: request.headers,
          body: request.body,
          signal: AbortSignal.timeout(20_000),
        });
        answer = { status: response.status, body: await response.text() };
      } catch (error) {
        answer = { status: 0, body: String(error) };
      }
      delivery.attempts.push(answer);
      if (this.acknowledges(payment.provider, answer)) acknowledgedCount += 1;
      else await new Promise((r) => setTimeout(r, options.retryDelayMs ?? 200));
    }
    delivery.acknowledged = acknowledgedCount >= 1;
    return delivery;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** What each provider takes as "the merchant has it" (anything else: call again). */
  private acknowledges(provider: Provider, answer: { status: number; body: string }): boolean {
    if (provider === 'momo') return answer.status === 204;
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(answer.body) as Record<string, unknown>;
    } catch {
      return false;
    }
    if (answer.status !== 200) return false;
    // ZaloPay: 1 success, 2 already processed; -1 refused (not retried either, but not acknowledged).
    if (provider === 'zalopay') return body.return_code === 1 || body.return_code === 2;
    return body.RspCode === '00' || body.RspCode === '02';
  }

  private notification(
    payment: OpenPayment,
    transactionId: string,
    options: PayOptions,
  ): { url: string; method: string; headers: Record<string, string>; body?: string } {
    const amount = options.amount ?? payment.amount;
    const merchant = options.signWith ?? payment.merchant;
    const now = Date.now();
    if (payment.provider === 'momo') {
      const ipn: Record<string, string | number> = {
        partnerCode: merchant.code,
        orderId: payment.orderRef,
        requestId: `req-${transactionId}`,
        amount,
        orderInfo: 'Thanh toan don hang',
        orderType: 'momo_wallet',
        transId: Number(transactionId),
        resultCode: options.failed ? 1006 : 0,
        message: options.failed ? 'Giao dịch bị từ chối bởi người dùng.' : 'Thành công.',
        payType: 'qr',
        responseTime: now,
        extraData: '',
      };
      const raw = `accessKey=${merchant.accessKey}&amount=${ipn.amount}&extraData=${ipn.extraData}&message=${ipn.message}&orderId=${ipn.orderId}&orderInfo=${ipn.orderInfo}&orderType=${ipn.orderType}&partnerCode=${ipn.partnerCode}&payType=${ipn.payType}&requestId=${ipn.requestId}&responseTime=${ipn.responseTime}&resultCode=${ipn.resultCode}&transId=${ipn.transId}`;
      ipn.signature = hmac('sha256', merchant.secret, raw);
      if (options.tamperAmount !== undefined) ipn.amount = options.tamperAmount;
      return { url: payment.notifyUrl, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ipn) };
    }
    if (payment.provider === 'zalopay') {
      const data = JSON.stringify({
        app_id: Number(merchant.code),
        app_trans_id: payment.orderRef,
        app_time: now - 5_000,
        app_user: 'localstore',
        amount,
        embed_data: '{}',
        item: '[]',
        zp_trans_id: Number(transactionId),
        server_time: now,
        channel: 38,
        merchant_user_id: 'u1',
        user_fee_amount: 0,
        discount_amount: 0,
      });
      const mac = hmac('sha256', merchant.secret, data);
      const sent = options.tamperAmount === undefined ? data : data.replace(`"amount":${amount}`, `"amount":${options.tamperAmount}`);
      return {
        url: payment.notifyUrl,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ data: sent, mac, type: 1 }),
      };
    }
    const params: Record<string, string> = {
      vnp_Amount: String(amount * 100),
      vnp_BankCode: 'NCB',
      vnp_BankTranNo: `VNP${transactionId}`,
      vnp_CardType: 'ATM',
      vnp_OrderInfo: 'Thanh toan don hang',
      vnp_PayDate: vietnamTime(new Date(now)),
      vnp_ResponseCode: options.failed ? '24' : '00',
      vnp_TmnCode: merchant.code,
      vnp_TransactionNo: transactionId,
      vnp_TransactionStatus: options.failed ? '02' : '00',
      vnp_TxnRef: payment.orderRef,
    };
    const hash = hmac('sha512', merchant.secret, vnpayQuery(params));
    if (options.tamperAmount !== undefined) params.vnp_Amount = String(options.tamperAmount * 100);
    return {
      url: `${payment.notifyUrl}?${vnpayQuery(params)}&vnp_SecureHashType=HmacSHA512&vnp_SecureHash=${hash}`,
      method: 'GET',
      headers: {},
    };
  }

  private paymentOf(payUrl: string): OpenPayment {
    const url = new URL(payUrl);
    if (url.pathname === '/paymentv2/vpcpay.html') {
      // VNPay checks the merchant's signature on the payment URL before showing the page.
      const params = Object.fromEntries([...url.searchParams].filter(([k]) => k !== 'vnp_SecureHash'));
      const merchant = this.merchants.vnpay.get(url.searchParams.get('vnp_TmnCode') ?? '');
      if (!merchant) throw new Error('VNPay: unknown terminal');
      if (hmac('sha512', merchant.secret, vnpayQuery(params)) !== url.searchParams.get('vnp_SecureHash'))
        throw new Error('VNPay: payment URL signature invalid');
      if (params.vnp_Version !== '2.1.0' || params.vnp_Command !== 'pay' || params.vnp_CurrCode !== 'VND')
        throw new Error('VNPay: wrong version, command or currency');
      return {
        provider: 'vnpay',
        orderRef: params.vnp_TxnRef!,
        amount: Number(params.vnp_Amount) / 100,
        notifyUrl: this.vnpayIpnUrl,
        merchant,
      };
    }
    const payment = this.open.get(url.pathname);
    if (!payment) throw new Error(`no such payment page: ${payUrl}`);
    return payment;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await new Promise<string>((resolve) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString('utf8')));
      req.on('end', () => resolve(text));
    });
    const send = (status: number, answer: object): void =>
      void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    let request: Record<string, any>;
    try {
      request = JSON.parse(body) as Record<string, any>;
    } catch {
      return send(400, { message: 'invalid json' });
    }
    if (req.method === 'POST' && req.url === '/v2/gateway/api/create') {
      const r = request;
      const merchant = this.merchants.momo.get(String(r.partnerCode));
      const raw = `accessKey=${merchant?.accessKey}&amount=${r.amount}&extraData=${r.extraData}&ipnUrl=${r.ipnUrl}&orderId=${r.orderId}&orderInfo=${r.orderInfo}&partnerCode=${r.partnerCode}&redirectUrl=${r.redirectUrl}&requestId=${r.requestId}&requestType=${r.requestType}`;
      if (!merchant || r.signature !== hmac('sha256', merchant.secret, raw)) {
        this.refusedCreates.push({ provider: 'momo', reason: 'signature' });
        return send(200, { resultCode: 11, message: 'Truy cập bị từ chối.' });
      }
      if (!Number.isInteger(r.amount) || r.amount < 1000 || r.amount > 50_000_000)
        return send(200, { resultCode: 22, message: 'Số tiền không hợp lệ.' });
      if ([...this.open.values()].some((p) => p.provider === 'momo' && p.orderRef === r.orderId))
        return send(200, { resultCode: 41, message: 'Trùng orderId.' });
      const path = `/momo/pay/${encodeURIComponent(r.orderId)}`;
      this.open.set(path, { provider: 'momo', orderRef: r.orderId, amount: r.amount, notifyUrl: r.ipnUrl, merchant });
      return send(200, {
        partnerCode: r.partnerCode,
        requestId: r.requestId,
        orderId: r.orderId,
        amount: r.amount,
        responseTime: Date.now(),
        message: 'Thành công.',
        resultCode: 0,
        payUrl: `${this.url}${path}`,
      });
    }
    if (req.method === 'POST' && req.url === '/v2/create') {
      const r = request;
      const merchant = this.merchants.zalopay.get(String(r.app_id));
      const raw = [r.app_id, r.app_trans_id, r.app_user, r.amount, r.app_time, r.embed_data, r.item].join('|');
      if (!merchant || r.mac !== hmac('sha256', merchant.accessKey!, raw)) {
        this.refusedCreates.push({ provider: 'zalopay', reason: 'mac' });
        return send(200, {
          return_code: 2,
          return_message: 'Giao dịch thất bại',
          sub_return_code: -402,
          sub_return_message: 'Mac không hợp lệ',
        });
      }
      if (!/^\d{6}_/.test(String(r.app_trans_id)) || String(r.app_trans_id).length > 40)
        return send(200, { return_code: 2, sub_return_code: -401, return_message: 'app_trans_id không hợp lệ' });
      const path = `/zalopay/order/${encodeURIComponent(r.app_trans_id)}`;
      this.open.set(path, { provider: 'zalopay', orderRef: r.app_trans_id, amount: r.amount, notifyUrl: r.callback_url, merchant });
      return send(200, {
        return_code: 1,
        return_message: 'Giao dịch thành công',
        sub_return_code: 1,
        order_url: `${this.url}${path}`,
        zp_trans_token: `ac${r.app_trans_id}`,
      });
    }
    if (req.method === 'POST' && ['/v2/gateway/api/query', '/v2/query', '/merchant_webapi/api/transaction'].includes(req.url ?? '')) {
      if (this.queryApiDown) return send(500, { message: 'internal error' });
      return send(200, this.statusAnswer(req.url!, request));
    }
    send(404, { message: 'not found' });
  }

  /** Each provider's status API, with its own request signature checked and its answer signed where it signs one. */
  private statusAnswer(path: string, r: Record<string, any>): object {
    if (path === '/v2/gateway/api/query') {
      const merchant = this.merchants.momo.get(String(r.partnerCode));
      const raw = `accessKey=${merchant?.accessKey}&orderId=${r.orderId}&partnerCode=${r.partnerCode}&requestId=${r.requestId}`;
      if (!merchant || r.signature !== hmac('sha256', merchant.secret, raw)) return { resultCode: 11, message: 'Truy cập bị từ chối.' };
      this.queries.push({ provider: 'momo', orderRef: r.orderId });
      const done = this.outcomes.get(`momo:${r.orderId}`);
      const known = [...this.open.values()].some((p) => p.provider === 'momo' && p.orderRef === r.orderId);
      if (!done)
        return {
          partnerCode: r.partnerCode,
          orderId: r.orderId,
          requestId: r.requestId,
          resultCode: known ? 1000 : 42,
          message: known ? 'Giao dịch đang chờ người dùng xác nhận.' : 'orderId không tồn tại.',
          transId: 0,
          amount: 0,
          responseTime: Date.now(),
        };
      return {
        partnerCode: r.partnerCode,
        orderId: r.orderId,
        requestId: r.requestId,
        resultCode: done.failed ? 1006 : 0,
        message: done.failed ? 'Người dùng từ chối.' : 'Thành công.',
        transId: Number(done.transactionId),
        amount: done.amount,
        payType: 'qr',
        responseTime: done.at.getTime(),
      };
    }
    if (path === '/v2/query') {
      const merchant = this.merchants.zalopay.get(String(r.app_id));
      if (!merchant || r.mac !== hmac('sha256', merchant.accessKey!, `${r.app_id}|${r.app_trans_id}|${merchant.accessKey}`))
        return { return_code: 2, return_message: 'Giao dịch thất bại', sub_return_code: -402 };
      this.queries.push({ provider: 'zalopay', orderRef: r.app_trans_id });
      const done = this.outcomes.get(`zalopay:${r.app_trans_id}`);
      if (!done) return { return_code: 3, return_message: 'Giao dịch chưa thanh toán', is_processing: false, amount: 0, zp_trans_id: 0 };
      return {
        return_code: done.failed ? 2 : 1,
        return_message: done.failed ? 'Giao dịch thất bại' : 'Giao dịch thành công',
        is_processing: false,
        amount: done.amount,
        zp_trans_id: Number(done.transactionId),
        server_time: done.at.getTime(),
      };
    }
    const merchant = this.merchants.vnpay.get(String(r.vnp_TmnCode));
    const fields = [
      'vnp_RequestId',
      'vnp_Version',
      'vnp_Command',
      'vnp_TmnCode',
      'vnp_TxnRef',
      'vnp_TransactionDate',
      'vnp_CreateDate',
      'vnp_IpAddr',
      'vnp_OrderInfo',
    ];
    if (
      !merchant ||
      r.vnp_Command !== 'querydr' ||
      r.vnp_SecureHash !== hmac('sha512', merchant.secret, fields.map((f) => r[f] ?? '').join('|'))
    )
      return { vnp_ResponseCode: '97', vnp_Message: 'Invalid Checksum' };
    if (!/^\d{14}$/.test(String(r.vnp_TransactionDate))) return { vnp_ResponseCode: '03', vnp_Message: 'Invalid data format' };
    this.queries.push({ provider: 'vnpay', orderRef: r.vnp_TxnRef });
    const done = this.outcomes.get(`vnpay:${r.vnp_TxnRef}`);
    const answer: Record<string, string> = done
      ? {
          vnp_ResponseId: `R${Date.now()}`,
          vnp_Command: 'querydr',
          vnp_ResponseCode: '00',
          vnp_Message: 'Query Success',
          vnp_TmnCode: merchant.code,
          vnp_TxnRef: r.vnp_TxnRef,
          vnp_Amount: String(done.amount * 100),
          vnp_BankCode: 'NCB',
          vnp_PayDate: vietnamTime(done.at),
          vnp_TransactionNo: done.transactionId,
          vnp_TransactionType: '01',
          vnp_TransactionStatus: done.failed ? '02' : '00',
          vnp_OrderInfo: 'Thanh toan don hang',
          vnp_PromotionCode: '',
          vnp_PromotionAmount: '',
        }
      : {
          vnp_ResponseId: `R${Date.now()}`,
          vnp_Command: 'querydr',
          vnp_ResponseCode: '91',
          vnp_Message: 'Transaction not found',
          vnp_TmnCode: merchant.code,
          vnp_TxnRef: r.vnp_TxnRef,
        };
    const responseFields = [
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
    ];
    return { ...answer, vnp_SecureHash: hmac('sha512', merchant.secret, responseFields.map((f) => answer[f] ?? '').join('|')) };
  }
}
