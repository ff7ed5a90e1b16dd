// The phase's clock: epoch milliseconds (bench/lib/measure.ts), because its moments are
// compared with the directory's `updated_at` and with the watch's arrival times.
export { epochMs } from '../lib/measure';

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Milliseconds as seconds with three decimals, the unit every figure of the phase is in. */
export const seconds = (ms: number): number => Math.round(ms) / 1000;
