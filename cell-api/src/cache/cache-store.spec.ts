import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { type CacheStore, MemoryCacheStore, RedisCacheStore } from './cache-store';
import { REDIS_URL } from '@localstore/common/testing';

/** One contract for both stores: Redis (a cell's processes) and memory (the embedded demo). */
describe.each([
  ['Redis', () => new RedisCacheStore(new Redis(REDIS_URL), `test:${randomUUID()}:`) as CacheStore],
  ['memory', () => new MemoryCacheStore() as CacheStore],
])('the cache store (%s)', (_name, make) => {
  let store: CacheStore;
  beforeEach(() => {
    store = make();
  });
  afterEach(() => store.close());

  it('keeps values for their time to live', async () => {
    await store.set([['a', '1'], ['b', '2']], 60);
    expect(await store.get(['a', 'b', 'c'])).toEqual(['1', '2', null]);
    await store.set([['short', 'x']], 1);
    await new Promise((r) => setTimeout(r, 1_100));
    expect(await store.get(['short'])).toEqual([null]);
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
