// The sales the bench records: a deterministic mix, so every run sends the same sales.
import { randomUUID } from 'node:crypto';
import type { MenuItem } from '../bench-tenant';

/** What `recordSale` takes. */
export interface SaleInput {
  id: string;
  locationId: string;
  items: { itemId: string; quantity: number; modifiers: never[] }[];
  channel: 'DINE_IN' | 'TAKEAWAY';
  paymentMethod: string;
  discount: number;
}

/** A deterministic generator, so every run sends the same mix of sales. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A realistic counter sale: 1–3 different dishes, mostly cash or MoMo, mostly eaten in. */
export function saleFactory(menu: MenuItem[], seed: number): (locationId: string) => SaleInput {
  const random = mulberry32(seed);
  const methods: [method: string, weight: number][] = [
    ['CASH', 0.5],
    ['MOMO', 0.25],
    ['ZALOPAY', 0.1],
    ['VNPAY', 0.1],
    ['CARD', 0.05],
  ];
  const pickMethod = () => {
    let r = random();
    for (const [method, weight] of methods) if ((r -= weight) < 0) return method;
    return 'CASH';
  };
  return (locationId) => {
    const lines = 1 + Math.floor(random() * 3);
    const chosen = new Set<string>();
    while (chosen.size < Math.min(lines, menu.length)) chosen.add(menu[Math.floor(random() * menu.length)]!.id);
    return {
      id: randomUUID(),
      locationId,
      items: [...chosen].map((itemId) => ({ itemId, quantity: 1 + Math.floor(random() * 2), modifiers: [] })),
      channel: random() < 0.8 ? 'DINE_IN' : 'TAKEAWAY',
      paymentMethod: pickMethod(),
      discount: 0,
    };
  };
}
