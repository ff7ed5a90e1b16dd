// Forecast accuracy and speed: the demand-forecast model through the real model server,
// trained up to a cut-off and asked for the following days; scored by MASE (scaled by the
// in-sample error of same-weekday-last-week) against the seasonal-naive forecast, and by how
// often the 80 % intervals hold the actual quantity. Also the time to forecast 100 items of
// one location with two years of history.
import { addDays } from '@localstore/common';
import { cellInference, cellTensors } from '../lib/compiled';
import { END, type LocationSeries } from './demo-history';

export const HORIZON = 28;

/** The cell's own gRPC client of the model server, from its build. */
export type InferenceClient = InstanceType<ReturnType<typeof cellInference>['InferenceClient']>;

/** One forecast day of an item. */
interface ForecastDay {
  date: string;
  expected: number;
  low: number;
  high: number;
  method: string;
  holiday: string;
}

export interface Forecast {
  byItem: Map<string, ForecastDay[]>;
  seconds: number;
}

export interface ForecastScore {
  items: number;
  model: number;
  naive: number;
  coverage: number;
  holidayCoverage: number | null;
  holidayShare: number;
}

/** One location's forecast from `cutoff` on, `horizon` days, from the history before the cut-off. */
export async function forecast(client: InferenceClient, location: LocationSeries, cutoff: string, horizon = HORIZON): Promise<Forecast> {
  const { tensors } = cellTensors();
  const index = new Map(location.items.map((item, i) => [item.id, i]));
  const rows: [number, string, number][] = [];
  for (const [itemId, days] of location.byItem)
    for (const [date, quantity] of days) if (date < cutoff) rows.push([index.get(itemId)!, date, quantity]);
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
      tensors.text('history_start', [location.first!]),
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
  const byItem = new Map<string, ForecastDay[]>();
  items.forEach((item, n) => {
    if (!byItem.has(item)) byItem.set(item, []);
    byItem.get(item)!.push({ date: dates[n]!, expected: expected[n]!, low: low[n]!, high: high[n]!, method: method[n]!, holiday: holiday[n]! });
  });
  return { byItem, seconds };
}

/** MASE of the model and of the seasonal-naive forecast, and the intervals' coverage, over every item with enough history. */
export function evaluate(locations: LocationSeries[], forecasts: Forecast[], cutoff: string): ForecastScore {
  let modelMase = 0,
    naiveMase = 0,
    counted = 0,
    inside = 0,
    points = 0,
    holidayInside = 0,
    holidayPoints = 0;
  locations.forEach((location, l) => {
    for (const item of location.items) {
      const days = location.byItem.get(item.id)!;
      const q = (date: string) => days.get(date) ?? 0;
      const train: number[] = [];
      for (let date = location.first!; date < cutoff; date = addDays(date, 1)) train.push(q(date));
      if (train.length < 60 || train.reduce((a, b) => a + b, 0) === 0) continue;
      let scale = 0;
      for (let t = 7; t < train.length; t++) scale += Math.abs(train[t]! - train[t - 7]!);
      scale /= train.length - 7;
      if (scale === 0) continue;
      const predicted = forecasts[l]!.byItem.get(item.id)!;
      let modelError = 0,
        naiveError = 0;
      predicted.forEach((p, h) => {
        const actual = q(p.date);
        modelError += Math.abs(actual - p.expected);
        naiveError += Math.abs(actual - train[train.length - 7 + (h % 7)]!);
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

/** 100 item series from the location's own, each a thinned copy of one of its items, with two years of history: 14 days forecast. */
export async function hundredItems(client: InferenceClient, location: LocationSeries): Promise<Forecast> {
  const base = location.items.filter((item) => location.byItem.get(item.id)!.size > 300);
  const items: LocationSeries['items'] = [];
  const byItem = new Map<string, Map<string, number>>();
  for (let n = 0; n < 100; n++) {
    const source = base[n % base.length]!;
    const id = `item-${n}`;
    const share = 0.5 + ((n * 37) % 50) / 100;
    byItem.set(id, new Map([...location.byItem.get(source.id)!].map(([date, q]) => [date, Math.round(q * share)])));
    items.push({ id, category: source.category });
  }
  const first = addDays(END, -729);
  const restricted = new Map([...byItem].map(([id, days]) => [id, new Map([...days].filter(([date]) => date >= first))]));
  return forecast(client, { name: '100 items', items, byItem: restricted, first, basket: { orders: [], items: [] } }, addDays(END, 1), 14);
}
