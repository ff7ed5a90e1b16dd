// The operator phase on its own, without the other phases:
//
//   npx tsx --tsconfig bench/tsconfig.json bench/operator/standalone.ts
//
// Waits for a quiet machine, measures, prints the report and one line of JSON (the result
// object, its verdicts and failures). Exits 2 when skipped or on an error, 1 on a failure
// (or a missed target with BENCH_STRICT=1).
import { undoAll } from '../lib/cleanup';
import { runBench, strictTargets } from '../lib/entry';
import { waitForQuietMachine } from '../lib/cpu';
import { out } from '../lib/output';
import { measureOperator, OPERATOR_TARGETS, operatorFailures, operatorVerdicts, printOperatorReport, readOperatorSettings } from './phase';

runBench('what the operator phase started and dropping its database copy', async (cleanup) => {
  const settings = readOperatorSettings(process.env);
  const busy = await waitForQuietMachine(settings.quietWaitSeconds);
  const results = await measureOperator({ settings, cleanup: cleanup });
  await undoAll(cleanup);
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
  if (results.skipped !== undefined) return 2;
  return failures.length > 0 || (strictTargets() && !Object.values(verdicts).every((c) => c.pass)) ? 1 : 0;
});
