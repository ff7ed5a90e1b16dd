import type Redis from 'ioredis';

/**
 * Where cached answers and their versions live: Redis for a cell's several processes, memory
 * on one. A cached answer is stored under its scope's current version, and a change bumps
 * the version, so an answer computed before a change is never read after it (even if it is
 * written after the bump).
 */
export interface CacheStore {
  /** The current version of each scope (0 if never bumped). */
  versions(scopes: readonly string[]): Promise<number[]>;
  bump(scopes: readonly string[]): Promise<void>;
  get(keys: readonly string[]): Promise<(string | null)[]>;
  set(entries: readonly [string, string][], ttlSeconds: number): Promise<void>;
  close(): Promise<void>;
}

/** Versions live longer than any answer, so a version never goes back while answers under it exist. */
const VERSION_TTL_SECONDS = 7 * 86_400;

export class RedisCacheStore implements CacheStore {
  constructor(
    readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async versions(scopes: readonly string[]): Promise<number[]> {
    if (scopes.length === 0) return [];
    const values = await this.redis.mget(scopes.map((scope) => `${this.prefix}ver:${scope}`));
    return values.map((value) => Number(value ?? 0));
  }

  async bump(scopes: readonly string[]): Promise<void> {
    const multi = this.redis.multi();
    for (const scope of scopes) multi.incr(`${this.prefix}ver:${scope}`).expire(`${this.prefix}ver:${scope}`, VERSION_TTL_SECONDS);
    await multi.exec();
  }

  get(keys: readonly string[]): Promise<(string | null)[]> {
    return keys.length === 0 ? Promise.resolve([]) : this.redis.mget(keys.map((key) => `${this.prefix}${key}`));
  }

  async set(entries: readonly [string, string][], ttlSeconds: number): Promise<void> {
    if (entries.length === 0) return;
    const multi = this.redis.multi();
    for (const [key, value] of entries) multi.set(`${this.prefix}${key}`, value, 'EX', ttlSeconds);
    await multi.exec();
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  onModuleDestroy(): Promise<void> {
    return this.close();
  }
}

export class MemoryCacheStore implements CacheStore {
  private static readonly MAX_ENTRIES = 10_000;
  private readonly versionsOf = new Map<string, number>();
  private readonly entries = new Map<string, { value: string; expiresAt: number }>();

  /** `now` is the clock entries expire by: a test passes its own to let a time to live run out without waiting. */
  constructor(private readonly now: () => number = Date.now) {}

  versions(scopes: readonly string[]): Promise<number[]> {
    return Promise.resolve(scopes.map((scope) => this.versionsOf.get(scope) ?? 0));
  }

  bump(scopes: readonly string[]): Promise<void> {
    for (const scope of scopes) this.versionsOf.set(scope, (this.versionsOf.get(scope) ?? 0) + 1);
    return Promise.resolve();
  }

  get(keys: readonly string[]): Promise<(string | null)[]> {
    const now = this.now();
    return Promise.resolve(
      keys.map((key) => {
        const entry = this.entries.get(key);
        if (!entry) return null;
        if (entry.expiresAt <= now) {
          this.entries.delete(key);
          return null;
        }
        return entry.value;
      }),
    );
  }

  set(entries: readonly [string, string][], ttlSeconds: number): Promise<void> {
    // Oldest first out: a Map keeps insertion order.
    while (this.entries.size + entries.length > MemoryCacheStore.MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    for (const [key, value] of entries) this.entries.set(key, { value, expiresAt: this.now() + ttlSeconds * 1000 });
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.entries.clear();
    return Promise.resolve();
  }
}
