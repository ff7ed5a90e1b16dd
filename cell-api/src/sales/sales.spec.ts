import { randomUUID } from 'node:crypto';
import { localDateHour } from '@localstore/common';
import { ORDERS, RECORD_SALE, VOID_ORDER } from '../../test/operations';
import type { TestMenuItem, TestTenant } from '@localstore/cell-db/testing';
import { TestCell } from '../../test/test-cell';

/**
 * Sales through the real GraphQL endpoint, on a real Postgres under RLS.
 * Real: PostgreSQL, HTTP, JWT/JWKS. Stubbed: nothing.
 */
describe('recording and voiding sales', () => {
  let cell: TestCell;
  let tenant: TestTenant;
  let locationId: string;
  let pho: TestMenuItem;
  let traDa: TestMenuItem;
  let extraMeat: string;
  let token: string;
  const call = (query: string, variables: Record<string, unknown>, as = token) =>
    cell.gql(query, variables, { token: as, tenant: tenant.slug });
  const saleInput = (overrides: Record<string, unknown> = {}) => ({
    id: randomUUID(),
    locationId,
    items: [
      { itemId: pho.id, quantity: 2, modifiers: [extraMeat] },
      { itemId: traDa.id, quantity: 3 },
    ],
    channel: 'TAKEAWAY',
    paymentMethod: 'MOMO',
    discount: 5_000,
    ...overrides,
  });
  const rollups = async () => {
    const [row] = await cell.ownerQuery(
      tenant.id,
      `SELECT (SELECT count(*)::int FROM orders) AS orders, (SELECT count(*)::int FROM order_items) AS lines,
              (SELECT coalesce(sum(revenue), 0)::int FROM sales_hourly) AS revenue,
              (SELECT coalesce(sum(orders), 0)::int FROM sales_hourly) AS hourly_orders,
              (SELECT coalesce(sum(quantity), 0)::int FROM item_sales_daily) AS quantity,
              (SELECT coalesce(sum(amount), 0)::int FROM payment_method_daily) AS payments`,
    );
    return row;
  };

  beforeAll(async () => {
    cell = await TestCell.start();
    tenant = await cell.factories.newTenant('pho-test');
    locationId = await cell.factories.newLocation(tenant);
    pho = await cell.factories.newMenuItem(tenant, { name: 'Phở bò tái', price: 55_000 });
    traDa = await cell.factories.newMenuItem(tenant, { name: 'Trà đá', price: 5_000, categoryId: pho.categoryId });
    extraMeat = await cell.factories.newModifier(tenant, pho.id, 'Thêm thịt', 15_000);
    token = await cell.token({ tid: tenant.id });
  });
  afterAll(() => cell?.stop());

  it('writes the order, its lines and every rollup in one go', async () => {
    const before = await rollups();
    const input = saleInput();
    const { data, errors } = await call(RECORD_SALE, { input });
    expect(errors).toBeUndefined();
    // (55.000 + 15.000) × 2 + 5.000 × 3 = 155.000, minus 5.000 discount.
    expect(data!.recordSale).toMatchObject({
      id: input.id,
      subtotal: 155_000,
      discount: 5_000,
      total: 150_000,
      itemCount: 5,
      status: 'COMPLETED',
    });
    expect(data!.recordSale.items[0]).toMatchObject({
      name: 'Phở bò tái',
      unitPrice: 70_000,
      lineTotal: 140_000,
      modifiers: [{ name: 'Thêm thịt', priceDelta: 15_000 }],
    });
    const after = await rollups();
    expect(after).toEqual({
      orders: before.orders + 1,
      lines: before.lines + 2,
      revenue: before.revenue + 150_000,
      hourly_orders: before.hourly_orders + 1,
      quantity: before.quantity + 5,
      payments: before.payments + 150_000,
    });
  });

  it('returns the first result and changes nothing when a tablet retries the same order id', async () => {
    const input = saleInput();
    const first = await call(RECORD_SALE, { input });
    const before = await rollups();
    const retry = await call(RECORD_SALE, { input: { ...input, items: [{ itemId: traDa.id, quantity: 99 }], discount: 0 } });
    expect(retry.errors).toBeUndefined();
    expect(retry.data!.recordSale).toEqual(first.data!.recordSale);
    expect(await rollups()).toEqual(before);
  });

  it('records one order when the same sale arrives many times at once', async () => {
    const input = saleInput();
    const before = await rollups();
    const results = await Promise.all(Array.from({ length: 8 }, () => call(RECORD_SALE, { input })));
    expect(results.every((r) => r.data?.recordSale.id === input.id)).toBe(true);
    const after = await rollups();
    expect(after.orders - before.orders).toBe(1);
    expect(after.revenue - before.revenue).toBe(150_000);
  });

  it('files a sale made at 23:30 UTC under the next local day', async () => {
    const now = new Date();
    const occurredAt = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 23, 30));
    if (occurredAt > now) occurredAt.setUTCDate(occurredAt.getUTCDate() - 1);
    const expected = localDateHour(occurredAt);
    const { data, errors } = await call(RECORD_SALE, { input: saleInput({ occurredAt: occurredAt.toISOString() }) });
    expect(errors).toBeUndefined();
    const utcDate = occurredAt.toISOString().slice(0, 10);
    expect(data!.recordSale.businessDate).toBe(expected.businessDate);
    expect(data!.recordSale.businessDate > utcDate).toBe(true);
    const [bucket] = await cell.ownerQuery(tenant.id, 'SELECT hour FROM orders WHERE id = $1', [data!.recordSale.id]);
    expect(bucket.hour).toBe(6);
  });

  it('voids an order and takes it back out of every rollup', async () => {
    const { data } = await call(RECORD_SALE, { input: saleInput() });
    const before = await rollups();
    const voided = await call(VOID_ORDER, { id: data!.recordSale.id, reason: 'Khách đổi ý' });
    expect(voided.errors).toBeUndefined();
    expect(voided.data!.voidOrder).toMatchObject({ status: 'VOIDED', voidReason: 'Khách đổi ý' });
    const after = await rollups();
    expect(after).toMatchObject({
      orders: before.orders,
      revenue: before.revenue - 150_000,
      hourly_orders: before.hourly_orders - 1,
      quantity: before.quantity - 5,
      payments: before.payments - 150_000,
    });
    const again = await call(VOID_ORDER, { id: data!.recordSale.id, reason: 'lần nữa' });
    expect(again.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'ORDER_ALREADY_VOIDED' });
    expect(await rollups()).toEqual(after);
    const [audit] = await cell.ownerQuery(
      tenant.id,
      "SELECT count(*)::int AS n FROM audit_log WHERE action = 'order.voided' AND entity_id = $1",
      [data!.recordSale.id],
    );
    expect(audit.n).toBe(1);
  });

  it('lets only managers and owners void', async () => {
    const { data } = await call(RECORD_SALE, { input: saleInput() });
    const staff = await cell.token({ tid: tenant.id, role: 'staff' });
    const attempt = await call(VOID_ORDER, { id: data!.recordSale.id, reason: 'thử' }, staff);
    expect(attempt.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'ROLE_FORBIDDEN' });
  });

  describe('hostile input leaves nothing behind', () => {
    const cases: [string, () => Record<string, unknown>, string, string][] = [
      ['a negative quantity', () => saleInput({ items: [{ itemId: pho.id, quantity: -1 }] }), 'BAD_USER_INPUT', 'input.items[0].quantity'],
      ['a zero quantity', () => saleInput({ items: [{ itemId: pho.id, quantity: 0 }] }), 'BAD_USER_INPUT', 'input.items[0].quantity'],
      ['an unknown item', () => saleInput({ items: [{ itemId: randomUUID(), quantity: 1 }] }), 'BAD_USER_INPUT', 'input.items[0].itemId'],
      ['an empty order', () => saleInput({ items: [] }), 'BAD_USER_INPUT', 'input.items'],
      ['a malformed order id', () => saleInput({ id: 'not-a-uuid' }), 'BAD_USER_INPUT', 'input.id'],
      [
        'a malformed item id',
        () => saleInput({ items: [{ itemId: "1' OR '1'='1", quantity: 1 }] }),
        'BAD_USER_INPUT',
        'input.items[0].itemId',
      ],
      [
        'a modifier of another item',
        () => saleInput({ items: [{ itemId: traDa.id, quantity: 1, modifiers: [extraMeat] }] }),
        'BAD_USER_INPUT',
        'input.items[0].modifiers[0]',
      ],
      ['a discount above the subtotal', () => saleInput({ discount: 10_000_000 }), 'BAD_USER_INPUT', 'input.discount'],
      [
        'a sale dated a month ago',
        () => saleInput({ occurredAt: new Date(Date.now() - 30 * 86_400_000).toISOString() }),
        'BAD_USER_INPUT',
        'input.occurredAt',
      ],
      [
        'a sale dated tomorrow',
        () => saleInput({ occurredAt: new Date(Date.now() + 86_400_000).toISOString() }),
        'BAD_USER_INPUT',
        'input.occurredAt',
      ],
      ['another location id', () => saleInput({ locationId: randomUUID() }), 'NOT_FOUND', 'input.locationId'],
      [
        'too many lines',
        () => saleInput({ items: Array.from({ length: 201 }, () => ({ itemId: pho.id, quantity: 1 })) }),
        'BAD_USER_INPUT',
        'input.items',
      ],
    ];
    it.each(cases)('refuses %s, naming the field', async (_, input, code, field) => {
      const before = await rollups();
      const { data, errors } = await call(RECORD_SALE, { input: input() });
      expect(data).toBeNull();
      expect(errors![0]!.extensions).toMatchObject({ code, field });
      expect(errors![0]!.message).not.toMatch(/select|insert|relation|constraint/i);
      expect(await rollups()).toEqual(before);
    });

    it('refuses a total past 10^12 đồng', async () => {
      const costly = await cell.factories.newMenuItem(tenant, {
        name: 'Tiệc cưới trọn gói',
        price: 900_000_000_000,
        categoryId: pho.categoryId,
      });
      const before = await rollups();
      const { errors } = await call(RECORD_SALE, {
        input: saleInput({
          items: [
            { itemId: costly.id, quantity: 1 },
            { itemId: costly.id, quantity: 1 },
          ],
          discount: 0,
        }),
      });
      expect(errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'AMOUNT_TOO_LARGE' });
      const single = await call(RECORD_SALE, { input: saleInput({ items: [{ itemId: costly.id, quantity: 2 }], discount: 0 }) });
      expect(single.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.items[0].quantity' });
      expect(await rollups()).toEqual(before);
    });

    it('refuses values of the wrong type before any SQL runs', async () => {
      const before = await rollups();
      for (const input of [
        saleInput({ items: [{ itemId: pho.id, quantity: 'hai' }] }),
        saleInput({ discount: 1.5 }),
        saleInput({ discount: -1 }),
        saleInput({ paymentMethod: 'BITCOIN' }),
        { ...saleInput(), locationId: undefined },
      ]) {
        const { errors } = await call(RECORD_SALE, { input });
        expect(errors![0]!.extensions.code).toBe('BAD_USER_INPUT');
      }
      expect(await rollups()).toEqual(before);
    });

    it('refuses an over-long void reason, naming it', async () => {
      const { data } = await call(RECORD_SALE, { input: saleInput() });
      const { errors } = await call(VOID_ORDER, { id: data!.recordSale.id, reason: 'x'.repeat(501) });
      expect(errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
      const [order] = await cell.ownerQuery(tenant.id, 'SELECT status FROM orders WHERE id = $1', [data!.recordSale.id]);
      expect(order.status).toBe('completed');
    });
  });

  describe('listing orders', () => {
    let listLocation: string;
    beforeAll(async () => {
      listLocation = await cell.factories.newLocation(tenant, 'Chi nhánh Quận 3');
      for (let i = 0; i < 5; i++) {
        await call(RECORD_SALE, {
          input: saleInput({ locationId: listLocation, occurredAt: new Date(Date.now() - (5 - i) * 60_000).toISOString() }),
        });
      }
    });

    it('pages newest first with cursors until the end', async () => {
      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      do {
        const page: any = await call(ORDERS, { locationId: listLocation, first: 2, after });
        expect(page.errors).toBeUndefined();
        seen.push(...page.data.orders.edges.map((e: any) => e.node.id));
        after = page.data.orders.pageInfo.hasNextPage ? page.data.orders.pageInfo.endCursor : null;
        pages++;
      } while (after && pages < 10);
      expect(pages).toBe(3);
      expect(new Set(seen).size).toBe(5);
    });

    it('refuses a forged cursor and an inverted date range', async () => {
      const forged = await call(ORDERS, { locationId: listLocation, after: 'bm90LWEtY3Vyc29y' });
      expect(forged.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
      const inverted = await call(ORDERS, { locationId: listLocation, from: '2026-02-01', to: '2026-01-01' });
      expect(inverted.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
      const huge = await call(ORDERS, { locationId: listLocation, first: 201 });
      expect(huge.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    });

    it('loads lines and locations of a whole page in a fixed number of queries', async () => {
      const queriesFor = async (first: number) => {
        const before = await cell.dbQueryCount();
        const { errors } = await call(ORDERS, { locationId: listLocation, first });
        expect(errors).toBeUndefined();
        return (await cell.dbQueryCount()) - before;
      };
      const forOne = await queriesFor(1);
      const forFive = await queriesFor(5);
      expect(forFive).toBe(forOne);
      expect(forFive).toBeLessThanOrEqual(5);
    });
  });
});
