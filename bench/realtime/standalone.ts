// The real-time phase on its own, without the rest of `make bench`:
//
//   npx tsx --tsconfig bench/tsconfig.json bench/realtime/standalone.ts
//
// Prints the phase's table, then one JSON line `{"bench":"localstore-realtime",…}`; exits 0,
// 1 (a failure, or a missed target with BENCH_STRICT=1) or 2 (it could not run).
import { undoAll } from '../lib/cleanup';
import { runBench, strictTargets } from '../lib/entry';
import { waitForQuietMachine } from '../lib/cpu';
import { out } from '../lib/output';
import { measureRealtime, printRealtimeReport, readRealtimeSettings, REALTIME_TARGETS, realtimeFailures, realtimeVerdicts } from './phase';

runBench('what the real-time phase started and dropping its schemas', async (cleanup) => {
  const settings = readRealtimeSettings(process.env);
  const busy = await waitForQuietMachine(settings.quietWaitSeconds);
  const results = await measureRealtime(settings, cleanup);
  await undoAll(cleanup);
  results.environment.machineBusyBeforeStartPercent = busy;
  printRealtimeReport(results);
  const verdicts = realtimeVerdicts(results);
  const failures = realtimeFailures(results);
  out(
    JSON.stringify({
      bench: 'localstore-realtime',
      at: new Date().toISOString(),
      targets: REALTIME_TARGETS,
      realtime: results,
      verdicts,
      failures,
      pass: failures.length === 0 && Object.values(verdicts).every((c) => c.pass),
    }),
  );
  return failures.length > 0 || (strictTargets() && !Object.values(verdicts).every((c) => c.pass)) ? 1 : 0;
});
