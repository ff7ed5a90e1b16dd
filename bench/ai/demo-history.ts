// The history the AI bench measures on: the demo tenants' sales from the same generator and
// seed as `make seed-demo`, stretched to 26 months so that last year's Tết is in the training
// data of this year's, as daily quantities per item of each demo location.
import { addDays, DEMO_TENANTS } from '@localstore/common';
import { cellDemoModel } from '../lib/compiled';

export const HISTORY_MONTHS = 26;
/** The last day of the history. */
export const END = '2026-05-31';

/** One demo location's series: its items, each item's quantity by date, and the last four weeks' order lines. */
export interface LocationSeries {
  name: string;
  items: { id: string; category: string }[];
  /** Item id → date → quantity sold. */
  byItem: Map<string, Map<string, number>>;
  /** The first date with a sale. */
  first: string | null;
  /** The last four weeks' order lines, as the cell sends them to the recommender: order number and item index per line. */
  basket: { orders: number[]; items: number[] };
}

/** Daily quantity per item of each demo location, from the demo generator (voids left out). */
export function demoSeries(): LocationSeries[] {
  const { DemandModel } = cellDemoModel();
  const locations: LocationSeries[] = [];
  for (const tenant of DEMO_TENANTS) {
    const model = new DemandModel({
      tenant: { ...tenant, months: HISTORY_MONTHS },
      seed: 1,
      scale: 1,
      end: new Date(`${END}T23:00:00+07:00`),
    });
    const items = model.menu.items.map((item) => ({ id: item.id, category: item.categoryId }));
    for (const location of tenant.locations) {
      const byItem = new Map(items.map((item) => [item.id, new Map<string, number>()]));
      const index = new Map(items.map((item, i) => [item.id, i]));
      const basket: LocationSeries['basket'] = { orders: [], items: [] };
      const basketFrom = addDays(END, -27);
      let first: string | null = null;
      let orderNo = 0;
      for (let date = model.calendar.firstDate; date <= END; date = addDays(date, 1)) {
        for (const order of model.ordersOfDay(location, date)) {
          if (order.void) continue;
          first ??= date;
          orderNo++;
          for (const line of order.priced.lines) {
            const days = byItem.get(line.itemId)!;
            days.set(date, (days.get(date) ?? 0) + line.quantity);
            if (date >= basketFrom) {
              basket.orders.push(orderNo);
              basket.items.push(index.get(line.itemId)!);
            }
          }
        }
      }
      locations.push({ name: location.name, items, byItem, first, basket });
    }
  }
  return locations;
}
