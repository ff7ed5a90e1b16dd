import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { type LiveJournal, MemoryLiveJournal, RedisLiveJournal } from './live-journal';
import { REDIS_URL } from '@localstore/common/testing';

/** One contract for both journals: Redis (several processes) and memory (the embedded demo). */
describe.each([
  [
    'Redis',
    (capacity: number) => ({ journal: new RedisLiveJournal(new Redis(REDIS_URL), `test:${randomUUID()}:`, capacity) as LiveJournal }),
  ],
  ['memory', (capacity: number) => ({ journal: new MemoryLiveJournal(capacity) as LiveJournal })],
])('the live journal (%s)', (_name, make) => {
  let journal: LiveJournal;
  let close: () => Promise<void>;
  beforeEach(() => {
    const made = make(3);
    journal = made.journal;
    close = async () => {
      await journal.close();
      if (journal instanceof RedisLiveJournal) journal.redis.disconnect();
    };
  });
  afterEach(() => close());

  it('numbers each room’s events from 1, rooms apart', async () => {
    expect(await journal.latest('room-a')).toBe(0);
    expect(await journal.append('room-a', 'sale.recorded', { n: 1 })).toBe(1);
    expect(await journal.append('room-a', 'dashboard.delta', { n: 2 })).toBe(2);
    expect(await journal.append('room-b', 'sale.recorded', { n: 1 })).toBe(1);
    expect(await journal.latest('room-a')).toBe(2);
  });

  it('gives a reconnecting client what came after its last number, in order', async () => {
    for (let n = 1; n <= 3; n++) await journal.append('room', 'dashboard.delta', { n });
    expect(await journal.since('room', 1)).toEqual({
      seq: 3,
      resync: false,
      missed: [
        { seq: 2, event: 'dashboard.delta', payload: { n: 2 } },
        { seq: 3, event: 'dashboard.delta', payload: { n: 3 } },
      ],
    });
    expect(await journal.since('room', 3)).toEqual({ seq: 3, missed: [], resync: false });
  });

  it('tells a client to refetch when the gap is longer than it keeps, or its number is from elsewhere', async () => {
    for (let n = 1; n <= 5; n++) await journal.append('room', 'dashboard.delta', { n });
    expect(await journal.since('room', 1)).toEqual({ seq: 5, missed: [], resync: true });
    expect((await journal.since('room', 2)).missed.map((e) => e.seq)).toEqual([3, 4, 5]);
    expect(await journal.since('room', 9)).toEqual({ seq: 5, missed: [], resync: true });
    expect(await journal.since('empty', 0)).toEqual({ seq: 0, missed: [], resync: false });
  });

  it('gives concurrent events distinct numbers', async () => {
    const numbers = await Promise.all(Array.from({ length: 20 }, (_, n) => journal.append('busy', 'sale.recorded', { n })));
    expect(new Set(numbers).size).toBe(20);
    expect(Math.max(...numbers)).toBe(20);
  });
});
