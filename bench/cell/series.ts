// How the cell's figures are taken: one client sending one request at a time (each optionally
// followed by its raw statement), and many clients recording sales at once for a while.
import { nowMs, summarize, type Summary } from '../lib/measure';
import type { RawTiming } from './raw-sql';

/** A timed request: its time, or the error it failed with. */
export interface Attempt {
  ms: number;
  error: string | null;
}

/** A sequential series: GraphQL latencies, with the raw statement's when it was timed too. */
export interface SeriesFigures {
  graphql: Summary;
  rawStatement?: Summary;
  rawFull?: Summary;
  errors: number;
  firstErrors: string[];
}

/** A series that ran its raw statement after each request. */
export type SeriesWithRaw = SeriesFigures & { rawStatement: Summary; rawFull: Summary };

type SeriesSettings = { samples: number; seriesMaxSeconds: number };

export interface LoadFigures {
  sales: number;
  elapsedSeconds: number;
  salesPerSecond: number;
  latency: Summary;
  errors: number;
  firstErrors: string[];
}

/**
 * One client, one request at a time, `samples` times or until the time bound. When `raw`
 * is given, the raw statement runs right after each GraphQL request, so both series see
 * the same data, caches and machine load.
 */
export function sequentialSeries(
  settings: SeriesSettings,
  request: (i: number) => Promise<Attempt>,
  raw: (i: number) => Promise<RawTiming<unknown>>,
): Promise<SeriesWithRaw>;
export function sequentialSeries(settings: SeriesSettings, request: (i: number) => Promise<Attempt>, raw: null): Promise<SeriesFigures>;
export async function sequentialSeries(
  settings: SeriesSettings,
  request: (i: number) => Promise<Attempt>,
  raw: ((i: number) => Promise<RawTiming<unknown>>) | null,
): Promise<SeriesFigures> {
  const graphql: number[] = [];
  const statement: number[] = [];
  const full: number[] = [];
  const errors: string[] = [];
  const deadline = nowMs() + settings.seriesMaxSeconds * 1000;
  for (let i = 0; i < settings.samples && nowMs() < deadline; i++) {
    const result = await request(i);
    if (result.error) errors.push(result.error);
    else graphql.push(result.ms);
    if (raw) {
      const timing = await raw(i);
      statement.push(timing.statementMs);
      full.push(timing.fullMs);
    }
  }
  return {
    graphql: summarize(graphql),
    ...(raw ? { rawStatement: summarize(statement), rawFull: summarize(full) } : {}),
    errors: errors.length,
    firstErrors: [...new Set(errors)].slice(0, 3),
  };
}

/** `clients` loops recording sales for `seconds`; also bounded in count. */
export async function loadPhase(clients: number, seconds: number, record: (worker: number) => Promise<Attempt>): Promise<LoadFigures> {
  const latencies: number[] = [];
  const errors: string[] = [];
  const maxSales = Math.max(1_000, seconds * 20_000);
  let issued = 0;
  const startedAt = nowMs();
  const deadline = startedAt + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, worker) => {
      while (nowMs() < deadline && issued < maxSales) {
        issued++;
        const result = await record(worker);
        if (result.error) errors.push(result.error);
        else latencies.push(result.ms);
      }
    }),
  );
  const elapsedSeconds = (nowMs() - startedAt) / 1000;
  return {
    sales: latencies.length,
    elapsedSeconds: Math.round(elapsedSeconds * 1000) / 1000,
    salesPerSecond: Math.round(latencies.length / elapsedSeconds),
    latency: summarize(latencies),
    errors: errors.length,
    firstErrors: [...new Set(errors)].slice(0, 3),
  };
}
