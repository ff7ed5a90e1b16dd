// What a phase leaves to undo: every server it starts and every pool it opens pushes its stop
// here, and the runner undoes them in reverse order at the end of the phase, after an error,
// or on Ctrl-C, so no server outlives the bench.

import { log } from './output';

export type CleanupStep = () => unknown;
export type Cleanup = CleanupStep[];

/** Runs the steps last-in first-out, each once; one that fails does not stop the others. */
export async function undoAll(cleanup: Cleanup): Promise<void> {
  while (cleanup.length > 0) await Promise.resolve(cleanup.pop()!()).catch(() => undefined);
}

/**
 * A phase's own undo list: named steps undone last-in first-out, once however many callers
 * ask (the phase's `finally` and the runner's Ctrl-C both await the same pass); a failed step
 * is logged with its name and does not stop the others. `label` prefixes those lines. With
 * `stepTimeoutMs`, a step still running after it counts as failed, so a hung removal cannot
 * keep the bench from ending.
 */
export class UndoList {
  private readonly steps: { what: string; step: CleanupStep }[] = [];
  private running: Promise<void> | null = null;

  constructor(
    private readonly label: string,
    private readonly options: { stepTimeoutMs?: number } = {},
  ) {}

  push(what: string, step: CleanupStep): void {
    this.steps.push({ what, step });
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      while (this.steps.length > 0) {
        const { what, step } = this.steps.pop()!;
        await this.bounded(Promise.resolve().then(step)).catch((error: unknown) =>
          log(`${this.label} clean-up: ${what} failed: ${error instanceof Error ? error.message : String(error)}`),
        );
      }
    })();
    return this.running;
  }

  private async bounded(step: Promise<unknown>): Promise<unknown> {
    const limit = this.options.stepTimeoutMs;
    if (limit === undefined) return step;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`still running after ${limit / 1000} s`)), limit)));
    try {
      return await Promise.race([step, late]);
    } finally {
      clearTimeout(timer);
    }
  }
}
