import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { io, type Socket } from 'socket.io-client';
import { RECORD_SALE } from '@localstore/cell-api/testing';
import type { TestCell } from '@localstore/cell-api/testing';
import { subscribe, wsClient } from '@localstore/cell-api/testing';
import { CONNECT_PROVIDER as CONNECT, LIST_ACCOUNTS, PaymentsStack, type PaymentsTenant, REQUEST_PAYMENT } from '../harness/payments-stack';
import { eventually } from '@localstore/common/testing';
import { httpRequest, type TestControlPlane } from '@localstore/control-plane/testing';
import { MOMO, type Provider, VNPAY, type WalletProviders, ZALOPAY } from '../harness/wallet-providers';

/**
 * MoMo, ZaloPay and VNPay notifications through the real ingress (control plane), the
 * real NATS JetStream and the real cell's consumer, against provider stand-ins that sign
 * as documented and call again on a wrong answer.
 */
describe('payment webhooks: provider → ingress → JetStream → cell', () => {
  let stack: PaymentsStack;
  let cp: TestControlPlane;
  let cell: TestCell;
  let providers: WalletProviders;
  const logLines: Record<string, unknown>[] = [];
  const B_MOMO = { code: 'MOMOB2026', secret: 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', accessKey: 'BBACCESSKEY01' };
  let a: PaymentsTenant;
  let b: PaymentsTenant;
  let socket: Socket;
  const received: any[] = [];
  const anomalies: any[] = [];

  const paymentsOf = (tenantId: string) => stack.paymentsOf(tenantId);
  const orderOf = (tenantId: string, id: string) => stack.orderOf(tenantId, id);
  const refusals = () => logLines.filter((l) => l.event === 'payment_webhook_refused');
  const walletSale = (tenant: PaymentsTenant, method: Provider, quantity = 1) => stack.walletSale(tenant, method, quantity);
  const checkout = (tenant: PaymentsTenant, orderId: string, provider: Provider) => stack.checkout(tenant, orderId, provider);

  beforeAll(async () => {
    const logger = pino({ level: 'warn' }, { write: (line: string) => void logLines.push(JSON.parse(line) as Record<string, unknown>) });
    stack = await PaymentsStack.start({}, { logger });
    ({ cp, cell, providers } = stack);
    providers.addMerchant('momo', B_MOMO);
    a = await stack.newTenant('quan-pay-a');
    b = await stack.newTenant('quan-pay-b', 25_000);
    await stack.connectAll(a);
    const bConnected = await stack.connect(b.session, {
      tenantId: b.id,
      provider: 'momo',
      merchantCode: B_MOMO.code,
      accessKey: B_MOMO.accessKey,
      secretKey: B_MOMO.secret,
    });
    expect(bConnected.json.data?.connectPaymentProvider, bConnected.text).toBeTruthy();

    socket = io(cell.url, {
      path: '/socket.io',
      transports: ['websocket'],
      auth: { token: a.cellToken },
      extraHeaders: { 'x-tenant': a.slug },
      reconnection: false,
    });
    socket.on('payment.received', (event) => received.push(event));
    socket.on('anomaly.detected', (event) => anomalies.push(event));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
  });

  afterAll(async () => {
    socket?.close();
    await stack?.stop();
  });

  it('records a MoMo payment once, settles its order and tells the location’s screens; the second delivery is acknowledged and changes nothing', async () => {
    const order = await walletSale(a, 'momo', 2);
    const { payUrl, orderRef } = await checkout(a, order.id, 'momo');
    expect(orderRef).toBe(`${order.id}-1`);
    // A GraphQL subscriber of the location's payments, beside the socket.
    const ws = wsClient(cell.url, { token: a.cellToken, tenant: a.slug });
    const onPayments = subscribe<any>(
      ws,
      'subscription($id: ID!) { payments(locationId: $id) { orderId amount provider succeeded discrepancy } }',
      { id: a.location },
    );
    await eventually(async () => cell.liveSubscribers('payment.received', a.id, a.location) === 1, 'the payments subscription');
    const delivery = await providers.pay(payUrl, { deliveries: 2 });
    expect(delivery.attempts.map((x) => x.status)).toEqual([204, 204]);
    const [payment] = await eventually(
      async () => ((await paymentsOf(a.id)).filter((p) => p.tx === delivery.transactionId).length ? paymentsOf(a.id) : null),
      'the payment in the cell',
    );
    expect(payment).toMatchObject({ provider: 'momo', amount: 58_000, status: 'succeeded', discrepancy: null, orderId: order.id });
    expect((await orderOf(a.id, order.id)).paidAt).not.toBeNull();
    // The day's MoMo takings now count it as collected.
    const [momoDay] = await cell.ownerQuery(
      a.id,
      `SELECT amount, paid_amount AS "paidAmount" FROM payment_method_daily WHERE location_id = $1 AND payment_method = 'momo'`,
      [a.location],
    );
    expect(momoDay.paidAmount).toBeGreaterThanOrEqual(58_000);
    expect(momoDay.paidAmount).toBeLessThanOrEqual(momoDay.amount);
    const event = await eventually(async () => received.find((e) => e.orderId === order.id), 'payment.received on the socket');
    expect(event).toMatchObject({ provider: 'momo', amount: 58_000, succeeded: true, locationId: a.location, discrepancy: null });
    await eventually(async () => onPayments.events.find((e) => e.orderId === order.id), 'the payment on the GraphQL subscription');
    expect(onPayments.events.find((e) => e.orderId === order.id)).toEqual({
      orderId: order.id,
      amount: 58_000,
      provider: 'momo',
      succeeded: true,
      discrepancy: null,
    });
    await ws.dispose();
    // Once a later payment is recorded, the second delivery has been handled (or dropped) too.
    await stack.markerPayment(a);
    expect((await paymentsOf(a.id)).filter((p) => p.tx === delivery.transactionId)).toHaveLength(1);
  });

  it('answers ZaloPay’s callback with return_code 1, and 2 for the same callback again', async () => {
    const order = await walletSale(a, 'zalopay');
    const { payUrl, orderRef } = await checkout(a, order.id, 'zalopay');
    expect(orderRef).toMatch(/^\d{6}_[0-9a-f]{32}1$/);
    const delivery = await providers.pay(payUrl, { deliveries: 2 });
    expect(delivery.attempts.map((x) => JSON.parse(x.body).return_code)).toEqual([1, 2]);
    await eventually(async () => (await orderOf(a.id, order.id)).paidAt, 'the ZaloPay order paid');
    expect((await paymentsOf(a.id)).filter((p) => p.tx === delivery.transactionId)).toMatchObject([
      { provider: 'zalopay', amount: 29_000, status: 'succeeded' },
    ]);
  });

  it('answers VNPay’s IPN with 00 Confirm Success, then 02 for the replay, amount divided by 100', async () => {
    const order = await walletSale(a, 'vnpay', 3);
    const { payUrl } = await checkout(a, order.id, 'vnpay');
    expect(new URL(payUrl).searchParams.get('vnp_Amount')).toBe(String(87_000 * 100));
    const delivery = await providers.pay(payUrl, { deliveries: 2 });
    expect(delivery.attempts.map((x) => JSON.parse(x.body))).toEqual([
      { RspCode: '00', Message: 'Confirm Success' },
      { RspCode: '02', Message: 'Order already confirmed' },
    ]);
    await eventually(async () => (await orderOf(a.id, order.id)).paidAt, 'the VNPay order paid');
    expect((await paymentsOf(a.id)).filter((p) => p.tx === delivery.transactionId)).toMatchObject([
      { provider: 'vnpay', amount: 87_000, status: 'succeeded' },
    ]);
    expect(refusals().some((l) => l.provider === 'vnpay' && l.reason === 'REPLAY')).toBe(true);
  });

  it('records a VNPay payment the customer cancelled as failed and leaves the order open for another try', async () => {
    const order = await walletSale(a, 'vnpay');
    const { payUrl } = await checkout(a, order.id, 'vnpay');
    const delivery = await providers.pay(payUrl, { failed: true });
    expect(JSON.parse(delivery.attempts[0]!.body).RspCode).toBe('00');
    await eventually(async () => (await paymentsOf(a.id)).find((p) => p.tx === delivery.transactionId), 'the failed payment');
    expect((await paymentsOf(a.id)).find((p) => p.tx === delivery.transactionId)).toMatchObject({ status: 'failed', discrepancy: null });
    expect((await orderOf(a.id, order.id)).paidAt).toBeNull();
    // The same order can still be paid.
    const paid = await providers.pay(payUrl);
    expect(JSON.parse(paid.attempts[0]!.body).RspCode).toBe('00');
    await eventually(async () => (await orderOf(a.id, order.id)).paidAt, 'the order paid on the second try');
  });

  it('keeps a correctly signed payment of another amount as a discrepancy, raises an anomaly and answers VNPay 04', async () => {
    const order = await walletSale(a, 'vnpay');
    const { payUrl } = await checkout(a, order.id, 'vnpay');
    const delivery = await providers.pay(payUrl, { amount: 1_000, maxAttempts: 1 });
    expect(JSON.parse(delivery.attempts[0]!.body)).toEqual({ RspCode: '04', Message: 'Invalid amount' });
    const payment = await eventually(async () => (await paymentsOf(a.id)).find((p) => p.tx === delivery.transactionId), 'the discrepancy');
    expect(payment).toMatchObject({ amount: 1_000, status: 'succeeded', discrepancy: 'AMOUNT_MISMATCH' });
    expect((await orderOf(a.id, order.id)).paidAt).toBeNull();
    const anomaly = await eventually(async () => anomalies.find((e) => e.reason === 'AMOUNT_MISMATCH'), 'anomaly.detected');
    expect(anomaly).toMatchObject({ kind: 'payment_discrepancy', severity: 'critical', locationId: a.location });
    const [row] = await cell.ownerQuery(a.id, `SELECT details FROM anomalies WHERE id = $1`, [anomaly.anomalyId]);
    expect(row.details).toMatchObject({ discrepancy: 'AMOUNT_MISMATCH', amount: 1_000, expected: 29_000 });
  });

  describe('hostile notifications get the provider’s error reply, a security log line, and change nothing', () => {
    let momoOrder: { id: string };
    let momoPay: { payUrl: string; orderRef: string };
    let vnpayPay: { payUrl: string; orderRef: string };
    let zaloPay: { payUrl: string; orderRef: string };
    let before: number;
    /** The orders of the marker payments, which the count leaves out. */
    const markerOrders = new Set<string>();
    const paymentsBesideMarkers = async () =>
      [...(await paymentsOf(a.id)), ...(await paymentsOf(b.id))].filter((p) => !markerOrders.has(p.orderId!)).length;

    beforeAll(async () => {
      momoOrder = await walletSale(a, 'momo');
      momoPay = await checkout(a, momoOrder.id, 'momo');
      vnpayPay = await checkout(a, (await walletSale(a, 'vnpay')).id, 'vnpay');
      zaloPay = await checkout(a, (await walletSale(a, 'zalopay')).id, 'zalopay');
    });
    beforeEach(async () => {
      before = await paymentsBesideMarkers();
    });
    afterEach(async () => {
      // A wrongly accepted event would be in the stream before a payment made now, of either
      // business: once both are recorded, it would be too.
      for (const order of await Promise.all([stack.markerPayment(a), stack.markerPayment(b)])) markerOrders.add(order);
      expect(await paymentsBesideMarkers()).toBe(before);
    });

    const wrongKey = (provider: Provider) =>
      provider === 'momo'
        ? { code: MOMO.partnerCode, secret: 'not-the-secret-key-0000000000000', accessKey: MOMO.accessKey }
        : provider === 'zalopay'
          ? { code: ZALOPAY.appId, secret: 'not-key2-000000000000000000000000' }
          : { code: VNPAY.tmnCode, secret: 'NOTTHEHASHSECRET0000000000000000' };

    it.each([
      ['momo', 400, null],
      ['zalopay', 200, -1],
      ['vnpay', 200, '97'],
    ] as const)('a %s notification signed with the wrong key', async (provider, status, code) => {
      const target = provider === 'momo' ? momoPay : provider === 'zalopay' ? zaloPay : vnpayPay;
      const delivery = await providers.pay(target.payUrl, { signWith: wrongKey(provider), maxAttempts: 1 });
      expect(delivery.attempts[0]!.status).toBe(status);
      if (provider === 'zalopay')
        expect(JSON.parse(delivery.attempts[0]!.body)).toEqual({ return_code: code, return_message: 'mac not equal' });
      if (provider === 'vnpay') expect(JSON.parse(delivery.attempts[0]!.body).RspCode).toBe(code);
      expect(refusals().some((l) => l.provider === provider && l.reason === 'BAD_SIGNATURE')).toBe(true);
    });

    it.each(['momo', 'zalopay', 'vnpay'] as const)('a %s notification whose amount was changed after signing', async (provider) => {
      const target = provider === 'momo' ? momoPay : provider === 'zalopay' ? zaloPay : vnpayPay;
      const delivery = await providers.pay(target.payUrl, { tamperAmount: 1_000, maxAttempts: 1 });
      expect(delivery.acknowledged).toBe(false);
      const body = delivery.attempts[0]!.body;
      if (provider === 'vnpay') expect(JSON.parse(body).RspCode).toBe('97');
      if (provider === 'zalopay') expect(JSON.parse(body).return_code).toBe(-1);
    });

    it.each(['momo', 'zalopay', 'vnpay'] as const)(
      'a correctly signed %s notification for an order we never asked it to collect',
      async (provider) => {
        const ref =
          provider === 'zalopay'
            ? `261202_${randomUUID().replace(/-/g, '')}`
            : provider === 'momo'
              ? `${randomUUID()}-1`
              : randomUUID().replace(/-/g, '');
        const delivery = await providers.payUnknown(provider, ref, 29_000, { maxAttempts: 1 });
        expect(delivery.acknowledged).toBe(false);
        if (provider === 'vnpay') expect(JSON.parse(delivery.attempts[0]!.body)).toEqual({ RspCode: '01', Message: 'Order not found' });
        if (provider === 'zalopay')
          expect(JSON.parse(delivery.attempts[0]!.body)).toEqual({ return_code: -1, return_message: 'order not found' });
        expect(refusals().some((l) => l.provider === provider && l.reason === 'UNKNOWN_ORDER' && l.order_ref === ref)).toBe(true);
      },
    );

    it('a notification signed by one business’s account for another business’s order', async () => {
      const bOrder = await walletSale(b, 'momo');
      const bPay = await checkout(b, bOrder.id, 'momo');
      before = await paymentsBesideMarkers();
      const delivery = await providers.pay(bPay.payUrl, {
        signWith: { code: MOMO.partnerCode, secret: MOMO.secretKey, accessKey: MOMO.accessKey },
        maxAttempts: 1,
      });
      expect(delivery.attempts[0]!.status).toBe(400);
      expect(refusals().some((l) => l.reason === 'ORDER_OF_ANOTHER_TENANT' && l.tenant_id === a.id)).toBe(true);
      expect((await orderOf(b.id, bOrder.id)).paidAt).toBeNull();
    });

    it.each([
      ['momo', 'POST', 'application/json', '{"partnerCode":', 400],
      [
        'momo',
        'POST',
        'application/json',
        JSON.stringify({
          partnerCode: MOMO.partnerCode,
          orderId: 'x',
          amount: -5,
          transId: 1,
          resultCode: 0,
          responseTime: 1,
          signature: 'ab',
        }),
        400,
      ],
      ['momo', 'POST', 'application/json', '[1,2,3]', 400],
      ['zalopay', 'POST', 'application/json', JSON.stringify({ data: { app_id: 1 }, mac: 'x', type: 1 }), 200],
      ['zalopay', 'POST', 'application/json', JSON.stringify({ data: '{"app_id":"2553","app_trans_id":"x"}', mac: 'x', type: 1 }), 200],
      ['vnpay', 'GET', '', '', 200],
    ] as const)('a malformed %s body (%#)', async (provider, method, contentType, body, status) => {
      const answer = await httpRequest(`${cp.url}/api/v1/webhooks/payment/${provider}`, {
        method,
        body: body || undefined,
        headers: contentType ? { 'content-type': contentType } : {},
      });
      expect(answer.status).toBe(status);
      if (provider === 'zalopay') expect(answer.json).toEqual({ return_code: -1, return_message: 'invalid callback' });
      if (provider === 'vnpay') expect(answer.json.RspCode).toBe('97');
      expect(refusals().some((l) => l.provider === provider && l.reason === 'MALFORMED')).toBe(true);
    });

    it('the same VNPay parameter given twice', async () => {
      const url = new URL(vnpayPay.payUrl);
      const answer = await httpRequest(`${cp.url}/api/v1/webhooks/payment/vnpay?vnp_Amount=100&vnp_Amount=200&${url.search.slice(1)}`);
      expect(answer.json.RspCode).toBe('97');
    });

    it.each(['momo', 'zalopay', 'vnpay'] as const)('an oversized %s body', async (provider) => {
      const body = JSON.stringify({ data: 'x'.repeat(100_000) });
      const answer = await httpRequest(`${cp.url}/api/v1/webhooks/payment/${provider}`, { method: 'POST', body }).catch((error: Error) => ({
        status: -1,
        json: null,
        text: error.message,
      }));
      if (answer.status !== -1) {
        expect([200, 400]).toContain(answer.status);
        if (provider === 'vnpay') expect(answer.json.RspCode).toBe('97');
        if (provider === 'zalopay') expect(answer.json.return_code).toBe(-1);
      }
      expect(refusals().some((l) => l.provider === provider && l.reason === 'BODY_TOO_LARGE')).toBe(true);
    });

    it('an unknown provider and a wrong method are refused', async () => {
      expect((await httpRequest(`${cp.url}/api/v1/webhooks/payment/paypal`, { method: 'POST', body: '{}' })).status).toBe(404);
      expect((await httpRequest(`${cp.url}/api/v1/webhooks/payment/momo`)).status).toBe(405);
    });
  });

  it('a payment that arrives while the cell is down is recorded when it comes back', async () => {
    const order = await walletSale(a, 'momo');
    const { payUrl } = await checkout(a, order.id, 'momo');
    let delivery: Awaited<ReturnType<WalletProviders['pay']>> | undefined;
    await cell.restart({
      downFor: async () => {
        delivery = await providers.pay(payUrl);
      },
    });
    // Acknowledged to MoMo while no cell was running: JetStream held it.
    expect(delivery!.attempts.map((x) => x.status)).toEqual([204]);
    await eventually(async () => (await orderOf(a.id, order.id)).paidAt, 'the payment recorded after the restart');
    expect((await paymentsOf(a.id)).filter((p) => p.tx === delivery!.transactionId)).toHaveLength(1);
  });

  it('connecting a provider is for owners, names the bad field, and never shows the secrets again', async () => {
    const staffSession = await (async () => {
      await cp.addMember(a.id, '+84915000003', 'staff');
      return cp.signIn('+84915000003');
    })();
    const call = (token: string, input: Record<string, unknown>) =>
      httpRequest(`${cp.url}/graphql`, {
        host: 'app.localhost',
        headers: { authorization: `Bearer ${token}` },
        body: { query: CONNECT, variables: { input } },
      });
    const staff = await call(staffSession.accessToken, {
      tenantId: a.id,
      provider: 'vnpay',
      merchantCode: 'STAFFTRY',
      hashSecret: 'S'.repeat(32),
    });
    expect(staff.json.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'ROLE_FORBIDDEN' });
    const owner = a.session;
    for (const [input, field] of [
      [{ tenantId: a.id, provider: 'paypal', merchantCode: 'X' }, 'input.provider'],
      [{ tenantId: a.id, provider: 'vnpay', merchantCode: "X'; DROP TABLE--", hashSecret: 'S'.repeat(32) }, 'input.merchantCode'],
      [{ tenantId: a.id, provider: 'momo', merchantCode: 'MOMOX', accessKey: 'short', secretKey: 'S'.repeat(32) }, 'input.accessKey'],
      [{ tenantId: a.id, provider: 'zalopay', merchantCode: '99', key1: 'K'.repeat(32) }, 'input.key2'],
      [{ tenantId: 'not-a-uuid', provider: 'vnpay', merchantCode: 'X', hashSecret: 'S'.repeat(32) }, 'input.tenantId'],
      [{ tenantId: b.id, provider: 'vnpay', merchantCode: 'XB', hashSecret: 'S'.repeat(32) }, 'input.tenantId'],
    ] as const) {
      const answer = await call(owner.accessToken, input);
      expect(answer.json.errors?.[0]?.extensions?.field, answer.text).toBe(field);
    }
    // B's MoMo merchant code cannot be taken over by A.
    const takeover = await call(owner.accessToken, {
      tenantId: a.id,
      provider: 'momo',
      merchantCode: B_MOMO.code,
      accessKey: 'A'.repeat(16),
      secretKey: 'S'.repeat(32),
    });
    expect(takeover.json.errors[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'MERCHANT_TAKEN' });
    const [row] = await cp.owner.query(
      `SELECT sealed_secrets::text AS sealed FROM payment_accounts WHERE tenant_id = $1 AND provider = 'momo'`,
      [a.id],
    );
    expect(row.sealed).not.toContain(MOMO.secretKey);
    expect(Buffer.from(row.sealed.slice(2), 'hex').toString('latin1')).not.toContain(MOMO.secretKey);
  });

  it('lists a business’s connected accounts to its owner, without secrets, and to no one else', async () => {
    const list = (token: string, tenantId: string) =>
      httpRequest(`${cp.url}/graphql`, {
        host: 'app.localhost',
        headers: { authorization: `Bearer ${token}` },
        body: { query: LIST_ACCOUNTS, variables: { tenantId } },
      });
    const mine = await list(a.session.accessToken, a.id);
    expect(mine.json.data.paymentProviderAccounts.map((x: any) => [x.provider, x.merchantCode])).toEqual([
      ['momo', MOMO.partnerCode],
      ['vnpay', VNPAY.tmnCode],
      ['zalopay', ZALOPAY.appId],
    ]);
    for (const account of mine.json.data.paymentProviderAccounts) expect(Date.parse(account.connectedAt)).not.toBeNaN();
    for (const secret of [MOMO.secretKey, MOMO.accessKey, ZALOPAY.key1, ZALOPAY.key2, VNPAY.hashSecret])
      expect(mine.text).not.toContain(secret);
    // Only B's own account shows for B.
    expect((await list(b.session.accessToken, b.id)).json.data.paymentProviderAccounts.map((x: any) => x.merchantCode)).toEqual([
      B_MOMO.code,
    ]);

    await cp.addMember(a.id, '+84915000004', 'manager');
    const manager = await cp.signIn('+84915000004');
    for (const [token, tenantId, reason, field] of [
      [manager.accessToken, a.id, 'ROLE_FORBIDDEN', 'tenantId'],
      [a.session.accessToken, b.id, 'NOT_A_MEMBER', 'tenantId'],
      [a.session.accessToken, "x' OR 1=1 --", 'INVALID_INPUT', 'tenantId'],
    ] as const) {
      const answer = await list(token, tenantId);
      expect(answer.json.data, answer.text).toBeNull();
      expect(answer.json.errors[0].extensions, answer.text).toMatchObject({ reason, field });
    }
    expect((await list('not-a-token', a.id)).json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('requestPayment refuses an order paid at the counter, another method, and an order of a location the token does not cover', async () => {
    const cash = await cell.gql(
      RECORD_SALE,
      { input: { id: randomUUID(), locationId: a.location, items: [{ itemId: a.item.id, quantity: 1 }] } },
      { token: a.cellToken, tenant: a.slug },
    );
    const paidAtCounter = await cell.gql(
      REQUEST_PAYMENT,
      { orderId: cash.data!.recordSale.id, provider: 'momo' },
      { token: a.cellToken, tenant: a.slug },
    );
    expect(paidAtCounter.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'ORDER_NOT_PAYABLE', field: 'orderId' });
    const momo = await walletSale(a, 'momo');
    const other = await cell.gql(REQUEST_PAYMENT, { orderId: momo.id, provider: 'vnpay' }, { token: a.cellToken, tenant: a.slug });
    expect(other.errors![0]!.extensions).toMatchObject({ reason: 'PROVIDER_MISMATCH', field: 'provider' });
    const bad = await cell.gql(REQUEST_PAYMENT, { orderId: 'nope', provider: 'bitcoin' }, { token: a.cellToken, tenant: a.slug });
    expect(bad.errors![0]!.extensions.code).toBe('BAD_USER_INPUT');
    const elsewhere = await cell.token({ tid: a.id, role: 'staff', locs: [randomUUID()] });
    const forbidden = await cell.gql(REQUEST_PAYMENT, { orderId: momo.id, provider: 'momo' }, { token: elsewhere, tenant: a.slug });
    expect(forbidden.errors![0]!.extensions.code).toBe('FORBIDDEN');
    const bOrderFromA = await cell.gql(
      REQUEST_PAYMENT,
      { orderId: (await walletSale(b, 'momo')).id, provider: 'momo' },
      { token: a.cellToken, tenant: a.slug },
    );
    expect(bOrderFromA.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'orderId' });
  });
});
