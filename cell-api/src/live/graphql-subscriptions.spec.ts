import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { TestMenuItem, TestTenant } from '@localstore/cell-db/testing';
import { subscribe, wsClient } from '../../test/graphql-ws-client';
import { RECORD_SALE, VOID_ORDER } from '../../test/operations';
import { TestCell } from '../../test/test-cell';
import { type RunningCell, startCell } from '../main';
import { liveChannel } from './live-feed';
import { LiveSubscriptions } from './live-subscriptions';
import { eventually, REDIS_URL } from '@localstore/common/testing';

const DASHBOARD_UPDATES = `subscription($id: ID!) { dashboardUpdates(locationId: $id) { locationId businessDate hour paymentMethod revenue orders items cause orderId } }`;

/**
 * GraphQL subscriptions over WebSocket (graphql-ws): a sale's dashboard delta reaches a
 * subscriber of its location, in this process or, through Redis, another; subscribing is
 * authorised exactly like a query. Real: Postgres, Redis, two cell processes, WebSockets.
 */
describe('GraphQL subscriptions', () => {
  let cell: TestCell;
  let second: RunningCell;
  let tenant: TestTenant;
  let other: TestTenant;
  let location: string;
  let otherLocation: string;
  let item: TestMenuItem;
  let token: string;
  const clients: ReturnType<typeof wsClient>[] = [];
  const client = (url: string, options: Parameters<typeof wsClient>[1]) => {
    const c = wsClient(url, options);
    clients.push(c);
    return c;
  };
  const subscribersOf = (running: RunningCell, locationId: string, tenantId = tenant.id) =>
    running.app.get(LiveSubscriptions).feed.subscribers(liveChannel('dashboard.delta', tenantId, locationId));
  const until = async (check: () => boolean) => {
    await eventually(async () => check(), 'the subscribers to change');
    expect(check()).toBe(true);
  };

  beforeAll(async () => {
    cell = await TestCell.start({ REDIS_URL, REDIS_KEY_PREFIX: `test:${randomUUID()}:`, DATABASE_POOL_SIZE: '4' });
    second = await startCell({ ...cell.config, port: 0 }, pino({ level: 'silent' }));
    tenant = await cell.factories.newTenant();
    other = await cell.factories.newTenant();
    location = await cell.factories.newLocation(tenant);
    otherLocation = await cell.factories.newLocation(other);
    item = await cell.factories.newMenuItem(tenant, { price: 45_000 });
    token = await cell.token({ tid: tenant.id });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await second?.app.close();
    await cell?.stop();
  });

  it('sends a sale’s delta, and a void’s negative one, to a subscriber of the location on another process', async () => {
    const onSecond = subscribe<any>(client(second.url ?? '', { token, tenant: tenant.slug }), DASHBOARD_UPDATES, { id: location });
    await until(() => subscribersOf(second, location) === 1);
    const sale = await cell.gql(
      RECORD_SALE,
      { input: { id: randomUUID(), locationId: location, items: [{ itemId: item.id, quantity: 2 }] } },
      { token, tenant: tenant.slug },
    );
    const orderId = sale.data!.recordSale.id;
    await until(() => onSecond.events.length === 1);
    expect(onSecond.events[0]).toMatchObject({
      locationId: location,
      revenue: 90_000,
      orders: 1,
      items: 2,
      cause: 'sale.recorded',
      orderId,
      paymentMethod: 'cash',
      hour: sale.data!.recordSale.hour ?? expect.any(Number),
    });
    await cell.gql(VOID_ORDER, { id: orderId, reason: 'Khách đổi ý' }, { token, tenant: tenant.slug });
    await until(() => onSecond.events.length === 2);
    expect(onSecond.events[1]).toMatchObject({ revenue: -90_000, orders: -1, items: -2, cause: 'order.voided', orderId });
    onSecond.stop();
    await until(() => subscribersOf(second, location) === 0);
  });

  it('refuses a subscription as it would refuse the query, and leaves no transaction open', async () => {
    const staff = await cell.token({ tid: tenant.id, role: 'staff', locs: [randomUUID()] });
    const otherToken = await cell.token({ tid: other.id });
    const cases: [Parameters<typeof wsClient>[1], Record<string, unknown>, string, string?][] = [
      [{ tenant: tenant.slug }, { id: location }, 'UNAUTHENTICATED'],
      [{ token: 'not-a-token', tenant: tenant.slug }, { id: location }, 'UNAUTHENTICATED'],
      [{ token, tenant: other.slug }, { id: location }, 'FORBIDDEN', 'TENANT_MISMATCH'],
      [{ token: staff, tenant: tenant.slug }, { id: location }, 'FORBIDDEN', 'LOCATION_FORBIDDEN'],
      [{ token, tenant: tenant.slug }, { id: otherLocation }, 'NOT_FOUND', 'LOCATION_NOT_FOUND'],
      [{ token: otherToken, tenant: tenant.slug }, { id: otherLocation }, 'FORBIDDEN', 'TENANT_MISMATCH'],
      [{ token, tenant: tenant.slug }, { id: 'nope' }, 'BAD_USER_INPUT'],
    ];
    // More refusals than the pool has connections: a leaked transaction would starve the queries after.
    for (let round = 0; round < 2; round++) {
      for (const [options, variables, code, reason] of cases) {
        const refused = subscribe(client(cell.url, options), DASHBOARD_UPDATES, variables);
        const [error] = await refused.error;
        expect(error!.extensions, JSON.stringify(error)).toMatchObject({ code, ...(reason ? { reason } : {}) });
        expect(JSON.stringify(error)).not.toMatch(/SELECT|stack|Exception/);
      }
    }
    const deep = subscribe(
      client(cell.url, { token, tenant: tenant.slug }),
      `subscription { dashboardUpdates(locationId: "${location}") { orderId nope } }`,
      {},
    );
    expect((await deep.error)[0]).toMatchObject({
      message: expect.stringMatching(/nope/),
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    expect(subscribersOf(cell.running, location) + subscribersOf(cell.running, otherLocation, other.id)).toBe(0);
    const after = await cell.gql('{ locations { id } }', {}, { token, tenant: tenant.slug });
    expect(after.data!.locations).toEqual([{ id: location }]);
  });
});
