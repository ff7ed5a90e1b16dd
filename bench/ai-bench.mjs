// `make bench-ai`: how good the demand forecast is, and how fast the models answer, on the
// demo data, through the real model server over gRPC (the cell's own client).
//
// The demo tenants' sales come from the same generator and seed as `make seed-demo`,
// stretched to 26 months so that last year's Tết is in the training data of this year's.
// For every item of every demo location, the model is trained up to a cut-off and
// forecasts the following 28 days, twice: a window of ordinary days, and one that spans
// Tết. Printed: MASE (scaled by the in-sample error of same-weekday-last-week) of the
// model and of the seasonal-naive forecast itself, the ratio, and how often the 80 %
// intervals hold the actual quantity. Then ModelInfer p50/p95 of a recommendation call,
// and the time to forecast 100 items × 1 location with two years of history.
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const ROOT = new URL('..', import.meta.url).pathname;
const CELL_DIST = join(ROOT, 'cell-api/dist');
const { addDays, DEMO_TENANTS, TET_FIRST_DAY } = require('@localstore/common');
const { DemandModel } = require(join(CELL_DIST, 'scripts/demo-data/demand-model.js'));
const { InferenceClient } = require(join(CELL_DIST, 'src/integrations/inference/inference-client.js'));
const { tensors } = require(join(CELL_DIST, 'src/integrations/inference/tensors.js'));
const pino = require('pino');

const ADDRESS = process.env.MODEL_SERVER_ADDRESS ?? `127.0.0.1:${process.env.LOCALSTORE_MODEL_GRPC_PORT ?? '58081'}`;
const HORIZON = 28;
const HISTORY_MONTHS = 26;
const END = '2026-05-31';
const TET = TET_FIRST_DAY[2026];
const WINDOWS = [
  { name: 'ordinary days', cutoff: addDays(END, -HORIZON + 1) },
  { name: 'Tết 2026 window', cutoff: addDays(TET, -14) },
];
const client = new InferenceClient(
  { address: ADDRESS, attempts: 3, backoffMs: 200, breakerFailures: 1000, breakerOpenMs: 1000, maxMessageBytes: 64 * 1024 * 1024 },
  pino({ level: 'silent' }),
);

/** Daily quantity per item of each demo location, from the demo generator (voids left out). */
function demoSeries() {
  const locations = [];
  for (const tenant of DEMO_TENANTS) {
    const model = new DemandModel({
      tenant: { ...tenant, months: HISTORY_MONTHS },
      seed: 1,
      scale: 1,
      end: new Date(`${END}T23:00:00+07:00`),
    });
    const items = model.menu.items.map((item) => ({ id: item.id, category: item.categoryId }));
    for (const location of tenant.locations) {
      const byItem = new Map(items.map((item) => [item.id, new Map()]));
      const index = new Map(items.map((item, i) => [item.id, i]));
      // The last four weeks' order lines, as the cell sends them to the recommender.
      const basket = { orders: [], items: [] };
      const basketFrom = addDays(END, -27);
      let first = null;
      let orderNo = 0;
      for (let date = model.calendar.firstDate; date <= END; date = addDays(date, 1)) {
        for (const order of model.ordersOfDay(location, date)) {
          if (order.void) continue;
          first ??= date;
          orderNo++;
          for (const line of order.priced.lines) {
            const days = byItem.get(line.itemId);
            days.set(date, (days.get(date) ?? 0) + line.quantity);
            if (date >= basketFrom) {
              basket.orders.push(orderNo);
              basket.items.push(index.get(line.itemId));
            }
          }
        }
      }
      locations.push({ name: location.name, items, byItem, first, basket });
    }
  }
  return locations;
}

async function forecast(location, cutoff, horizon = HORIZON) {
  const index = new Map(location.items.map((item, i) => [item.id, i]));
  const rows = [];
  for (const [itemId, days] of location.byItem)
    for (const [date, quantity] of days) if (date < cutoff) rows.push([index.get(itemId), date, quantity]);
  const started = performance.now();
  const out = await client.infer(
    'demand-forecast',
    [
      tensors.text(
        'item_id',
        location.items.map((i) => i.id),
      ),
      tensors.text(
        'item_category',
        location.items.map((i) => i.category),
      ),
      tensors.int32(
        'history_item',
        rows.map((r) => r[0]),
      ),
      tensors.text(
        'history_date',
        rows.map((r) => r[1]),
      ),
      tensors.fp64(
        'history_quantity',
        rows.map((r) => r[2]),
      ),
      tensors.text('history_start', [location.first]),
      tensors.text('forecast_start', [cutoff]),
      tensors.int32('horizon_days', [horizon]),
    ],
    900_000,
  );
  const seconds = (performance.now() - started) / 1000;
  const [items, dates, expected, low, high, method, holiday] = [
    out.text('forecast_item'),
    out.text('forecast_date'),
    out.numbers('expected'),
    out.numbers('low'),
    out.numbers('high'),
    out.text('method'),
    out.text('holiday'),
  ];
  const byItem = new Map();
  items.forEach((item, n) => {
    if (!byItem.has(item)) byItem.set(item, []);
    byItem.get(item).push({ date: dates[n], expected: expected[n], low: low[n], high: high[n], method: method[n], holiday: holiday[n] });
  });
  return { byItem, seconds };
}

