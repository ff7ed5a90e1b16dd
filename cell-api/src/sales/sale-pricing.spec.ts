import { priceSale, type MenuFacts } from './sale-pricing';
import { SaleException } from './sale.exception';

const PHO = '11111111-1111-4111-8111-111111111111';
const TRA = '22222222-2222-4222-8222-222222222222';
const EXTRA = '33333333-3333-4333-8333-333333333333';

const menu = (): MenuFacts => ({
  items: new Map([
    [PHO, { name: 'Phở bò', price: 55_000, active: true }],
    [TRA, { name: 'Trà đá', price: 5_000, active: false }],
  ]),
  modifiers: new Map([[EXTRA, { itemId: PHO, name: 'Thêm thịt', priceDelta: 15_000 }]]),
});

const reasonOf = (work: () => unknown) => {
  try {
    work();
    return 'priced';
  } catch (error) {
    return error instanceof SaleException ? `${error.code}@${error.field}` : 'crashed';
  }
};

describe('pricing a sale', () => {
  it('adds modifiers to the unit price and subtracts the discount from the total', () => {
    const sale = priceSale([{ itemId: PHO, quantity: 3, modifiers: [EXTRA] }], 10_000, menu());
    expect(sale).toMatchObject({ subtotal: 210_000, discount: 10_000, total: 200_000, itemCount: 3 });
    expect(sale.lines[0]).toMatchObject({ lineNo: 1, unitPrice: 70_000, lineTotal: 210_000, name: 'Phở bò' });
  });

  it('names the line that is wrong', () => {
    expect(
      reasonOf(() =>
        priceSale(
          [
            { itemId: PHO, quantity: 1, modifiers: [] },
            { itemId: TRA, quantity: 1, modifiers: [] },
          ],
          0,
          menu(),
        ),
      ),
    ).toBe('ITEM_ARCHIVED@input.items[1].itemId');
    expect(reasonOf(() => priceSale([{ itemId: TRA, quantity: 1, modifiers: [EXTRA] }], 0, menu()))).toBe(
      'ITEM_ARCHIVED@input.items[0].itemId',
    );
    expect(reasonOf(() => priceSale([{ itemId: PHO, quantity: 1, modifiers: [TRA] }], 0, menu()))).toBe(
      'MODIFIER_NOT_FOR_ITEM@input.items[0].modifiers[0]',
    );
    expect(reasonOf(() => priceSale([{ itemId: PHO, quantity: 1, modifiers: [] }], 55_001, menu()))).toBe(
      'DISCOUNT_EXCEEDS_SUBTOTAL@input.discount',
    );
  });

  it('stops at 10^12 đồng per line and per order', () => {
    const rich = menu();
    rich.items.set(PHO, { name: 'Yến sào', price: 600_000_000_000, active: true });
    expect(reasonOf(() => priceSale([{ itemId: PHO, quantity: 2, modifiers: [] }], 0, rich))).toBe(
      'AMOUNT_TOO_LARGE@input.items[0].quantity',
    );
    expect(
      reasonOf(() =>
        priceSale(
          [
            { itemId: PHO, quantity: 1, modifiers: [] },
            { itemId: PHO, quantity: 1, modifiers: [] },
          ],
          0,
          rich,
        ),
      ),
    ).toBe('AMOUNT_TOO_LARGE@input.items');
  });
});
