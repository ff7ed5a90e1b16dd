import { MAX_ORDER_AMOUNT_DONG } from '@localstore/common';
import { SaleErrorCode, SaleException } from './sale.exception';
import type { SaleItemInput } from './sale.types';

export interface MenuFacts {
  items: Map<string, { name: string; price: number; active: boolean }>;
  modifiers: Map<string, { itemId: string; name: string; priceDelta: number }>;
}

export interface PricedLine {
  lineNo: number;
  itemId: string;
  name: string;
  quantity: number;
  unitPrice: number;
  modifiers: { id: string; name: string; priceDelta: number }[];
  lineTotal: number;
}

export interface PricedSale {
  lines: PricedLine[];
  subtotal: number;
  discount: number;
  total: number;
  itemCount: number;
}

/**
 * Prices a sale from the menu as it is now: unit price is the item's price plus its
 * modifiers', every amount stays within the order limit, and the discount cannot exceed
 * the subtotal. Pure, so the arithmetic is tested on its own.
 */
export function priceSale(items: SaleItemInput[], discount: number, menu: MenuFacts): PricedSale {
  let subtotal = 0;
  let itemCount = 0;
  const lines = items.map((line, index): PricedLine => {
    const field = `input.items[${index}]`;
    const item = menu.items.get(line.itemId);
    if (!item) throw new SaleException(SaleErrorCode.ITEM_NOT_IN_MENU, `${field}.itemId`);
    if (!item.active) throw new SaleException(SaleErrorCode.ITEM_ARCHIVED, `${field}.itemId`);
    const modifiers = line.modifiers.map((modifierId, m) => {
      const modifier = menu.modifiers.get(modifierId);
      if (!modifier || modifier.itemId !== line.itemId) {
        throw new SaleException(SaleErrorCode.MODIFIER_NOT_FOR_ITEM, `${field}.modifiers[${m}]`);
      }
      return { id: modifierId, name: modifier.name, priceDelta: modifier.priceDelta };
    });
    const unitPrice = modifiers.reduce((sum, m) => sum + m.priceDelta, item.price);
    const lineTotal = unitPrice * line.quantity;
    if (unitPrice > MAX_ORDER_AMOUNT_DONG || lineTotal > MAX_ORDER_AMOUNT_DONG) {
      throw new SaleException(SaleErrorCode.AMOUNT_TOO_LARGE, `${field}.quantity`);
    }
    subtotal += lineTotal;
    if (subtotal > MAX_ORDER_AMOUNT_DONG) throw new SaleException(SaleErrorCode.AMOUNT_TOO_LARGE, 'input.items');
    itemCount += line.quantity;
    return { lineNo: index + 1, itemId: line.itemId, name: item.name, quantity: line.quantity, unitPrice, modifiers, lineTotal };
  });
  if (discount > subtotal) throw new SaleException(SaleErrorCode.DISCOUNT_EXCEEDS_SUBTOTAL, 'input.discount');
  return { lines, subtotal, discount, total: subtotal - discount, itemCount };
}