function evaluate(locations, forecasts, cutoff) {
  let modelMase = 0,
    naiveMase = 0,
    counted = 0,
    inside = 0,
    points = 0,
    holidayInside = 0,
    holidayPoints = 0;
  locations.forEach((location, l) => {
    for (const item of location.items) {
      const days = location.byItem.get(item.id);
      const q = (date) => days.get(date) ?? 0;
      const train = [];
      for (let date = location.first; date < cutoff; date = addDays(date, 1)) train.push(q(date));
      if (train.length < 60 || train.reduce((a, b) => a + b, 0) === 0) continue;
      let scale = 0;
      for (let t = 7; t < train.length; t++) scale += Math.abs(train[t] - train[t - 7]);
      scale /= train.length - 7;
      if (scale === 0) continue;
      const predicted = forecasts[l].byItem.get(item.id);
      let modelError = 0,
        naiveError = 0;
      predicted.forEach((p, h) => {
        const actual = q(p.date);
        modelError += Math.abs(actual - p.expected);
        naiveError += Math.abs(actual - train[train.length - 7 + (h % 7)]);
        const covered = actual >= p.low - 1e-9 && actual <= p.high + 1e-9 ? 1 : 0;
        inside += covered;
        points++;
        if (p.holiday) {
          holidayInside += covered;
          holidayPoints++;
        }
      });
      modelMase += modelError / predicted.length / scale;
      naiveMase += naiveError / predicted.length / scale;
      counted++;
    }
  });
  return {
    items: counted,
    model: modelMase / counted,
    naive: naiveMase / counted,
    coverage: inside / points,
    holidayCoverage: holidayPoints ? holidayInside / holidayPoints : null,
    holidayShare: holidayPoints / points,
  };
}

const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];

async function recommendationLatency(location) {
  const items = location.items;
  const sold = (item, from, to) => {
    let total = 0;
    for (const [date, quantity] of location.byItem.get(item.id)) if (date >= from && date <= to) total += quantity;
    return total;
  };
  const inputs = [
    tensors.text(
      'item_id',
      items.map((i) => i.id),
    ),
    tensors.text(
      'item_name',
      items.map((_, n) => `Món ${n}`),
    ),
    tensors.int64(
      'item_price',
      items.map(() => 45_000),
    ),
    tensors.fp64(
      'forecast_expected',
      items.map(() => 20),
    ),
    tensors.fp64(
      'forecast_high',
      items.map(() => 26),
    ),
    tensors.fp64(
      'recent_quantity',
      items.map((item) => sold(item, addDays(END, -27), END)),
    ),
    tensors.fp64(
      'previous_quantity',
      items.map((item) => sold(item, addDays(END, -55), addDays(END, -28))),
    ),
    tensors.int64('basket_order', location.basket.orders),
    tensors.int32('basket_item', location.basket.items),
    tensors.text('for_date', [END]),
  ];
  const times = [];
  for (let n = 0; n < 220; n++) {
    const started = performance.now();
    await client.infer('recommender', inputs, 10_000);
    if (n >= 20) times.push(performance.now() - started);
  }
  return {
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    lines: location.basket.orders.length,
    orders: new Set(location.basket.orders).size,
    items: items.length,
  };
}

async function hundredItems(location) {
  // 100 item series from the location's own: each a thinned copy of one of its items.
  const base = location.items.filter((item) => location.byItem.get(item.id).size > 300);
  const items = [];
  const byItem = new Map();
  for (let n = 0; n < 100; n++) {
    const source = base[n % base.length];
    const id = `item-${n}`;
    const share = 0.5 + ((n * 37) % 50) / 100;
    byItem.set(id, new Map([...location.byItem.get(source.id)].map(([date, q]) => [date, Math.round(q * share)])));
    items.push({ id, category: source.category });
  }
  const first = addDays(END, -729);
  const restricted = new Map([...byItem].map(([id, days]) => [id, new Map([...days].filter(([date]) => date >= first))]));
  return forecast({ name: '100 items', items, byItem: restricted, first }, addDays(END, 1), 14);
}

const started = performance.now();
const locations = demoSeries();
console.log(
  `[ai] demo history: ${locations.length} locations, ${HISTORY_MONTHS} months to ${END}, generated in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
for (const window of WINDOWS) {
  const forecasts = [];
  let seconds = 0;
  for (const location of locations) {
    const result = await forecast(location, window.cutoff);
    forecasts.push(result);
    seconds += result.seconds;
  }
  const score = evaluate(locations, forecasts, window.cutoff);
  const methods = {};
  for (const f of forecasts) for (const days of f.byItem.values()) methods[days[0].method] = (methods[days[0].method] ?? 0) + 1;
  console.log(
    `[ai] ${window.name} (cut-off ${window.cutoff}, ${HORIZON} days, ${score.items} items): MASE model ${score.model.toFixed(3)}, seasonal naive ${score.naive.toFixed(3)}, ` +
      `ratio ${(score.model / score.naive).toFixed(3)} (${((1 - score.model / score.naive) * 100).toFixed(1)} % better); 80 % interval coverage ${(score.coverage * 100).toFixed(1)} %` +
      (score.holidayCoverage === null
        ? '; '
        : ` (on the ${(score.holidayShare * 100).toFixed(0)} % of days marked as holidays: ${(score.holidayCoverage * 100).toFixed(1)} %); `) +
      `methods ${JSON.stringify(methods)}; ${seconds.toFixed(1)} s of forecasting`,
  );
}
const busiest = locations[0];
const latency = await recommendationLatency(busiest);
console.log(
  `[ai] recommender ModelInfer (${latency.items} items, the last 28 days: ${latency.orders} orders, ${latency.lines} order lines): p50 ${latency.p50.toFixed(1)} ms, p95 ${latency.p95.toFixed(1)} ms (target p95 < 30 ms)`,
);
const hundred = await hundredItems(busiest);
console.log(`[ai] forecast 100 items × 1 location, 2 years of history, 14 days: ${hundred.seconds.toFixed(1)} s`);
client.close();
