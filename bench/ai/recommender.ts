// Recommender latency: ModelInfer p50/p95 of a recommendation call for the busiest demo
// location (its menu, the last four weeks' order lines), 20 calls unmeasured then 200.
import { addDays } from '@localstore/common';
import { cellTensors } from '../lib/compiled';
import { END, type LocationSeries } from './demo-history';
import type { InferenceClient } from './forecast';

/**
 * The index `floor(p% × n)` of the sorted values: this bench's own percentile since it was
 * first written, kept so that its figures compare with the earlier runs (bench/lib/measure.ts
 * takes the nearest rank: the same place or the one below).
 */
const percentile = (values: number[], p: number): number =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!;

export interface RecommenderLatency {
  p50: number;
  p95: number;
  lines: number;
  orders: number;
  items: number;
}

export async function recommendationLatency(client: InferenceClient, location: LocationSeries): Promise<RecommenderLatency> {
  const { tensors } = cellTensors();
  const items = location.items;
  const sold = (item: { id: string }, from: string, to: string) => {
    let total = 0;
    for (const [date, quantity] of location.byItem.get(item.id)!) if (date >= from && date <= to) total += quantity;
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
  const times: number[] = [];
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
