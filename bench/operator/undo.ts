// The phase's own undo list: everything it starts or creates (the database copy, the
// processes, the namespaces, the Tenants) pushes its removal here, and it is undone before
// the phase returns, or from the runner's clean-up after a Ctrl-C. Unlike the runner's list,
// each step is bounded, so a hung removal cannot keep the bench from ending.
import { log } from '../lib/output';
import { sleep } from './time';

export class Undo {
  private readonly steps: { what: string; step: () => unknown }[] = [];
  private running: Promise<void> | null = null;

  push(what: string, step: () => unknown): void {
    this.steps.push({ what, step });
  }

  /** Steps undone in reverse order, once, each bounded; a failed step does not stop the others. */
  run(): Promise<void> {
    this.running ??= (async () => {
      while (this.steps.length > 0) {
        const { what, step } = this.steps.pop()!;
        try {
          await Promise.race([
            Promise.resolve().then(step),
            sleep(60_000).then(() => Promise.reject(new Error('still running after 60 s'))),
          ]);
        } catch (error) {
          log(`operator phase clean-up: ${what} failed: ${(error as Error)?.message ?? error}`);
        }
      }
    })();
    return this.running;
  }
}
