import type { Pool } from 'pg';

/**
 * Resolves once the drain of `ChangeCapture.freeze()` or `position()` has looked twice for
 * the older transactions it waits for (its query of their virtualxid locks, on the owner's
 * pool): the second look means the first found one still open, and the drain went on waiting.
 */
export async function drainWentOnWaiting(owner: Pool): Promise<void> {
  const query = vi.spyOn(owner, 'query');
  try {
    const looks = () => query.mock.calls.filter(([sql]) => String(sql).includes("locktype = 'virtualxid'")).length;
    await vi.waitFor(() => expect(looks()).toBeGreaterThanOrEqual(2), { timeout: 10_000 });
  } finally {
    query.mockRestore();
  }
}
