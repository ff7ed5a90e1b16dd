import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { RECORD_SALE } from '@localstore/cell-api/testing';
import { APP_URL, OWNER_URL } from '@localstore/common/testing';
import { TestTokenIssuer } from '@localstore/cell-api/testing';
import { CellFactories } from '@localstore/cell-db/testing';
import { loadCellConfig } from '@localstore/cell-api/testing';
import { createCellDataSource, migrateCellSchema } from '@localstore/cell-db';
import { eventually, freePort } from '@localstore/common/testing';
import { CELL_MAIN, CompiledServer } from '../harness/compiled-servers';
import { ScratchNats } from '../harness/scratch-nats';
import { TestControlPlane } from '@localstore/control-plane/testing';
import { type Delivery, MOMO, type Provider, VNPAY, WalletProviders, ZALOPAY } from '../harness/wallet-providers';

const PAYMENTS = Number(process.env.PAYMENT_FAULTS_COUNT ?? 2000);
const CONCURRENCY = 16;

/** The cell API as a real process, so it can be SIGKILLed mid-write. */
class CellProcess {
  private server?: CompiledServer;
  constructor(
    private readonly env: Record<string, string>,
    readonly port: number,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.server = new CompiledServer({ name: 'cell', args: [CELL_MAIN], env: { ...process.env, ...this.env, PORT: String(this.port) } });
    await this.server.waitReady(this.port, '/readyz', 60_000);
  }

  async kill(): Promise<void> {
    await this.server?.kill();
  }
}

/** Whether a provider takes this answer as "the merchant has it" (MoMo 204, VNPay 00/02, ZaloPay 1/2). */
const acknowledges = (answer: { status: number; body: string }) =>
  answer.status === 204 || /"(RspCode":"0[02]|return_code":[12])/.test(answer.body);

async function inBatches<T, R>(items: T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!, index);
      }
    }),
  );
  return results;
}

/**
 * 2,000 payment notifications, each delivered twice, while the cell's process is SIGKILLed
 * and restarted twice and the NATS server is SIGKILLed and restarted once. Real: the
 * control plane, NATS JetStream (a server of this test's own), the cell process,
 * PostgreSQL; the providers are the stand-ins, which call again until answered as they
 * expect. Afterwards every payment is recorded once and every order paid.
 */
