/**
 * In-process fan-out of live events to GraphQL subscriptions: each subscriber gets an
 * async iterator over a channel's events. A subscriber that cannot keep up loses its
 * oldest queued events beyond `MAX_QUEUED` (a screen that far behind refetches anyway)
 * rather than growing the process's memory.
 */
export class LiveFeed {
  private static readonly MAX_QUEUED = 256;
  private readonly channels = new Map<string, Set<(payload: unknown) => void>>();

  publish(channel: string, payload: unknown): void {
    for (const listener of this.channels.get(channel) ?? []) listener(payload);
  }

  /** How many subscribers a channel has (for tests and metrics). */
  subscribers(channel: string): number {
    return this.channels.get(channel)?.size ?? 0;
  }

  subscribe<T>(channel: string): AsyncIterableIterator<T> {
    const queued: T[] = [];
    let waiting: ((result: IteratorResult<T>) => void) | undefined;
    let done = false;
    const listener = (payload: unknown) => {
      if (waiting) {
        const resolve = waiting;
        waiting = undefined;
        resolve({ value: payload as T, done: false });
        return;
      }
      queued.push(payload as T);
      if (queued.length > LiveFeed.MAX_QUEUED) queued.shift();
    };
    let listeners = this.channels.get(channel);
    if (!listeners) this.channels.set(channel, (listeners = new Set()));
    listeners.add(listener);
    const stop = (): IteratorResult<T> => {
      if (!done) {
        done = true;
        listeners!.delete(listener);
        if (listeners!.size === 0) this.channels.delete(channel);
        waiting?.({ value: undefined, done: true });
        waiting = undefined;
      }
      return { value: undefined, done: true };
    };
    return {
      next: () => {
        if (done) return Promise.resolve({ value: undefined, done: true });
        if (queued.length > 0) return Promise.resolve({ value: queued.shift()!, done: false });
        return new Promise((resolve) => (waiting = resolve));
      },
      return: () => Promise.resolve(stop()),
      throw: (error: unknown) => {
        stop();
        return Promise.reject(error);
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }
}

/** Channel of one event kind in one location of one tenant. */
export const liveChannel = (event: string, tenantId: string, locationId: string) => `${event}:${tenantId}:${locationId}`;
