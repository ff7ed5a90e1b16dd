import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { type CacheStore, MemoryCacheStore, RedisCacheStore } from './cache-store';
import { REDIS_URL } from '@localstore/common/testing';

/** A store under test, and a way to let time pass for what it holds without waiting for it. */
interface Subject {
  store: CacheStore;
  letTimePass(ms: number): Promise<void>;
}

/**
 * Redis expires keys by its own clock, which a test cannot move. What `ms` passing means to
 * Redis is that each key's remaining time to live shrinks by `ms`, so that is done to every key
 * of the store (PTTL, then PEXPIRE; a key whose time runs out is deleted, as PEXPIRE does with 0).
 */
function redisSubject(): Subject {
  const prefix = `test:${randomUUID()}:`;
  const store = new RedisCacheStore(new Redis(REDIS_URL), prefix);
  const letTimePass = async (ms: number) => {
    for (const key of await store.redis.keys(`${prefix}*`)) {
      const left = await store.redis.pttl(key);
      if (left >= 0) await store.redis.pexpire(key, Math.max(0, left - ms));
    }
  };
  return { store, letTimePass };
}

function memorySubject(): Subject {
  let now = Date.now();
  return { store: new MemoryCacheStore(() => now), letTimePass: async (ms) => void (now += ms) };
}

/** One contract for both stores: Redis (a cell's processes) and memory (the embedded demo). */
describe.each([
  ['Redis', redisSubject],
  ['memory', memorySubject],
])('the cache store (%s)', (_name, make) => {
  let store: CacheStore;
  let letTimePass: Subject['letTimePass'];
  beforeEach(() => {
    ({ store, letTimePass } = make());
  });
  afterEach(() => store.close());

  it('keeps values for their time to live, and not after', async () => {
    await store.set(
      [
        ['a', '1'],
        ['b', '2'],
      ],
      60,
    );
    expect(await store.get(['a', 'b', 'c'])).toEqual(['1', '2', null]);
    await store.set([['short', 'x']], 30);
    await letTimePass(29_000);
    expect(await store.get(['short', 'a'])).toEqual(['x', '1']);
    await letTimePass(2_000);
    expect(await store.get(['short', 'a'])).toEqual([null, '1']);
  });

  it('never serves what was computed under a version a change has since bumped, even if written after the bump', async () => {
    const [before] = await store.versions(['loc:1']);
    expect(before).toBe(0);
    // A reader took version 0, then a sale committed and bumped it, then the reader wrote.
    await store.bump(['loc:1', 'tenant:1']);
    await store.set([[`today:${before}`, 'figures before the sale']], 60);
    const [now] = await store.versions(['loc:1']);
    expect(now).toBe(1);
    expect(await store.get([`today:${now}`])).toEqual([null]);
    expect(await store.versions(['tenant:1', 'tenant:2'])).toEqual([1, 0]);
  });
});
