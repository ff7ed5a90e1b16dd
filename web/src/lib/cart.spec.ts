import type { MenuItem } from './api/operations';
import { addToCart, changeQuantity, saleOf, subtotalOf } from './cart';

const pho: MenuItem = {
  id: 'pho',
  name: 'Phở bò',
  price: 55_000,
  active: true,
  sortOrder: 0,
  modifiers: [
    { id: 'extra', name: 'Thêm thịt', priceDelta: 15_000 },
    { id: 'egg', name: 'Trứng', priceDelta: 5_000 },
  ],
};

describe('the order being entered', () => {
  it('the same dish with the same options is one line whatever the order of the options', () => {
    let lines = addToCart([], pho, [pho.modifiers[0]!, pho.modifiers[1]!]);
    lines = addToCart(lines, pho, [pho.modifiers[1]!, pho.modifiers[0]!]);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.quantity).toBe(2);
    expect(subtotalOf(lines)).toBe(2 * 75_000);
  });
  it('taking the last one away removes the line', () => {
    const lines = addToCart([], pho, []);
    expect(changeQuantity(lines, lines[0]!.key, -1)).toEqual([]);
  });
  it('a sale carries a new id, its lines with modifier ids, and when it happened', () => {
    const at = new Date('2026-12-03T05:00:00Z');
    const sale = saleOf(addToCart([], pho, [pho.modifiers[0]!]), 'loc', 5_000, 'MOMO', at);
    expect(sale.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(sale).toMatchObject({
      locationId: 'loc',
      discount: 5_000,
      paymentMethod: 'MOMO',
      occurredAt: '2026-12-03T05:00:00.000Z',
      items: [{ itemId: 'pho', quantity: 1, modifiers: ['extra'] }],
    });
    expect(saleOf([], 'loc', 0, 'CASH', at).id).not.toBe(sale.id);
  });
});
