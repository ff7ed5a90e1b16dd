import { PaymentsStack, type PaymentsTenant } from '../harness/payments-stack';
import { eventually } from '@localstore/common/testing';
import type { Provider } from '../harness/wallet-providers';

/**
 * Payments whose notification never came are found by asking the provider (MoMo `query`,
 * ZaloPay `/v2/query`, VNPay `querydr`), on BullMQ over the real Redis, and reach the cell
 * as the same event a notification would have been. Real: control plane, Redis, NATS
 * JetStream, the cell, PostgreSQL; the providers' status APIs are the stand-ins, which
 * check each request's signature.
 */
describe('payment reconciliation', () => {
  let stack: PaymentsStack;
  let a: PaymentsTenant;

  beforeAll(async () => {
    stack = await PaymentsStack.start({
      PAYMENT_RECONCILE_AFTER_SECONDS: '0',
      // Sweeps are started by the test (sweepNow); the schedule itself stays out of the way.
      PAYMENT_RECONCILE_INTERVAL_SECONDS: '3600',
      PAYMENT_RECONCILE_ATTEMPTS: '2',
      PAYMENT_RECONCILE_BACKOFF_MS: '20',
    });
    a = await stack.newTenant('quan-doi-soat');
    await stack.connectAll(a);
  });
  afterAll(() => stack?.stop());

  const reconciliation = () => stack.cp.running.reconciliation!;

  it.each(['momo', 'zalopay', 'vnpay'] as const)(
    'finds a %s payment whose notification was lost, records it once, and a late notification changes nothing',
    async (provider: Provider) => {
      const order = await stack.walletSale(a, provider, 2);
      const { payUrl, orderRef } = await stack.checkout(a, order.id, provider);
      const silent = await stack.providers.pay(payUrl, { silent: true });
      expect(silent.attempts).toEqual([]);
      await reconciliation().sweepNow();
      await eventually(async () => (await stack.orderOf(a.id, order.id)).paidAt, `the ${provider} order paid by reconciliation`);
      expect(stack.providers.queries.some((q) => q.provider === provider && q.orderRef === orderRef)).toBe(true);
      expect((await stack.paymentsOf(a.id)).filter((p) => p.tx === silent.transactionId)).toMatchObject([
        { provider, amount: order.total, status: 'succeeded', discrepancy: null },
      ]);
      // The provider's own notification arrives after all: acknowledged as already confirmed.
      const late = await stack.providers.pay(payUrl, { transactionId: silent.transactionId, maxAttempts: 1 });
      expect(late.acknowledged).toBe(true);
      // Once a later payment is recorded, the late notification has been handled (or dropped) too.
      await stack.markerPayment(a);
      expect((await stack.paymentsOf(a.id)).filter((p) => p.tx === silent.transactionId)).toHaveLength(1);
    },
  );

  it('leaves a payment the customer has not made yet pending, and asks again on a later sweep', async () => {
    const order = await stack.walletSale(a, 'zalopay');
    const { orderRef } = await stack.checkout(a, order.id, 'zalopay');
    await reconciliation().sweepNow();
    await eventually(async () => stack.providers.queries.some((q) => q.orderRef === orderRef), 'the status query');
    const [intent] = await stack.cp.owner.query(`SELECT checks, notified_at FROM payment_intents WHERE order_ref = $1`, [orderRef]);
    expect(intent).toMatchObject({ checks: 1, notified_at: null });
    expect((await stack.orderOf(a.id, order.id)).paidAt).toBeNull();
  });

  it('retries a query the provider fails to answer with backoff, then keeps it in the dead-letter list', async () => {
    const order = await stack.walletSale(a, 'vnpay');
    const { payUrl, orderRef } = await stack.checkout(a, order.id, 'vnpay');
    await stack.providers.pay(payUrl, { silent: true });
    stack.providers.queryApiDown = true;
    try {
      await reconciliation().sweepNow();
      const dead = await eventually(
        async () => (await reconciliation().deadLetters()).find((job) => job.orderRef === orderRef),
        'the dead-lettered query',
      );
      expect(dead).toEqual({ provider: 'vnpay', orderRef });
      expect((await stack.orderOf(a.id, order.id)).paidAt).toBeNull();
    } finally {
      stack.providers.queryApiDown = false;
    }
  });
});