describe('payments under faults', () => {
  let nats: ScratchNats;
  let cp: TestControlPlane;
  let cell: CellProcess;
  let issuer: TestTokenIssuer;
  let owner: DataSource;
  let providers: WalletProviders;
  const schema = `test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const tenant = { id: randomUUID(), slug: `quan-chaos-${randomUUID().slice(0, 4)}` };

  beforeAll(async () => {
    nats = new ScratchNats(await freePort());
    await nats.start();
    const cpPort = await freePort();
    const base = `http://127.0.0.1:${cpPort}`;
    providers = await WalletProviders.start({ webhookBase: base });
    cp = await TestControlPlane.start({
      CONTROL_PLANE_PORT: String(cpPort),
      NATS_URL: nats.url,
      PAYMENTS_PUBLISH_TIMEOUT_MS: '1500',
      PAYMENT_WEBHOOK_BASE_URL: base,
      PAYMENT_CREDENTIALS_KEY: Buffer.alloc(32, 9).toString('base64'),
      MOMO_API_URL: providers.url,
      ZALOPAY_API_URL: providers.url,
      VNPAY_PAY_URL: providers.vnpayPayUrl,
    });
    issuer = await TestTokenIssuer.start();
    const env = {
      CELL_NAME: 'chaos-cell',
      DATABASE_URL: APP_URL,
      DATABASE_OWNER_URL: OWNER_URL,
      DATABASE_SCHEMA: schema,
      AUTH_JWKS_URL: issuer.jwksUrl,
      NATS_URL: nats.url,
      NATS_REQUEST_TIMEOUT_MS: '5000',
      LOG_LEVEL: 'error',
    };
    const config = loadCellConfig({ ...env, PORT: '0' });
    await migrateCellSchema(config);
    owner = createCellDataSource(config, 'owner');
    await owner.initialize();
    cell = new CellProcess(env, await freePort());
    await cell.start();
    await cp.addTenant({ id: tenant.id, slug: tenant.slug, cell: { name: 'chaos-cell', endpoint: cell.url } });
    await new CellFactories(owner).newTenant(tenant.slug, 'active', tenant.id);
    const accounts = cp.running.paymentAccounts;
    const userId = randomUUID();
    await accounts.connect(
      {
        tenantId: tenant.id,
        provider: 'momo',
        merchantCode: MOMO.partnerCode,
        secrets: { accessKey: MOMO.accessKey, secretKey: MOMO.secretKey },
      },
      userId,
    );
    await accounts.connect(
      { tenantId: tenant.id, provider: 'zalopay', merchantCode: ZALOPAY.appId, secrets: { key1: ZALOPAY.key1, key2: ZALOPAY.key2 } },
      userId,
    );
    await accounts.connect(
      { tenantId: tenant.id, provider: 'vnpay', merchantCode: VNPAY.tmnCode, secrets: { hashSecret: VNPAY.hashSecret } },
      userId,
    );
  }, 120_000);

  afterAll(async () => {
    await cell?.kill();
    await cp?.stop();
    await providers?.close();
    await nats?.stop();
    await issuer?.close();
    await owner?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await owner?.destroy();
  });

  it(`records each of ${PAYMENTS} twice-delivered payments exactly once through two cell crashes and a NATS crash`, async () => {
    const factories = new CellFactories(owner);
    const location = await factories.newLocation(tenant);
    const item = await factories.newMenuItem(tenant, { name: 'Phở bò tái', price: 55_000 });
    const token = await issuer.sign({ sub: randomUUID(), tid: tenant.id, role: 'owner', locs: '*' });
    const gql = async (query: string, variables: Record<string, unknown>) => {
      const response = await fetch(`${cell.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-tenant': tenant.slug },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: any; errors?: unknown };
      if (!body.data) throw new Error(JSON.stringify(body.errors));
      return body.data;
    };
    const methods: Provider[] = ['momo', 'zalopay', 'vnpay'];
    // The orders and their checkouts, before any fault.
    const orders = await inBatches(
      Array.from({ length: PAYMENTS }, (_, i) => i),
      CONCURRENCY,
      async (i) => {
        const method = methods[i % 3]!;
        const { recordSale } = await gql(RECORD_SALE, {
          input: {
            id: randomUUID(),
            locationId: location,
            paymentMethod: method.toUpperCase(),
            items: [{ itemId: item.id, quantity: 1 + (i % 4) }],
          },
        });
        const { requestPayment } = await gql(`mutation($o: ID!, $p: String!) { requestPayment(orderId: $o, provider: $p) { payUrl } }`, {
          o: recordSale.id,
          p: method,
        });
        return { id: recordSale.id as string, total: recordSale.total as number, payUrl: requestPayment.payUrl as string };
      },
    );

    let acknowledged = 0;
    const faults: string[] = [];
    /** Answers so far that told a provider to call again (anything but its acknowledgement). */
    const callAgainAnswers = () => providers.deliveries.reduce((n, d) => n + d.attempts.filter((x) => !acknowledges(x)).length, 0);
    const chaos = (async () => {
      const at = async (count: number) => eventually(async () => acknowledged >= count, `${count} acknowledged payments`, 240_000);
      // The cell stays down until more payments have been acknowledged: JetStream holds them for it.
      const whileCellDown = () => at(Math.min(PAYMENTS, acknowledged + CONCURRENCY));
      await at(PAYMENTS * 0.15);
      await cell.kill();
      faults.push(`cell killed at ${acknowledged}`);
      await whileCellDown();
      await cell.start();
      await at(PAYMENTS * 0.4);
      await nats.kill();
      faults.push(`nats killed at ${acknowledged}`);
      // NATS stays down until the ingress, unable to publish, has told a provider to call again.
      const toldBefore = callAgainAnswers();
      await eventually(async () => callAgainAnswers() > toldBefore, 'a provider told to call again while NATS is down', 60_000);
      await nats.start();
      await at(PAYMENTS * 0.7);
      await cell.kill();
      faults.push(`cell killed at ${acknowledged}`);
      await whileCellDown();
      await cell.start();
    })();
    const deliveries: Delivery[] = await inBatches(orders, CONCURRENCY, async (order) => {
      const delivery = await providers.pay(order.payUrl, { deliveries: 2, maxAttempts: 400, retryDelayMs: 100 });
      acknowledged += 1;
      return delivery;
    });
    await chaos;
    expect(faults).toHaveLength(3);
    // Every provider was eventually answered as it expects, twice.
    expect(deliveries.filter((d) => !d.acknowledged)).toEqual([]);
    const retried = deliveries.filter((d) => d.attempts.length > 2).length;
    const refusedAnswers = deliveries.reduce((n, d) => n + d.attempts.filter((x) => !acknowledges(x)).length, 0);
    console.log(`[payment faults] ${faults.join(', ')}; ${retried} deliveries were told to call again (${refusedAnswers} answers in all)`);

    const counts = async () =>
      (
        await factories.asTenant(tenant.id, (db) =>
          db.query<{ payments: number; distinct_tx: number; paid_orders: number; discrepancies: number }>(
            `SELECT (SELECT count(*) FROM payments)::int AS payments,
                    (SELECT count(DISTINCT (provider, provider_transaction_id)) FROM payments)::int AS distinct_tx,
                    (SELECT count(*) FROM orders WHERE paid_at IS NOT NULL)::int AS paid_orders,
                    (SELECT count(*) FROM payments WHERE discrepancy IS NOT NULL)::int AS discrepancies`,
          ),
        )
      )[0]!;
    const settled = await eventually(
      async () => {
        const c = await counts();
        return c.paid_orders === PAYMENTS ? c : null;
      },
      'every order paid',
      120_000,
    );
    expect(settled).toEqual({ payments: PAYMENTS, distinct_tx: PAYMENTS, paid_orders: PAYMENTS, discrepancies: 0 });
    // Each payment matches its order, and the rollups still add up to the orders.
    const [check] = await factories.asTenant(tenant.id, (db) =>
      db.query<{
        mismatched: number;
        order_revenue: number;
        hourly_revenue: number;
        order_count: number;
        hourly_orders: number;
        method_amount: number;
        method_paid: number;
      }>(
        `SELECT (SELECT count(*) FROM payments p JOIN orders o ON o.id = p.order_id WHERE p.amount <> o.total)::int AS mismatched,
                (SELECT sum(total) FROM orders)::bigint AS order_revenue, (SELECT sum(revenue) FROM sales_hourly)::bigint AS hourly_revenue,
                (SELECT count(*) FROM orders)::int AS order_count, (SELECT sum(orders) FROM sales_hourly)::int AS hourly_orders,
                (SELECT sum(amount) FROM payment_method_daily)::bigint AS method_amount,
                (SELECT sum(paid_amount) FROM payment_method_daily)::bigint AS method_paid`,
      ),
    );
    expect(check!.mismatched).toBe(0);
    expect(check!.hourly_revenue).toBe(check!.order_revenue);
    expect(check!.method_amount).toBe(check!.order_revenue);
    // Every order was paid once: what the methods collected is the whole of the takings.
    expect(check!.method_paid).toBe(check!.order_revenue);
    expect(check!.hourly_orders).toBe(check!.order_count);
    expect(check!.order_count).toBe(PAYMENTS);
    // Faults did happen to deliveries: some were told to call again.
    expect(retried).toBeGreaterThan(0);
  }, 600_000);
});
