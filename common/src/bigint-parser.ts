/**
 * Postgres `bigint` as a JavaScript number: money and counts stay below 2^53 (9 × 10^15
 * đồng, far above any sum this product makes), so a value past it is refused rather
 * than silently rounded. Register it with pg's `types.setTypeParser(types.builtins.INT8, …)`.
 */
export function parseExactBigint(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`bigint ${text} exceeds 2^53`);
  return value;
}
