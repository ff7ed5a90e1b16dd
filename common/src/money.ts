/**
 * Money is an integer number of Vietnamese đồng, never a float. The largest amount any
 * single order or line may reach; past it, input is refused rather than risk overflow in
 * rollups that sum millions of orders (a `bigint` column holds 9.2 × 10^18).
 */
export const MAX_ORDER_AMOUNT_DONG = 1_000_000_000_000;

/** Whether a number is a whole, non-negative amount of đồng within the order limit. */
export function isDongAmount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= MAX_ORDER_AMOUNT_DONG;
}

const vnFormatter = new Intl.NumberFormat('vi-VN', { style: 'currency', currency: 'VND', maximumFractionDigits: 0 });

/** `50000` → `50.000 ₫`, the way a Vietnamese reader expects it. */
export function formatDong(amount: number): string {
  return vnFormatter.format(amount).replace(/\u00a0/g, ' ');
}
