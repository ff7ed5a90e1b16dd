import type { Logger } from 'pino';

/** What a reconcile pass asks of the queue besides "done". */
export interface ReconcileResult {
  /** Run the key again after this many milliseconds (e.g. to watch a rollout progress). */
  requeueAfterMs?: number;
}

export interface WorkQueueOptions {
  /** Handlers running at once, over different keys (one key never runs twice at once). */
  concurrency: number;
  /** Delay before the first retry of a failed key; it doubles with each further failure. */
  baseDelayMs: number;
  /** Cap of the retry delay, so a key broken for hours is still retried now and then. */
  maxDelayMs: number;
  /** Handler starts per second allowed over all keys, once the burst is spent. */
  ratePerSecond: number;
  /** Handler starts allowed at once after a quiet period (the token bucket's size). */
  burst: number;
}

/** Retries of keys that failed together are spread over the last tenth of their delay. */
const RETRY_JITTER = 0.1;

/**
 * A keyed work queue after client-go's rate-limited workqueue. Keys name objects, not
 * events: adding a key that is already waiting does nothing, and adding a key whose handler
 * is running marks it dirty so it runs once more afterwards. So a handler always sees the
 * world as it is after the last add, and one key never has two handlers at once.
 */
export class WorkQueue {
  /** Keys waiting for a handler, in the order they were added (a Set keeps that order). */
  private readonly waiting = new Set<string>();
  private readonly processing = new Set<string>();
  /** Keys added while their handler was running; they go back to `waiting` when it ends. */
  private readonly dirty = new Set<string>();
  private readonly failuresByKey = new Map<string, number>();
  private readonly delayedAdds = new Map<string, { timer: NodeJS.Timeout; dueAt: number }>();
  private readonly runningHandlers = new Set<Promise<void>>();
  private tokens: number;
  private tokensRefilledAt = Date.now();
  private tokenWakeTimer: NodeJS.Timeout | undefined;
  private started = false;
  private stopped = false;

  constructor(
    private readonly name: string,
    private readonly handler: (key: string) => Promise<ReconcileResult | void>,
    private readonly options: WorkQueueOptions,
    private readonly logger: Logger,
  ) {
    const { concurrency, baseDelayMs, maxDelayMs, ratePerSecond, burst } = options;
    if (!(concurrency >= 1 && baseDelayMs > 0 && maxDelayMs >= baseDelayMs && ratePerSecond > 0 && burst >= 1)) {
      throw new Error(`work queue ${name}: invalid options ${JSON.stringify(options)}`);
    }
    this.tokens = burst;
  }

  /** Keys waiting for a handler (delayed keys not yet due are not counted). */
  get depth(): number {
    return this.waiting.size;
  }

  add(key: string): void {
    if (this.stopped) return;
    if (this.processing.has(key)) {
      this.dirty.add(key);
      return;
    }
    this.waiting.add(key);
    this.startHandlers();
  }

  /** Adds the key once the delay has passed; of several pending delays for a key the earliest wins. */
  addAfter(key: string, delayMs: number): void {
    if (this.stopped) return;
    if (delayMs <= 0) {
      this.add(key);
      return;
    }
    const dueAt = Date.now() + delayMs;
    const pending = this.delayedAdds.get(key);
    if (pending) {
      if (pending.dueAt <= dueAt) return;
      clearTimeout(pending.timer);
    }
    const timer = setTimeout(() => {
      this.delayedAdds.delete(key);
      this.add(key);
    }, delayMs);
    this.delayedAdds.set(key, { timer, dueAt });
  }

  start(): void {
    if (this.stopped) throw new Error(`work queue ${this.name} was stopped; make a new one`);
    this.started = true;
    this.startHandlers();
  }

  /** Takes no more keys and resolves once the handlers already running have finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const { timer } of this.delayedAdds.values()) clearTimeout(timer);
    this.delayedAdds.clear();
    clearTimeout(this.tokenWakeTimer);
    this.tokenWakeTimer = undefined;
    await Promise.all(this.runningHandlers);
  }

  private startHandlers(): void {
    while (this.started && !this.stopped && this.processing.size < this.options.concurrency && this.waiting.size > 0) {
      if (!this.takeToken()) {
        this.wakeWhenTokenIsDue();
        return;
      }
      const key = this.waiting.values().next().value as string;
      this.waiting.delete(key);
      this.processing.add(key);
      const run = this.runHandler(key);
      this.runningHandlers.add(run);
      void run.then(() => this.runningHandlers.delete(run));
    }
  }

  /** Never rejects: a failure is logged and becomes a delayed retry of the key. */
  private async runHandler(key: string): Promise<void> {
    try {
      const result = await this.handler(key);
      this.failuresByKey.delete(key);
      if (result?.requeueAfterMs !== undefined) this.addAfter(key, result.requeueAfterMs);
    } catch (error) {
      const failures = (this.failuresByKey.get(key) ?? 0) + 1;
      this.failuresByKey.set(key, failures);
      const retryInMs = this.retryDelayMs(failures);
      this.logger.error({ err: error, queue: this.name, key, failures, retryInMs }, 'reconcile failed; retrying later');
      this.addAfter(key, retryInMs);
    } finally {
      this.processing.delete(key);
      if (this.dirty.delete(key) && !this.stopped) this.waiting.add(key);
      this.startHandlers();
    }
  }

  private retryDelayMs(failures: number): number {
    const { baseDelayMs, maxDelayMs } = this.options;
    const exponential = Math.min(maxDelayMs, baseDelayMs * 2 ** (failures - 1));
    return Math.round(exponential * (1 - RETRY_JITTER * Math.random()));
  }

  private takeToken(): boolean {
    const now = Date.now();
    const { ratePerSecond, burst } = this.options;
    this.tokens = Math.min(burst, this.tokens + ((now - this.tokensRefilledAt) * ratePerSecond) / 1000);
    this.tokensRefilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  private wakeWhenTokenIsDue(): void {
    if (this.tokenWakeTimer) return;
    const waitMs = Math.ceil(((1 - this.tokens) * 1000) / this.options.ratePerSecond);
    this.tokenWakeTimer = setTimeout(() => {
      this.tokenWakeTimer = undefined;
      this.startHandlers();
    }, waitMs);
  }
}
