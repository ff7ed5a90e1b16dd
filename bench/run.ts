// `make bench`: latency and throughput of the cell API against the seeded demo data
// (cell/phase.ts), then the control plane's figures (control-plane/phase.ts: router overhead,
// token verification, OTP sign-ins), then real time (realtime/phase.ts: sales and payments to
// 1,000 screens over two cells), then the operator (operator/phase.ts, on a copy of the demo
// database). See bench/README.md for how to read the output.
//
// Settings: settings.ts and bench/README.md. Exit status: 0 when the run went through (and,
// with BENCH_STRICT=1, every target was met), 1 when a request failed, a sale went missing, a
// limit did not hold or a later phase failed, 2 when the bench could not run.
import { type Cleanup, undoAll } from './lib/cleanup';
import { BenchError, log } from './lib/output';
import { runPhases } from './phases';
import { report } from './report';
import { readSettings } from './settings';

async function main(): Promise<void> {
  const cleanup: Cleanup = [];
  let interrupted = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      interrupted = true;
      log(`${signal}: stopping the servers the bench started`);
      void undoAll(cleanup).finally(() => process.exit(130));
    });
  }
  try {
    const settings = readSettings(process.env);
    const results = await runPhases(settings, cleanup);
    await undoAll(cleanup);
    process.exitCode = report(settings, results).exitCode;
  } catch (error) {
    // After Ctrl-C the requests in flight fail as the servers go away: that is no news.
    if (interrupted) return;
    // Give a crashed server's exit a moment to be reported before we stop it ourselves.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await undoAll(cleanup);
    log(error instanceof BenchError ? error.message : ((error as Error)?.stack ?? String(error)));
    process.exitCode = 2;
  }
}

void main();
