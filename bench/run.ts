// `make bench`: latency and throughput of the cell API against the seeded demo data
// (cell/phase.ts), then the control plane's figures (control-plane/phase.ts: router overhead,
// token verification, OTP sign-ins), then real time (realtime/phase.ts: sales and payments to
// 1,000 screens over two cells), then the operator (operator/phase.ts, on a copy of the demo
// database). See bench/README.md for how to read the output.
//
// Settings: settings.ts and bench/README.md. Exit status: 0 when the run went through (and,
// with BENCH_STRICT=1, every target was met), 1 when a request failed, a sale went missing, a
// limit did not hold or a later phase failed, 2 when the bench could not run.
import { undoAll } from './lib/cleanup';
import { runBench } from './lib/entry';
import { runPhases } from './phases';
import { report } from './report';
import { readSettings } from './settings';

runBench('the servers the bench started', async (cleanup) => {
  const settings = readSettings(process.env);
  const results = await runPhases(settings, cleanup);
  await undoAll(cleanup);
  return report(settings, results).exitCode;
});
