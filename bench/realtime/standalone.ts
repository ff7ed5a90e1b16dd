// The real-time phase on its own, without the rest of `make bench`:
//
//   npx tsx --tsconfig bench/tsconfig.json bench/realtime/standalone.ts
//
// Prints the phase's table, then one JSON line `{"bench":"localstore-realtime",…}`; exits 0,
// 1 (a failure, or a missed target with BENCH_STRICT=1) or 2 (it could not run).
import { undoAll, type Cleanup } from '../lib/cleanup';
import { waitForQuietMachine } from '../lib/cpu';
import { BenchError, log, out } from '../lib/output';
import { sleep } from './numbers';
import { measureRealtime, printRealtimeReport, readRealtimeSettings, REALTIME_TARGETS, realtimeFailures, realtimeVerdicts } from './phase';

async function main(): Promise<void> {
  const undoSteps: Cleanup = [];
  let interrupted = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      interrupted = true;
      log(`${signal}: stopping what the real-time phase started and dropping its schemas`);
      void undoAll(undoSteps).finally(() => process.exit(130));
    });
  }
  try {
    const settings = readRealtimeSettings(process.env);
    const busy = await waitForQuietMachine(settings.quietWaitSeconds);
    const results = await measureRealtime(settings, undoSteps);
    await undoAll(undoSteps);
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
    if (failures.length > 0) process.exitCode = 1;
    else if (['1', 'true', 'yes'].includes(process.env.BENCH_STRICT ?? '') && !Object.values(verdicts).every((c) => c.pass))
      process.exitCode = 1;
  } catch (error) {
    if (interrupted) return;
    await sleep(200);
    await undoAll(undoSteps);
    log(error instanceof BenchError ? error.message : ((error as Error)?.stack ?? String(error)));
    process.exitCode = 2;
  }
}

void main();
