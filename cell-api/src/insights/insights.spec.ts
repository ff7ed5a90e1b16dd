import { randomUUID } from 'node:crypto';
import { addDays, localDateHour, weekdayOf } from '@localstore/common';
import { io, type Socket } from 'socket.io-client';
import type { HistoryOrder, TestMenuItem, TestTenant } from '@localstore/cell-db/testing';
import { MODEL_SERVER_ADDRESS, REDIS_URL } from '@localstore/common/testing';
import { TcpProxy } from '../../test/tcp-proxy';
import { TestCell } from '../../test/test-cell';
import { AnomalyWatch } from './anomaly-watch';
import { NightlyInsights, type RefreshJob } from './nightly-insights';

const INSIGHTS = `query Insights($id: ID!, $days: Int, $status: String) {
  location(id: $id) {
    id lunarObservances
    forecast(days: $days) { date itemId expected low high method holiday generatedAt }
    recommendations(status: $status) { id kind title priority explanation status details forDate dismissReason }
  }
}`;
const REFRESH = `mutation($id: ID!) { refreshInsights(locationId: $id) { forecastRows newRecommendations { id kind title priority } } }`;
const DISMISS = `mutation($id: ID!, $reason: String) { dismissRecommendation(id: $id, reason: $reason) { id status dismissReason } }`;
const APPROVE = `mutation($id: ID!) { approveRecommendation(id: $id) { id status } }`;
const ANOMALIES = `query($id: ID!, $from: Date!, $to: Date!) { location(id: $id) { anomalies(from: $from, to: $to) { id kind severity businessDate hour reason details } } }`;
const PRICING = `query($id: ID!, $prices: [CompetitorPriceInput!]) { pricingAnalysis(locationId: $id, competitorPrices: $prices) { itemId currentPrice suggestedPrice elasticity method explanation } }`;

/** A small deterministic random source, so the history is the same on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 0x1_0000_0000;
  };
}

/**
 * Ten weeks of a phở shop up to yesterday: lunch and dinner rushes, weekends busier, iced
 * tea with most bowls, spring rolls with iced tea, chè selling less and less, a third of
 * the money through MoMo.
 */
function history(
  today: string,
  items: { pho: TestMenuItem; tra: TestMenuItem; nem: TestMenuItem; che: TestMenuItem },
  weeks = 10,
): HistoryOrder[] {
  const random = seeded(7);
  const orders: HistoryOrder[] = [];
  for (let day = weeks * 7; day >= 1; day--) {
    const date = addDays(today, -day);
    const weekend = [0, 6].includes(weekdayOf(date));
    for (let hour = 10; hour <= 20; hour++) {
      const rush = hour === 11 || hour === 12 || hour === 18 || hour === 19;
      const count = Math.round((rush ? 20 : 4) * (weekend ? 1.4 : 1) * (0.8 + 0.4 * random()));
      for (let n = 0; n < count; n++) {
        const lines: HistoryOrder['lines'] = [];
        if (random() < 0.85) {
          lines.push({ item: items.pho, quantity: 1 + (random() < 0.3 ? 1 : 0) });
          if (random() < 0.6) lines.push({ item: items.tra, quantity: 1 });
        } else {
          lines.push({ item: items.nem, quantity: 1 }, ...(random() < 0.8 ? [{ item: items.tra, quantity: 1 }] : []));
        }
        // Chè: a dessert going out of fashion, ten times likelier ten weeks ago than now.
        if (random() < 0.05 * (day / (weeks * 7))) lines.push({ item: items.che, quantity: 1 });
        const method = random() < 0.33 ? 'momo' : random() < 0.85 ? 'cash' : 'card';
        orders.push({ businessDate: date, hour, lines, paymentMethod: method, voided: random() < 0.01 });
      }
    }
  }
  return orders;
}

