import { randomUUID } from 'node:crypto';
import { migrateCellSchema } from '@localstore/cell-db';
import { RECORD_SALE } from '@localstore/cell-api/testing';
import { OWNER_URL } from '@localstore/common/testing';
import { httpRequest } from '@localstore/control-plane/testing';
import { VNPAY } from '../harness/wallet-providers';
import type { Tenant } from '@localstore/operator/testing';
import { eventually } from '@localstore/common/testing';
import { OperatorHarness } from '../harness/operator-harness';

interface Acknowledged {
  id: string;
  total: number;
}

/**
 * Promotion pooled → dedicated under load, end to end: a client records sales through the
 * real router the whole time (retrying on 503 as the apps do), the operator moves the
 * tenant, and afterwards every acknowledged sale is in the dedicated cell exactly once with
 * matching totals, nothing of it is left in the pooled cell, and the neighbour in the
 * pooled cell is untouched.
 */
describe('promoting a tenant from the pooled cell to its own', () => {
  let harness: OperatorHarness;
  const pooled = () => `p-${harness.runId}-1`;

  beforeAll(async () => {
    harness = await OperatorHarness.start({}, { payments: true });
    harness.startKubelet();
    await harness.startOperator();
    harness.apply(harness.cellManifest(pooled(), { mode: 'pooled', replicas: 1 }));
  }, 120_000);
  afterAll(async () => {
    await harness?.stop();
  }, 60_000);

  const placedIn = (name: string, cell: string) =>
    eventually(
      async () => {
        const tenant = await harness.tenant(name);
        return tenant?.status?.phase === 'Active' && tenant.status.cell === cell && !tenant.status.migration ? tenant : undefined;
      },
      `tenant ${name} active in ${cell}`,
      120_000,
    );

  /** A tenant in the pooled cell with a location, a menu item and a signed-in owner. */
  async function pooledTenantWithMenu(name: string, phone: string) {
    harness.apply(harness.tenantManifest(name, { displayName: `Quán ${name}`, plan: 'pooled' }));
    const tenant = await placedIn(name, pooled());
    const cell = harness.cells.get(pooled())!;
    const ref = { id: tenant.status!.tenantId!, slug: name };
    const location = await cell.factories.newLocation(ref);
    const item = await cell.factories.newMenuItem(ref, { price: 45_000 });
    await harness.controlPlane.addMember(ref.id, phone, 'owner');
    const { accessToken } = await harness.controlPlane.signIn(phone);
    return { tenant, location, item: item.id, token: accessToken as string };
  }

  /** Records one sale through the router, retrying the same sale (same id) until it is acknowledged. */
  async function recordSale(
    slug: string,
    token: string,
    locationId: string,
    itemId: string,
    quantity: number,
  ): Promise<Acknowledged & { retries: number }> {
    const id = randomUUID();
    for (let retries = 0; ; retries++) {
      const answer = await httpRequest(`${harness.controlPlane.url}/graphql`, {
        host: `${slug}.localhost`,
        body: { query: RECORD_SALE, variables: { input: { id, locationId, items: [{ itemId, quantity }] } } },
        headers: { authorization: `Bearer ${token}` },
      }).catch(() => undefined);
      const sale = answer?.json?.data?.recordSale;
      if (answer?.status === 200 && sale) return { id: sale.id, total: Number(sale.total), retries };
      if (answer && answer.status !== 503 && answer.status !== 502)
        throw new Error(`sale refused for good: ${answer.status} ${answer.text}`);
      if (retries > 600) throw new Error('sale never acknowledged');
      await new Promise((r) => setTimeout(r, Number(answer?.headers?.['retry-after'] ?? 0.05) * 100));
    }
  }

  it('moves every acknowledged sale to the dedicated cell exactly once while a client keeps selling', async () => {
    const name = `chuoi-${harness.runId}`;
    const mover = await pooledTenantWithMenu(name, '+84916000001');
    const neighbour = await pooledTenantWithMenu(`hang-xom-${harness.runId}`, '+84916000002');
    const neighbourSale = await recordSale(neighbour.tenant.metadata!.name!, neighbour.token, neighbour.location, neighbour.item, 2);

    const acknowledged: Acknowledged[] = [];
    let retried = 0;
    let selling = true;
    const seller = (async () => {
      for (let n = 0; selling || n < 30; n++) {
        const sale = await recordSale(name, mover.token, mover.location, mover.item, 1 + (n % 3));
        acknowledged.push(sale);
        retried += sale.retries;
      }
    })();
    await eventually(async () => acknowledged.length >= 15, 'some sales before the move');

    harness.apply(harness.tenantManifest(name, { displayName: `Quán ${name}`, plan: 'dedicated' }));
    const steps = new Set<string>();
    const promoted: Tenant = await eventually(
      async () => {
        const tenant = await harness.tenant(name);
        if (tenant?.status?.migration?.step) steps.add(tenant.status.migration.step);
        return tenant?.status?.phase === 'Active' && tenant.status.cell === name && !tenant.status.migration ? tenant : undefined;
      },
      'promotion done',
      120_000,
      50,
    );
    const afterMove = acknowledged.length;
    await eventually(async () => acknowledged.length >= afterMove + 10, 'sales after the move');
    selling = false;
    await seller;

    const tenantId = promoted.status!.tenantId!;
    const dedicated = harness.cells.get(name)!;
    const orders = await dedicated.ownerQuery<{ id: string; total: string }>(tenantId, 'SELECT id, total FROM orders');
    expect(orders.length).toBe(acknowledged.length);
    expect(new Set(orders.map((o) => o.id))).toEqual(new Set(acknowledged.map((a) => a.id)));
    const expectedRevenue = acknowledged.reduce((sum, sale) => sum + sale.total, 0);
    const [rollup] = await dedicated.ownerQuery<{ revenue: string; orders: string }>(
      tenantId,
      'SELECT sum(revenue)::text AS revenue, sum(orders)::text AS orders FROM sales_hourly',
    );
    expect({ revenue: Number(rollup!.revenue), orders: Number(rollup!.orders) }).toEqual({
      revenue: expectedRevenue,
      orders: acknowledged.length,
    });

    const pooledCell = harness.cells.get(pooled())!;
    expect(await pooledCell.ownerQuery(tenantId, 'SELECT id FROM orders')).toEqual([]);
    expect(await pooledCell.ownerQuery(tenantId, 'SELECT id FROM locations')).toEqual([]);
    const neighbourOrders = await pooledCell.ownerQuery(neighbour.tenant.status!.tenantId!, 'SELECT id FROM orders');
    expect(neighbourOrders.map((o) => o.id)).toEqual([neighbourSale.id]);

    process.stdout.write(`[promotion] ${acknowledged.length} sales acknowledged, ${retried} retries on 503 during the move\n`);
    expect([...steps]).toEqual(expect.arrayContaining(['Copying', 'CleaningUp']));
    const route = (
      await harness.controlPlane.owner.query(
        `SELECT cell_name, state FROM "${harness.controlPlane.config.directory.schema}".routes WHERE tenant_id = $1`,
        [tenantId],
      )
    )[0];
    expect(route).toEqual({ cell_name: name, state: 'active' });
  }, 180_000);

  /** A GraphQL call through the router, retried while the tenant is moving (503). */
  async function throughRouter(slug: string, token: string, query: string, variables: Record<string, unknown>): Promise<any> {
    for (let tries = 0; tries < 600; tries++) {
      const answer = await httpRequest(`${harness.controlPlane.url}/graphql`, {
        host: `${slug}.localhost`,
        body: { query, variables },
        headers: { authorization: `Bearer ${token}` },
      }).catch(() => undefined);
      if (answer?.status === 200 && answer.json?.data) return answer.json.data;
      if (answer && answer.status !== 503 && answer.status !== 502) throw new Error(`refused: ${answer.status} ${answer.text}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('never answered');
  }

  it('moves a tenant while its payment webhooks arrive: each payment is recorded once, by the cell that serves it', async () => {
    const name = `vi-${harness.runId}`;
    const mover = await pooledTenantWithMenu(name, '+84916000004');
    const tenantId = mover.tenant.status!.tenantId!;
    await harness.controlPlane.running.paymentAccounts.connect(
      { tenantId, provider: 'vnpay', merchantCode: VNPAY.tmnCode, secrets: { hashSecret: VNPAY.hashSecret } },
      randomUUID(),
    );
    const payUrls: { orderId: string; payUrl: string }[] = [];
    for (let i = 0; i < 400; i++) {
      const { recordSale: order } = await throughRouter(name, mover.token, RECORD_SALE, {
        input: {
          id: randomUUID(),
          locationId: mover.location,
          paymentMethod: 'VNPAY',
          items: [{ itemId: mover.item, quantity: 1 + (i % 3) }],
        },
      });
      const { requestPayment } = await throughRouter(
        name,
        mover.token,
        'mutation($o: ID!) { requestPayment(orderId: $o, provider: "vnpay") { payUrl } }',
        { o: order.id },
      );
      payUrls.push({ orderId: order.id, payUrl: requestPayment.payUrl });
    }
    const providers = harness.providers!;
    const paid: string[] = [];
    let moved = false;
    let afterMove = 0;
    const payer = async () => {
      while (payUrls.length > 0 && (!moved || afterMove < 30)) {
        const next = payUrls.shift()!;
        // Each notification delivered twice; the provider calls again until answered 00/02.
        const delivery = await providers.pay(next.payUrl, { deliveries: 2, maxAttempts: 600, retryDelayMs: 50 });
        if (!delivery.acknowledged) throw new Error(`VNPay never got an answer it accepts for ${next.orderId}`);
        paid.push(next.orderId);
        if (moved) afterMove += 1;
        await new Promise((r) => setTimeout(r, 30));
      }
    };
    const payers = [payer(), payer()];
    await eventually(async () => paid.length >= 20, 'payments before the move');
    harness.apply(harness.tenantManifest(name, { displayName: `Quán ${name}`, plan: 'dedicated' }));
    const paidBefore = paid.length;
    await placedIn(name, name);
    moved = true;
    await Promise.all(payers);
    expect(paid.length - paidBefore).toBeGreaterThan(0);

    const dedicated = harness.cells.get(name)!;
    const settled = await eventually(
      async () => {
        const [row] = await dedicated.ownerQuery<{ payments: number; distinct_tx: number; paid: number }>(
          tenantId,
          `SELECT (SELECT count(*) FROM payments)::int AS payments, (SELECT count(DISTINCT provider_transaction_id) FROM payments)::int AS distinct_tx,
                (SELECT count(*) FROM orders WHERE id = ANY($1::uuid[]) AND paid_at IS NOT NULL)::int AS paid`,
          [paid],
        );
        return row!.paid === paid.length ? row : undefined;
      },
      'every acknowledged payment recorded in the dedicated cell',
      60_000,
      100,
    );
    expect(settled).toEqual({ payments: paid.length, distinct_tx: paid.length, paid: paid.length });
    expect(await harness.cells.get(pooled())!.ownerQuery(tenantId, 'SELECT id FROM payments')).toEqual([]);
    process.stdout.write(`[promotion] ${paid.length} payments (${paidBefore} before the plan change) each recorded once across the move\n`);
  }, 240_000);

  it('rolls back a promotion that fails before the switch: route, writes and rows stay in the pooled cell', async () => {
    const name = `hong-${harness.runId}`;
    const tenant = await pooledTenantWithMenu(name, '+84916000003');
    const before = await recordSale(name, tenant.token, tenant.location, tenant.item, 1);
    // The dedicated schema, made ready ahead with a table that refuses rows: the copy fails midway.
    const schema = `cell_${name.replace(/-/g, '_')}`;
    const owner = harness.controlPlane.owner;
    await migrateCellSchema({ cellName: name, database: { ownerUrl: OWNER_URL, schema } });
    await owner.query(
      `CREATE FUNCTION "${schema}".refuse_lines() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full (simulated)'; END $$`,
    );
    await owner.query(
      `CREATE TRIGGER refuse_lines BEFORE INSERT ON "${schema}".order_items FOR EACH ROW EXECUTE FUNCTION "${schema}".refuse_lines()`,
    );

    // The owner asks for it in the app: in cluster mode the control plane sets the Tenant's plan.
    const asked = await httpRequest(`${harness.controlPlane.url}/graphql`, {
      host: 'app.localhost',
      body: {
        query: 'mutation($id: ID!) { changePlan(tenantId: $id, plan: "dedicated") { plan } }',
        variables: { id: tenant.tenant.status!.tenantId },
      },
      headers: { authorization: `Bearer ${tenant.token}` },
    });
    expect(asked.json.data).toEqual({ changePlan: { plan: 'dedicated' } });

    const rolledBack: Tenant = await eventually(
      async () => {
        const current = await harness.tenant(name);
        return current?.status?.migration?.step === 'Done' ? current : undefined;
      },
      'promotion rolled back',
      120_000,
      50,
    );
    expect(rolledBack.spec.plan).toBe('dedicated');
    expect(rolledBack.status).toMatchObject({ phase: 'Active', cell: pooled() });
    expect(rolledBack.status!.conditions!.find((c) => c.type === 'Degraded')).toMatchObject({
      status: 'True',
      reason: 'PromotionRolledBack',
      message: expect.stringContaining('disk full (simulated)'),
    });
    const tenantId = rolledBack.status!.tenantId!;
    const route = (
      await owner.query(`SELECT cell_name, state FROM "${harness.controlPlane.config.directory.schema}".routes WHERE tenant_id = $1`, [
        tenantId,
      ])
    )[0];
    expect(route).toEqual({ cell_name: pooled(), state: 'active' });

    // Writes flow again in the pooled cell, which still has every row; the partial copy is gone.
    const after = await recordSale(name, tenant.token, tenant.location, tenant.item, 1);
    expect(after.retries).toBe(0);
    const pooledOrders = await harness.cells
      .get(pooled())!
      .ownerQuery<{ id: string }>(tenantId, 'SELECT id FROM orders ORDER BY recorded_at');
    expect(pooledOrders.map((o) => o.id)).toEqual([before.id, after.id]);
    // Read as the owner with the tenant set: row-level security is forced on the owner too.
    const [left] = await harness.cells
      .get(name)!
      .ownerQuery(tenantId, 'SELECT (SELECT count(*) FROM locations)::int AS locations, (SELECT count(*) FROM orders)::int AS orders');
    expect(left).toEqual({ locations: 0, orders: 0 });
  }, 180_000);
});
