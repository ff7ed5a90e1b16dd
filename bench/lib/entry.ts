// How every benchmark runs as a program: what it starts goes on one undo list, which Ctrl-C
// and any error undo before the process ends, so no server outlives the bench; a BenchError
// ends it with its message, anything else with its stack.
import { type Cleanup, undoAll } from './cleanup';
import { BenchError, log } from './output';

/** BENCH_STRICT=1: a missed target fails the run (exit 1) instead of only printing MISS. */
export const strictTargets = (env: NodeJS.ProcessEnv = process.env): boolean => ['1', 'true', 'yes'].includes(env.BENCH_STRICT ?? '');

/**
 * Runs `body` as the program: it returns the exit status (0 or 1). Ctrl-C undoes what it
 * started and exits 130; an error undoes it and exits 2. `started` names what Ctrl-C stops.
 */
export function runBench(started: string, body: (cleanup: Cleanup) => Promise<number>): void {
  const cleanup: Cleanup = [];
  let interrupted = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      interrupted = true;
      log(`${signal}: stopping ${started}`);
      void undoAll(cleanup).finally(() => process.exit(130));
    });
  }
  body(cleanup).then(
    (exitCode) => (process.exitCode = exitCode),
    async (error: unknown) => {
      // After Ctrl-C the requests in flight fail as the servers go away: that is no news.
      if (interrupted) return;
      // Give a crashed server's exit a moment to be reported before we stop it ourselves.
      await new Promise((resolve) => setTimeout(resolve, 200));
      await undoAll(cleanup);
      log(error instanceof BenchError ? error.message : ((error as Error)?.stack ?? String(error)));
      process.exitCode = 2;
    },
  );
}
