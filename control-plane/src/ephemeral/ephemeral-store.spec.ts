import { randomUUID } from 'node:crypto';
import type { EphemeralStore } from './ephemeral-store';
import { MemoryEphemeralStore } from './memory-ephemeral-store';
import { RedisEphemeralStore } from './redis-ephemeral-store';

const REDIS_URL = process.env.TEST_REDIS_URL ?? `redis://127.0.0.1:${process.env.LOCALSTORE_REDIS_PORT ?? '56379'}`;

/** The same contract for the real Redis store and the one-machine fallback. */
describe.each([
  ['Redis (real server)', () => new RedisEphemeralStore(REDIS_URL, `test:${randomUUID()}:`)],
  ['in-process fallback', () => new MemoryEphemeralStore()],
])('ephemeral store: %s', (_, create) => {
  let store: EphemeralStore;
  beforeAll(() => {
    store = create();
  });
  afterAll(() => store.close());

  it('keeps a value until it is taken, and lets only one taker have it', async () => {
    await store.set('otp', 'hash-1', 60);
    expect(await store.get('otp')).toBe('hash-1');
    const takers = await Promise.all([1, 2, 3, 4].map(() => store.takeIfEquals('otp', 'hash-1')));
    expect(takers.filter(Boolean)).toHaveLength(1);
    expect(await store.get('otp')).toBeNull();
  });

  it('does not take a value that changed', async () => {
    await store.set('otp2', 'new', 60);
    expect(await store.takeIfEquals('otp2', 'old')).toBe(false);
    expect(await store.get('otp2')).toBe('new');
    await store.del('otp2');
    expect(await store.get('otp2')).toBeNull();
  });

  it('counts hits in a window that starts with the first one', async () => {
    const counts = [];
    for (let i = 0; i < 3; i++) counts.push(await store.hit('limit', 60));
    expect(counts.map((c) => c.count)).toEqual([1, 2, 3]);
    expect(counts[2]!.resetsInSeconds).toBeGreaterThan(0);
    expect(counts[2]!.resetsInSeconds).toBeLessThanOrEqual(60);
  });

  it('forgets a value after its time to live', async () => {
    await store.set('short', 'x', 1);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await store.get('short')).toBeNull();
  });
});
