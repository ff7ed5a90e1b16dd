import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { RECORD_SALE } from '@localstore/cell-api/testing';
import { TestCell } from '@localstore/cell-api/testing';
import { deletePaymentsStream, eventually, freePort, NATS_URL } from '@localstore/common/testing';
import { httpRequest, TestControlPlane } from '@localstore/control-plane/testing';
import { MOMO, type Provider, VNPAY, WalletProviders, ZALOPAY } from './wallet-providers';

export const REQUEST_PAYMENT = `mutation RequestPayment($orderId: ID!, $provider: String!) {
  requestPayment(orderId: $orderId, provider: $provider) { provider orderRef payUrl expiresAt }
}`;
export const CONNECT_PROVIDER = `mutation Connect($input: ConnectPaymentProviderInput!) {
  connectPaymentProvider(input: $input) { tenantId provider merchantCode }
}`;
export const LIST_ACCOUNTS = `query Accounts($tenantId: ID!) { paymentProviderAccounts(tenantId: $tenantId) { provider merchantCode connectedAt } }`;

export interface PaymentsTenant {
  id: string;
  slug: string;
  location: string;
  item: { id: string; price: number };
  /** The owner's token for the cell (signed by the cell's test issuer). */
  cellToken: string;
  /** The owner's session with the control plane (OTP sign-in). */
  session: { accessToken: string };
}

/**
 * What the payment flow needs, all real but the providers: a control plane on a port known
 * in advance (providers are told where to call), NATS JetStream, a cell consuming its
 * tenants' payments, and the provider stand-ins. Tenant A has all three providers
 * connected; more tenants can be added.
 */
export class PaymentsStack {
  private phones = 0;

  private constructor(
    readonly cp: TestControlPlane,
    readonly cell: TestCell,
    readonly providers: WalletProviders,
    private readonly namespace: string,
    private readonly natsUrl: string,
  ) {}

  /**
   * `cellTrustsControlPlane`: the cell verifies the control plane's own tokens (its JWKS),
   * for flows that sign in for real (the browser tests); otherwise the test's token issuer.
   */
  static async start(
    env: Record<string, string> = {},
    options: { logger?: Logger; natsUrl?: string; cellTrustsControlPlane?: boolean } = {},
  ): Promise<PaymentsStack> {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const providers = await WalletProviders.start({ webhookBase: base });
    const natsUrl = options.natsUrl ?? NATS_URL;
    // A namespace of its own on the shared NATS server: no other test's control plane answers its checkouts.
    const namespace = `t${randomUUID().replace(/-/g, '').slice(0, 10)}`;
    const cp = await TestControlPlane.start(
      {
        CONTROL_PLANE_PORT: String(port),
        NATS_URL: natsUrl,
        NATS_NAMESPACE: namespace,
        PAYMENT_WEBHOOK_BASE_URL: base,
        PAYMENT_CREDENTIALS_KEY: Buffer.alloc(32, 7).toString('base64'),
        MOMO_API_URL: providers.url,
        ZALOPAY_API_URL: providers.url,
        VNPAY_PAY_URL: providers.vnpayPayUrl,
        VNPAY_API_URL: `${providers.url}/merchant_webapi/api/transaction`,
        ...env,
      },
      options.logger ? { logger: options.logger } : {},
    );
    // The cell trusts the test's own token issuer: its tokens are minted per case (roles, locations).
    const cell = await TestCell.start({
      NATS_URL: natsUrl,
      NATS_NAMESPACE: namespace,
      ...(options.cellTrustsControlPlane ? { AUTH_JWKS_URL: cp.jwksUrl } : {}),
    });
    return new PaymentsStack(cp, cell, providers, namespace, natsUrl);
  }

  /** A business in the directory and in the cell, with a location, a dish and an owner signed in to both. */
  async newTenant(name: string, price = 29_000): Promise<PaymentsTenant> {
    const tenant = { id: randomUUID(), slug: `${name}-${randomUUID().slice(0, 4)}` };
    await this.cp.addTenant({ id: tenant.id, slug: tenant.slug, cell: { name: 'test-cell', endpoint: this.cell.url } });
    await this.cell.factories.newTenant(tenant.slug, 'active', tenant.id);
    const location = await this.cell.factories.newLocation(tenant);
    const item = await this.cell.factories.newMenuItem(tenant, { name: 'Cà phê sữa đá', price });
    const phone = `+8491${String(Date.now() % 1_000_000).padStart(6, '0')}${this.phones++ % 10}`.slice(0, 12);
    const owner = await this.cp.addMember(tenant.id, phone, 'owner');
    const session = await this.cp.signIn(phone);
    return { ...tenant, location, item, session, cellToken: await this.cell.token({ tid: tenant.id, sub: owner }) };
  }

