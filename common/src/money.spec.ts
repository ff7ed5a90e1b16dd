import { formatDong, isDongAmount, MAX_ORDER_AMOUNT_DONG } from './money';

describe('money in đồng', () => {
  it('formats amounts the Vietnamese way', () => {
    expect(formatDong(50_000)).toBe('50.000 ₫');
    expect(formatDong(1_250_000)).toBe('1.250.000 ₫');
  });

  it('accepts only whole, non-negative amounts up to the order limit', () => {
    expect(isDongAmount(0)).toBe(true);
    expect(isDongAmount(MAX_ORDER_AMOUNT_DONG)).toBe(true);
    expect(isDongAmount(MAX_ORDER_AMOUNT_DONG + 1)).toBe(false);
    expect(isDongAmount(-1)).toBe(false);
    expect(isDongAmount(1.5)).toBe(false);
    expect(isDongAmount('50000')).toBe(false);
    expect(isDongAmount(Number.NaN)).toBe(false);
  });
});
