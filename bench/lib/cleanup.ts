// What a phase leaves to undo: every server it starts and every pool it opens pushes its stop
// here, and the runner undoes them in reverse order at the end of the phase, after an error,
// or on Ctrl-C, so no server outlives the bench.

export type CleanupStep = () => unknown;
export type Cleanup = CleanupStep[];

/** Runs the steps last-in first-out, each once; one that fails does not stop the others. */
export async function undoAll(cleanup: Cleanup): Promise<void> {
  while (cleanup.length > 0) await Promise.resolve(cleanup.pop()!()).catch(() => undefined);
}
