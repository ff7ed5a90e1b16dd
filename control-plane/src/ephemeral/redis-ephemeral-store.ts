import Redis from 'ioredis';
import type { EphemeralStore } from './ephemeral-store';

// Atomic in Redis: compare-and-delete, and a counter whose expiry is set by its first hit.
const TAKE_IF_EQUALS = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
const HIT = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return {n, redis.call('TTL', KEYS[1])}`;

export class RedisEphemeralStore implements EphemeralStore {
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly prefix = 'cp:',
  ) {
    this.redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true });
  }

  get(key: string): Promise<string | null> {
    return this.redis.get(this.prefix + key);
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    await this.redis.set(this.prefix + key, value, 'EX', ttlSeconds);
  }

  async takeIfEquals(key: string, value: string): Promise<boolean> {
    return (await this.redis.eval(TAKE_IF_EQUALS, 1, this.prefix + key, value)) === 1;
  }

  async del(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }

  async hit(key: string, windowSeconds: number): Promise<{ count: number; resetsInSeconds: number }> {
    const [count, ttl] = (await this.redis.eval(HIT, 1, this.prefix + key, windowSeconds)) as [number, number];
    return { count, resetsInSeconds: Math.max(1, ttl) };
  }

  async close(): Promise<void> {
    await this.redis.quit();
  }
}
