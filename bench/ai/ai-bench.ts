// `make bench-ai`: how good the demand forecast is, and how fast the models answer, on the
// demo data, through the real model server over gRPC (the cell's own client).
//
//   npx tsx --tsconfig bench/tsconfig.json bench/ai/ai-bench.ts
//
// For every item of every demo location (demo-history.ts), the model is trained up to a
// cut-off and forecasts the following 28 days, twice: a window of ordinary days, and one that
// spans Tết. Printed: MASE of the model and of the seasonal-naive forecast itself, the ratio,
// and how often the 80 % intervals hold the actual quantity (forecast.ts). Then ModelInfer
// p50/p95 of a recommendation call (recommender.ts), and the time to forecast 100 items × 1
// location with two years of history.
import { addDays, TET_FIRST_DAY } from '@localstore/common';
import pino from 'pino';
import { cellInference } from '../lib/compiled';
import { out } from '../lib/output';
import { demoSeries, END, HISTORY_MONTHS } from './demo-history';
import { evaluate, forecast, HORIZON, hundredItems, type Forecast } from './forecast';
import { recommendationLatency } from './recommender';

const ADDRESS = process.env.MODEL_SERVER_ADDRESS ?? `127.0.0.1:${process.env.LOCALSTORE_MODEL_GRPC_PORT ?? '58081'}`;
const TET = TET_FIRST_DAY[2026]!;
const WINDOWS = [
  { name: 'ordinary days', cutoff: addDays(END, -HORIZON + 1) },
  { name: 'Tết 2026 window', cutoff: addDays(TET, -14) },
];

async function main(): Promise<void> {
  const { InferenceClient } = cellInference();
  const client = new InferenceClient(
    { address: ADDRESS, attempts: 3, backoffMs: 200, breakerFailures: 1000, breakerOpenMs: 1000, maxMessageBytes: 64 * 1024 * 1024 },
    pino({ level: 'silent' }),
  );
  try {
    const started = performance.now();
    const locations = demoSeries();
    out(
      `[ai] demo history: ${locations.length} locations, ${HISTORY_MONTHS} months to ${END}, generated in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    for (const window of WINDOWS) {
      const forecasts: Forecast[] = [];
      let seconds = 0;
      for (const location of locations) {
        const result = await forecast(client, location, window.cutoff);
        forecasts.push(result);
        seconds += result.seconds;
      }
      const score = evaluate(locations, forecasts, window.cutoff);
      const methods: Record<string, number> = {};
      for (const f of forecasts) for (const days of f.byItem.values()) methods[days[0]!.method] = (methods[days[0]!.method] ?? 0) + 1;
      out(
        `[ai] ${window.name} (cut-off ${window.cutoff}, ${HORIZON} days, ${score.items} items): MASE model ${score.model.toFixed(3)}, seasonal naive ${score.naive.toFixed(3)}, ` +
          `ratio ${(score.model / score.naive).toFixed(3)} (${((1 - score.model / score.naive) * 100).toFixed(1)} % better); 80 % interval coverage ${(score.coverage * 100).toFixed(1)} %` +
          (score.holidayCoverage === null
            ? '; '
            : ` (on the ${(score.holidayShare * 100).toFixed(0)} % of days marked as holidays: ${(score.holidayCoverage * 100).toFixed(1)} %); `) +
          `methods ${JSON.stringify(methods)}; ${seconds.toFixed(1)} s of forecasting`,
      );
    }
    const busiest = locations[0]!;
    const latency = await recommendationLatency(client, busiest);
    out(
      `[ai] recommender ModelInfer (${latency.items} items, the last 28 days: ${latency.orders} orders, ${latency.lines} order lines): p50 ${latency.p50.toFixed(1)} ms, p95 ${latency.p95.toFixed(1)} ms (target p95 < 30 ms)`,
    );
    const hundred = await hundredItems(client, busiest);
    out(`[ai] forecast 100 items × 1 location, 2 years of history, 14 days: ${hundred.seconds.toFixed(1)} s`);
  } finally {
    client.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
