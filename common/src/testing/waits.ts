/**
 * Waits for `probe` to return something truthy: consumers, informers and processes work
 * asynchronously, so a test waits on the event it needs, never a fixed time. A probe that
 * throws is tried again (a server still starting); the last error is reported if the wait
 * gives up. No timing is asserted: the timeout only bounds a broken run.
 */
export async function eventually<T>(
  probe: () => Promise<T | null | undefined | false>,
  what: string,
  timeoutMs = 60_000,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
