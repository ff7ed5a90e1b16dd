import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import type { EphemeralStore } from './ephemeral-store';
import { MemoryEphemeralStore } from './memory-ephemeral-store';
import { RedisEphemeralStore } from './redis-ephemeral-store';

const REDIS_URL = process.env.TEST_REDIS_URL ?? `redis://127.0.0.1:${process.env.LOCALSTORE_REDIS_PORT ?? '56379'}`;

/** A store under test, a way to let time pass for what it holds without waiting for it, and its end. */
interface Subject {
  store: EphemeralStore;
  letTimePass(ms: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Redis expires keys by its own clock, which a test cannot move. What `ms` passing means to
 * Redis is that each key's remaining time to live shrinks by `ms`, so that is done to every key
 * of the store (PTTL, then PEXPIRE; a key whose time runs out is deleted, as PEXPIRE does with 0).
 */
function redisSubject(): Subject {
  const prefix = `test:${randomUUID()}:`;
  const store = new RedisEphemeralStore(REDIS_URL, prefix);
  const redis = new Redis(REDIS_URL);
  const letTimePass = async (ms: number) => {
    for (const key of await redis.keys(`${prefix}*`)) {
      const left = await redis.pttl(key);
      if (left >= 0) await redis.pexpire(key, Math.max(0, left - ms));
    }
  };
  return { store, letTimePass, close: async () => void (await Promise.all([store.close(), redis.quit()])) };
}

function memorySubject(): Subject {
  let now = Date.now();
  const store = new MemoryEphemeralStore(() => now);
  return { store, letTimePass: async (ms) => void (now += ms), close: () => store.close() };
}

/** The same contract for the real Redis store and the one-machine fallback. */
describe.each([
  ['Redis (real server)', redisSubject],
  ['in-process fallback', memorySubject],
])('ephemeral store: %s', (_, create) => {
  let subject: Subject;
  let store: EphemeralStore;
  beforeAll(() => {
    subject = create();
    store = subject.store;
  });
  afterAll(() => subject.close());

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

  it('keeps a value for its time to live, and forgets it after', async () => {
    await store.set('short', 'x', 30);
    await subject.letTimePass(29_000);
    expect(await store.get('short')).toBe('x');
    await subject.letTimePass(2_000);
    expect(await store.get('short')).toBeNull();
  });
});