/** Insights against the real KServe model server over gRPC. Stubbed: nothing. */
describe('insights: forecasts, recommendations, pricing and anomalies from the models', () => {
  let cell: TestCell;
  let proxy: TcpProxy;
  let tenant: TestTenant;
  let location: string;
  let items: { pho: TestMenuItem; tra: TestMenuItem; nem: TestMenuItem; che: TestMenuItem };
  let owner: string;
  const today = localDateHour(new Date()).businessDate;
  const call = (query: string, variables: Record<string, unknown> = {}, token = owner) =>
    cell.gql(query, variables, { token, tenant: tenant.slug });

  beforeAll(async () => {
    proxy = await TcpProxy.start(MODEL_SERVER_ADDRESS);
    cell = await TestCell.start({
      MODEL_SERVER_ADDRESS: proxy.address,
      MODEL_BREAKER_FAILURES: '2',
      MODEL_BREAKER_OPEN_MS: '400',
      MODEL_RETRY_BACKOFF_MS: '20',
      ANOMALY_WATCH: 'true',
      INSIGHTS_SPREAD_MINUTES: '0',
    });
    tenant = await cell.factories.newTenant('insights-test');
    location = await cell.factories.newLocation(tenant, 'Phở Quận 1');
    const mains = await cell.factories.newCategory(tenant, 'Món chính');
    const drinks = await cell.factories.newCategory(tenant, 'Đồ uống');
    items = {
      pho: await cell.factories.newMenuItem(tenant, { name: 'Phở bò tái', price: 55_000, categoryId: mains }),
      nem: await cell.factories.newMenuItem(tenant, { name: 'Nem rán', price: 30_000, categoryId: mains }),
      tra: await cell.factories.newMenuItem(tenant, { name: 'Trà đá', price: 5_000, categoryId: drinks }),
      che: await cell.factories.newMenuItem(tenant, { name: 'Chè ba màu', price: 25_000, categoryId: drinks }),
    };
    await cell.factories.salesHistory(tenant, location, history(today, items));
    owner = await cell.token({ tid: tenant.id });
  }, 120_000);

  afterAll(async () => {
    await cell?.stop();
    await proxy?.cut();
  });

  it('forecasts every item for 14 days and advises prep, a combo and a promotion, announced on the socket', async () => {
    const socket: Socket = io(cell.url, {
      path: '/socket.io',
      transports: ['websocket'],
      reconnection: false,
      auth: { token: owner },
      extraHeaders: { 'x-tenant': tenant.slug },
    });
    await new Promise<void>((resolve, reject) => socket.on('connect', () => resolve()).on('connect_error', reject));
    await socket.emitWithAck('join', { locationId: location });
    const announced: { kind: string; title: string }[] = [];
    socket.on('recommendation.new', (event: { kind: string; title: string }) => announced.push(event));

    const { data, errors } = await call(REFRESH, { id: location });
    expect(errors).toBeUndefined();
    expect(data!.refreshInsights.forecastRows).toBe(4 * 14);
    const kinds = data!.refreshInsights.newRecommendations.map((r: { kind: string }) => r.kind);
    expect(kinds).toContain('prep');
    expect(kinds).toContain('combo');
    expect(kinds).toContain('promotion');

    const read = await call(INSIGHTS, { id: location, days: 7 });
    expect(read.errors).toBeUndefined();
    const forecast = read.data!.location.forecast as {
      date: string;
      itemId: string;
      expected: number;
      low: number;
      high: number;
      method: string;
    }[];
    expect(forecast).toHaveLength(4 * 7);
    expect(forecast[0]!.date).toBe(today);
    const pho = forecast.filter((f) => f.itemId === items.pho.id);
    expect(new Set(pho.map((f) => f.method))).toEqual(new Set(['prophet']));
    // About 130 bowls a weekday in the history (more at weekends): the forecast is in that range.
    for (const day of pho) {
      expect(day.expected).toBeGreaterThan(90);
      expect(day.expected).toBeLessThan(260);
      expect(day.low).toBeLessThanOrEqual(day.expected);
      expect(day.high).toBeGreaterThanOrEqual(day.expected);
    }
    const recs = read.data!.location.recommendations as {
      kind: string;
      title: string;
      details: string;
      status: string;
      priority: number;
    }[];
    const combo = recs.find((r) => r.kind === 'combo')!;
    expect(JSON.parse(combo.details).itemIds.sort()).toEqual([items.nem.id, items.tra.id].sort());
    expect(combo.title).toContain('Nem rán');
    expect(recs.find((r) => r.kind === 'promotion')!.title).toContain('Chè ba màu');
    const prep = recs.find((r) => r.kind === 'prep')!;
    expect(prep.priority).toBe(1);
    expect(JSON.parse(prep.details).items.find((i: { itemId: string }) => i.itemId === items.pho.id).prepare).toBeGreaterThan(50);

    await expect.poll(() => announced.map((a) => a.kind).sort(), { timeout: 3_000 }).toEqual([...kinds].sort());
    socket.close();
  });

  it('keeps decisions: a dismissed kind does not come back the next time, and is given less', async () => {
    const { data } = await call(INSIGHTS, { id: location, status: 'pending' });
    const combo = data!.location.recommendations.find((r: { kind: string }) => r.kind === 'combo');
    const prep = data!.location.recommendations.find((r: { kind: string }) => r.kind === 'prep');
    const dismissed = await call(DISMISS, { id: combo.id, reason: '  Khách không thích combo  ' });
    expect(dismissed.errors).toBeUndefined();
    expect(dismissed.data!.dismissRecommendation).toEqual({ id: combo.id, status: 'dismissed', dismissReason: 'Khách không thích combo' });
    expect((await call(APPROVE, { id: prep.id })).data!.approveRecommendation.status).toBe('approved');
    // Deciding twice is refused, and the list reflects the decisions at once (the cache was bumped).
    const again = await call(APPROVE, { id: prep.id });
    expect(again.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'RECOMMENDATION_DECIDED' });
    const pending = await call(INSIGHTS, { id: location, status: 'pending' });
    expect(pending.data!.location.recommendations.map((r: { kind: string }) => r.kind)).not.toContain('combo');

    const rerun = await call(REFRESH, { id: location });
    expect(rerun.errors).toBeUndefined();
    expect(rerun.data!.refreshInsights.newRecommendations).toEqual([]);
    const audit = await cell.ownerQuery(tenant.id, `SELECT action FROM audit_log WHERE entity = 'recommendation' ORDER BY at`);
    expect(audit.map((a) => a.action)).toEqual(['recommendation.dismissed', 'recommendation.approved']);
  });

  it('serves the recommendation list from the cache until something changes it', async () => {
    const hits = async () =>
      Number(
        /cell_cache_requests_total\{[^}]*cache="recommendations",outcome="hit"[^}]*\} (\d+)/.exec(
          await (await fetch(`${cell.url}/metrics`)).text(),
        )?.[1] ?? 0,
      );
    await call(INSIGHTS, { id: location });
    const before = await hits();
    await call(INSIGHTS, { id: location });
    expect(await hits()).toBe(before + 1);
  });

  it('suggests prices from rules where the location never changed one, and takes competitor prices', async () => {
    const { data, errors } = await call(PRICING, {
      id: location,
      prices: [
        { itemId: items.pho.id, price: 45_000 },
        { itemId: items.pho.id, price: 45_000 },
      ],
    });
    expect(errors).toBeUndefined();
    const pho = data!.pricingAnalysis.find((p: { itemId: string }) => p.itemId === items.pho.id);
    expect(pho).toMatchObject({ currentPrice: 55_000, method: 'rules', elasticity: null });
    expect(pho.suggestedPrice).toBeLessThan(55_000);
    expect(pho.suggestedPrice % 5_000).toBe(0);
    expect(pho.explanation).toContain('đối thủ');
  });

  it('flags an hour whose MoMo payments stopped, minutes after it closed, once', async () => {
    // Tomorrow's lunch rush as the hour that just closed: thirty orders, and not one by MoMo.
    const date = addDays(today, 1);
    const odd: HistoryOrder[] = Array.from({ length: 30 }, () => ({
      businessDate: date,
      hour: 12,
      lines: [{ item: items.pho, quantity: 1 }],
      paymentMethod: 'cash' as const,
    }));
    await cell.factories.salesHistory(tenant, location, odd);
    const watch = cell.running.app.get(AnomalyWatch);
    watch.note(tenant.id, location, new Date(`${date}T12:10:00+07:00`));
    await watch.tick(new Date(`${date}T13:01:00+07:00`));
    // Another process judging the same hour records nothing more.
    watch.note(tenant.id, location, new Date(`${date}T12:20:00+07:00`));
    await watch.tick(new Date(`${date}T13:02:00+07:00`));
    const { data, errors } = await call(ANOMALIES, { id: location, from: date, to: date });
    expect(errors).toBeUndefined();
    const found = data!.location.anomalies;
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ kind: 'hourly_pattern', severity: 'warning', businessDate: date, hour: 12 });
    expect(found[0].reason).toContain('MoMo');
    expect(JSON.parse(found[0].details).feature).toBe('momo_share');
  });

  it('runs the night for every location it serves', async () => {
    await cell.ownerQuery(tenant.id, `UPDATE recommendations SET status = 'dismissed', decided_at = now() WHERE status = 'pending'`);
    await cell.ownerQuery(tenant.id, `DELETE FROM recommendations`).catch(() => undefined);
    const nightly = cell.running.app.get(NightlyInsights);
    const jobs = await nightly.runNight(new Date(`${today}T00:00:30+07:00`));
    expect(jobs).toContainEqual({ tenantId: tenant.id, locationId: location, date: today });
    await expect
      .poll(
        async () =>
          (
            await cell.ownerQuery(
              tenant.id,
              `SELECT count(*)::int AS n FROM demand_forecasts WHERE generated_at > now() - interval '1 minute'`,
            )
          )[0].n,
        { timeout: 60_000, interval: 500 },
      )
      .toBe(4 * 14);
    // A cell that starts after midnight catches up only where today's forecast is missing.
    const now = new Date();
    const ours = (jobs: RefreshJob[]) => jobs.filter((job) => job.tenantId === tenant.id);
    expect(ours(await nightly.catchUp(now))).toEqual([]);
    await cell.ownerQuery(tenant.id, `UPDATE demand_forecasts SET generated_at = now() - interval '2 days'`);
    expect(ours(await nightly.catchUp(now))).toEqual([
      { tenantId: tenant.id, locationId: location, date: localDateHour(now).businessDate },
    ]);
    await expect
      .poll(
        async () =>
          (
            await cell.ownerQuery(
              tenant.id,
              `SELECT count(*)::int AS n FROM demand_forecasts WHERE generated_at > now() - interval '1 minute'`,
            )
          )[0].n,
        { timeout: 60_000, interval: 500 },
      )
      .toBe(4 * 14);
  }, 90_000);

  it('keeps the dashboards and the last forecast when the model server is down, fails fast, and recovers', async () => {
    await proxy.cut();
    const refused = await call(REFRESH, { id: location });
    expect(refused.errors![0]!.extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', reason: 'MODELS_UNAVAILABLE' });
    const stillThere = await call(`query($id: ID!) { location(id: $id) { todayRevenue forecast(days: 3) { itemId expected } } }`, {
      id: location,
    });
    expect(stillThere.errors).toBeUndefined();
    expect(stillThere.data!.location.forecast).toHaveLength(4 * 3);
    // The breaker opens after two failures: the next call fails without waiting for a connection.
    await call(REFRESH, { id: location });
    const metrics = await (await fetch(`${cell.url}/metrics`)).text();
    expect(metrics).toMatch(
      /cell_model_inference_duration_seconds_count\{[^}]*model="demand-forecast",outcome="circuit_open"[^}]*\} [1-9]/,
    );
    await proxy.open();
    await expect.poll(async () => (await call(REFRESH, { id: location })).errors, { timeout: 20_000, interval: 500 }).toBeUndefined();
  }, 60_000);

  it('refuses hostile input, naming the field, and other tenants’ or roles’ access', async () => {
    const expectInput = async (query: string, variables: Record<string, unknown>, field: string, token = owner) => {
      const { errors } = await call(query, variables, token);
      expect(errors?.[0]?.extensions).toMatchObject({ field });
    };
    await expectInput(INSIGHTS, { id: location, days: 0 }, 'days');
    await expectInput(INSIGHTS, { id: location, days: 15 }, 'days');
    await expectInput(INSIGHTS, { id: location, status: 'maybe' }, 'status');
    await expectInput(DISMISS, { id: 'not-a-uuid' }, 'id');
    await expectInput(DISMISS, { id: randomUUID(), reason: 'x'.repeat(501) }, 'reason');
    await expectInput(ANOMALIES, { id: location, from: today, to: addDays(today, -1) }, 'to');
    await expectInput(ANOMALIES, { id: location, from: addDays(today, -200), to: today }, 'to');
    const negative = await call(PRICING, { id: location, prices: [{ itemId: items.pho.id, price: -1 }] });
    expect(negative.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(negative.errors![0]!.message).toContain('prices[0].price');
    await expectInput(PRICING, { id: location, prices: [{ itemId: 'x', price: 1 }] }, 'competitorPrices[0].itemId');
    await expectInput(REFRESH, { id: 'x' }, 'locationId');
    const missing = await call(APPROVE, { id: randomUUID() });
    expect(missing.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND', reason: 'RECOMMENDATION_NOT_FOUND' });

    const staff = await cell.token({ tid: tenant.id, role: 'staff' });
    const asStaff = await call(INSIGHTS, { id: location }, staff);
    expect(asStaff.errors![0]!.extensions.code).toBe('FORBIDDEN');
    expect(
      (await call(`query($id: ID!) { location(id: $id) { forecast(days: 2) { itemId } } }`, { id: location }, staff)).errors,
    ).toBeUndefined();

    const other = await cell.factories.newTenant('insights-other');
    const otherToken = await cell.token({ tid: other.id });
    const [rec] = await cell.ownerQuery(tenant.id, `SELECT id FROM recommendations LIMIT 1`);
    const crossed = await cell.gql(APPROVE, { id: rec.id }, { token: otherToken, tenant: other.slug });
    expect(crossed.errors![0]!.extensions.code).toBe('NOT_FOUND');
  });
});

