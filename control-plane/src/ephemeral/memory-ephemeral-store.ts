import type { EphemeralStore } from './ephemeral-store';

interface Entry {
  value: string;
  expiresAt: number;
}

/** The one-machine store: a map with expiry, for `make demo` without Redis. */
export class MemoryEphemeralStore implements EphemeralStore {
  private readonly entries = new Map<string, Entry>();
  /** Size at which the next sweep runs; doubles when live entries fill it, so sweeps stay rare. */
  private sweepAt = 10_000;

  constructor(private readonly now: () => number = Date.now) {}

  async get(key: string): Promise<string | null> {
    return this.live(key)?.value ?? null;
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.entries.set(key, { value, expiresAt: this.now() + ttlSeconds * 1000 });
    this.sweep();
  }

  async takeIfEquals(key: string, value: string): Promise<boolean> {
    if (this.live(key)?.value !== value) return false;
    this.entries.delete(key);
    return true;
  }

  async del(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async hit(key: string, windowSeconds: number): Promise<{ count: number; resetsInSeconds: number }> {
    const entry = this.live(key);
    if (!entry) {
      this.entries.set(key, { value: '1', expiresAt: this.now() + windowSeconds * 1000 });
      return { count: 1, resetsInSeconds: windowSeconds };
    }
    entry.value = String(Number(entry.value) + 1);
    return { count: Number(entry.value), resetsInSeconds: Math.max(1, Math.ceil((entry.expiresAt - this.now()) / 1000)) };
  }

  async close(): Promise<void> {
    this.entries.clear();
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  /** Keeps memory bounded when many phones request codes and never come back. */
  private sweep(): void {
    if (this.entries.size < this.sweepAt) return;
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
    this.sweepAt = Math.max(10_000, this.entries.size * 2);
  }
}
