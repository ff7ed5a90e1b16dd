// Clocks and percentiles: how every phase turns timed calls into figures.

export const nowMs = (): number => performance.now();

/** Epoch milliseconds, sub-millisecond: the same clock on every thread (nowMs() counts from each thread's start). */
export const epochMs = (): number => performance.timeOrigin + performance.now();

/** Nearest-rank percentile of ascending-sorted samples. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** n, p50, p95, p99 and max of samples, rounded to `decimals`. */
export function summarize(samples: ArrayLike<number>, decimals = 3): Summary {
  const sorted = Float64Array.from(samples).sort();
  const scale = 10 ** decimals;
  const round = (x: number) => Math.round(x * scale) / scale;
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted[sorted.length - 1] ?? NaN),
  };
}

/** Unmeasured calls, bounded by count and time. */
export async function warmUp(count: number, maxSeconds: number, call: (i: number) => Promise<unknown>): Promise<void> {
  const deadline = nowMs() + maxSeconds * 1000;
  for (let i = 0; i < count && nowMs() < deadline; i++) await call(i);
}