/** With Redis: the nightly run is a BullMQ job scheduler at 00:00 Vietnam time, and a queue of refreshes. */
describe('nightly insights on BullMQ', () => {
  let cell: TestCell;

  beforeAll(async () => {
    cell = await TestCell.start({
      REDIS_URL,
      REDIS_KEY_PREFIX: `test-${randomUUID().slice(0, 8)}:`,
      INSIGHTS_NIGHTLY: 'true',
      INSIGHTS_SPREAD_MINUTES: '0',
    });
  });

  afterAll(async () => {
    await cell?.stop();
  });

  it('registers one scheduler at local midnight and refreshes every served location from the queue', async () => {
    const tenant = await cell.factories.newTenant('nightly-bullmq');
    const location = await cell.factories.newLocation(tenant);
    const category = await cell.factories.newCategory(tenant);
    const items = {
      pho: await cell.factories.newMenuItem(tenant, { name: 'Phở gà', price: 50_000, categoryId: category }),
      nem: await cell.factories.newMenuItem(tenant, { name: 'Nem', price: 30_000, categoryId: category }),
      tra: await cell.factories.newMenuItem(tenant, { name: 'Trà đá', price: 5_000, categoryId: category }),
      che: await cell.factories.newMenuItem(tenant, { name: 'Chè', price: 20_000, categoryId: category }),
    };
    const today = localDateHour(new Date()).businessDate;
    await cell.factories.salesHistory(tenant, location, history(today, items, 3));
    const nightly = cell.running.app.get(NightlyInsights);
    expect(await nightly.scheduler()).toMatchObject({ pattern: '0 0 * * *', tz: 'Asia/Ho_Chi_Minh' });
    await nightly.runNight();
    await expect
      .poll(
        async () =>
          (
            await cell.ownerQuery(tenant.id, `SELECT count(*)::int AS n FROM recommendations WHERE kind = 'prep' AND for_date = $1`, [
              today,
            ])
          )[0].n,
        { timeout: 60_000, interval: 500 },
      )
      .toBe(1);
    expect((await cell.ownerQuery(tenant.id, `SELECT count(*)::int AS n FROM demand_forecasts`))[0].n).toBe(4 * 14);
    // The night's job of today is kept as done; a catch-up after a lost forecast still runs.
    await cell.ownerQuery(tenant.id, `UPDATE demand_forecasts SET generated_at = now() - interval '2 days'`);
    const caught = (await nightly.catchUp()).filter((job) => job.tenantId === tenant.id);
    expect(caught).toEqual([{ tenantId: tenant.id, locationId: location, date: today }]);
    await expect
      .poll(
        async () =>
          (
            await cell.ownerQuery(
              tenant.id,
              `SELECT count(*)::int AS n FROM demand_forecasts WHERE generated_at > now() - interval '1 minute'`,
            )
          )[0].n,
        { timeout: 60_000, interval: 500 },
      )
      .toBe(4 * 14);
  }, 120_000);
});
