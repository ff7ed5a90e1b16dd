// The operator phase on its own, without the other phases:
//
//   npx tsx --tsconfig bench/tsconfig.json bench/operator/standalone.ts
//
// Waits for a quiet machine, measures, prints the report and one line of JSON (the result
// object, its verdicts and failures). Exits 2 when skipped or on an error, 1 on a failure
// (or a missed target with BENCH_STRICT=1).
import { undoAll, type Cleanup } from '../lib/cleanup';
import { waitForQuietMachine } from '../lib/cpu';
import { BenchError, log, out } from '../lib/output';
import { measureOperator, OPERATOR_TARGETS, operatorFailures, operatorVerdicts, printOperatorReport, readOperatorSettings } from './phase';
import { sleep } from './time';

async function standalone(): Promise<void> {
  const undoSteps: Cleanup = [];
  let interrupted = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      interrupted = true;
      log(`${signal}: stopping what the operator phase started and dropping its database copy`);
      void undoAll(undoSteps).finally(() => process.exit(130));
    });
  }
  try {
    const settings = readOperatorSettings(process.env);
    const busy = await waitForQuietMachine(settings.quietWaitSeconds);
    const results = await measureOperator({ settings, cleanup: undoSteps });
    await undoAll(undoSteps);
    if (results.skipped === undefined) results.environment.machineBusyBeforeStartPercent = busy;
    printOperatorReport(results);
    const verdicts = operatorVerdicts(results);
    const failures = operatorFailures(results);
    out(
      JSON.stringify({
        bench: 'localstore-operator',
        at: new Date().toISOString(),
        targets: OPERATOR_TARGETS,
        operator: results,
        verdicts,
        failures,
        pass: !results.skipped && failures.length === 0 && Object.values(verdicts).every((c) => c.pass),
      }),
    );
    if (results.skipped !== undefined) process.exitCode = 2;
    else if (failures.length > 0) process.exitCode = 1;
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

void standalone();
