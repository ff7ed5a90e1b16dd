import type { MenuItem, MenuModifier, PaymentMethod, SaleInput } from './api/operations';

export interface CartLine {
  /** Same dish with the same options is one line. */
  key: string;
  item: MenuItem;
  modifiers: MenuModifier[];
  quantity: number;
}

export const lineKey = (item: MenuItem, modifiers: MenuModifier[]) => [item.id, ...modifiers.map((m) => m.id).sort()].join('+');
export const unitPrice = (line: Pick<CartLine, 'item' | 'modifiers'>) =>
  line.item.price + line.modifiers.reduce((sum, m) => sum + m.priceDelta, 0);
export const subtotalOf = (lines: readonly CartLine[]) => lines.reduce((sum, line) => sum + unitPrice(line) * line.quantity, 0);

export function addToCart(lines: readonly CartLine[], item: MenuItem, modifiers: MenuModifier[], quantity = 1): CartLine[] {
  const key = lineKey(item, modifiers);
  if (lines.some((l) => l.key === key)) return lines.map((l) => (l.key === key ? { ...l, quantity: l.quantity + quantity } : l));
  return [...lines, { key, item, modifiers, quantity }];
}

export function changeQuantity(lines: readonly CartLine[], key: string, by: number): CartLine[] {
  return lines.map((l) => (l.key === key ? { ...l, quantity: l.quantity + by } : l)).filter((l) => l.quantity > 0);
}

/** The sale as the cell records it; the id is chosen here, so sending it twice records it once. */
export function saleOf(
  lines: readonly CartLine[],
  locationId: string,
  discount: number,
  paymentMethod: PaymentMethod,
  at: Date,
): SaleInput {
  return {
    id: crypto.randomUUID(),
    locationId,
    items: lines.map((l) => ({ itemId: l.item.id, quantity: l.quantity, modifiers: l.modifiers.map((m) => m.id) })),
    discount,
    paymentMethod,
    channel: 'DINE_IN',
    occurredAt: at.toISOString(),
  };
}