  connect(session: { accessToken: string }, input: Record<string, unknown>) {
    return httpRequest(`${this.cp.url}/graphql`, {
      host: 'app.localhost',
      headers: { authorization: `Bearer ${session.accessToken}` },
      body: { query: CONNECT_PROVIDER, variables: { input } },
    });
  }

  /** Connects the stand-ins' first merchant account of each provider to the tenant. */
  async connectAll(tenant: PaymentsTenant): Promise<void> {
    for (const input of [
      { tenantId: tenant.id, provider: 'momo', merchantCode: MOMO.partnerCode, accessKey: MOMO.accessKey, secretKey: MOMO.secretKey },
      { tenantId: tenant.id, provider: 'zalopay', merchantCode: ZALOPAY.appId, key1: ZALOPAY.key1, key2: ZALOPAY.key2 },
      { tenantId: tenant.id, provider: 'vnpay', merchantCode: VNPAY.tmnCode, hashSecret: VNPAY.hashSecret },
    ]) {
      const answer = await this.connect(tenant.session, input);
      if (answer.json?.data?.connectPaymentProvider?.merchantCode !== input.merchantCode)
        throw new Error(`connecting ${input.provider} failed: ${answer.text}`);
    }
  }

  async walletSale(
    tenant: PaymentsTenant,
    method: Provider,
    quantity = 1,
    token = tenant.cellToken,
  ): Promise<{ id: string; total: number }> {
    const answer = await this.cell.gql(
      RECORD_SALE,
      {
        input: {
          id: randomUUID(),
          locationId: tenant.location,
          paymentMethod: method.toUpperCase(),
          items: [{ itemId: tenant.item.id, quantity }],
        },
      },
      { token, tenant: tenant.slug },
    );
    if (!answer.data) throw new Error(JSON.stringify(answer.errors));
    return answer.data.recordSale;
  }

  async checkout(tenant: PaymentsTenant, orderId: string, provider: Provider): Promise<{ payUrl: string; orderRef: string }> {
    const answer = await this.cell.gql(REQUEST_PAYMENT, { orderId, provider }, { token: tenant.cellToken, tenant: tenant.slug });
    if (!answer.data) throw new Error(JSON.stringify(answer.errors));
    return answer.data.requestPayment;
  }

  /**
   * A MoMo payment of `tenant`, paid and recorded; returns its order's id. It is the marker a
   * test waits for before checking that something sent earlier changed nothing: the ingress
   * publishes before it answers the provider, and the tenant's cell takes the tenant's
   * payments one at a time in the order the stream holds them, so once this one is recorded,
   * any event published for the tenant before it has been handled too.
   */
  async markerPayment(tenant: PaymentsTenant): Promise<string> {
    const order = await this.walletSale(tenant, 'momo');
    const { payUrl } = await this.checkout(tenant, order.id, 'momo');
    const delivery = await this.providers.pay(payUrl);
    if (!delivery.acknowledged) throw new Error(`the marker payment was not acknowledged: ${JSON.stringify(delivery.attempts)}`);
    await eventually(async () => (await this.orderOf(tenant.id, order.id)).paidAt, 'the marker payment recorded');
    return order.id;
  }

  paymentsOf(
    tenantId: string,
  ): Promise<{ provider: string; tx: string; amount: number; status: string; discrepancy: string | null; orderId: string | null }[]> {
    return this.cell.ownerQuery(
      tenantId,
      'SELECT provider, provider_transaction_id AS tx, amount, status, discrepancy, order_id AS "orderId" FROM payments ORDER BY received_at',
    );
  }

  orderOf(tenantId: string, id: string): Promise<{ paidAt: Date | null; total: number }> {
    return this.cell.ownerQuery(tenantId, 'SELECT paid_at AS "paidAt", total FROM orders WHERE id = $1', [id]).then((rows) => rows[0]);
  }

  async stop(): Promise<void> {
    await this.cell?.stop();
    await this.cp?.stop();
    await this.providers?.close();
    await deletePaymentsStream(this.namespace, this.natsUrl);
  }
}
