import { makeInformer, type Informer, type KubeConfig, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from 'pino';

export interface InformerOptions<T extends KubernetesObject> {
  kubeConfig: KubeConfig;
  /** The collection to watch, e.g. '/apis/localstore.vn/v1alpha1/tenants' or '/api/v1/namespaces/x/configmaps'. */
  path: string;
  /** Lists the same collection as `path` (and with the same label selector): the watch resumes from its resourceVersion. */
  list: () => Promise<KubernetesListObject<T>>;
  labelSelector?: string;
  /**
   * Called for each change seen, after the cache holds it. Objects from `list` arrive as that
   * function returned them; objects from the watch are plain JSON (timestamps are strings).
   */
  onChange: (object: T, event: 'add' | 'update' | 'delete') => void;
  logger: Logger;
  /** Pause before a restart, so a failing API server is not hammered. */
  restartDelayMs?: number;
  /** A watch that brings nothing at all for this long is taken as silently stalled and restarted. */
  stallTimeoutMs?: number;
}

/** One run of client-node's ListWatch; a restart retires it and starts a fresh one. */
interface Generation<T extends KubernetesObject> {
  informer: Informer<T>;
  retired: boolean;
}

/**
 * client-node's informer (ListWatch) for one collection, kept alive. The ListWatch gives up
 * for good on any error (a failed list, a refused or broken watch) and cannot notice a watch
 * that silently stops delivering (a half-open connection, a stuck proxy). This wrapper starts a
 * fresh ListWatch after any error, and after `stallTimeoutMs` without an event or a reconnect.
 * A fresh ListWatch lists again, and the cache here is diffed against that list, so objects
 * changed or deleted while the watch was down are reported as updates and deletes: level-based
 * reconcilers catch up.
 */
export class ResilientInformer<T extends KubernetesObject> {
  /** Objects by `namespace/name`; kept here, across restarts, rather than in each ListWatch. */
  private readonly objectsByKey = new Map<string, T>();
  private readonly restartDelayMs: number;
  private readonly stallTimeoutMs: number;
  private readonly watchPath: string;
  private current: Generation<T> | undefined;
  private restartCount = 0;
  private connectCount = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private stallTimer: NodeJS.Timeout | undefined;
  private synced: { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void } | undefined;
  private isSynced = false;
  private stopped = false;

  constructor(private readonly options: InformerOptions<T>) {
    this.restartDelayMs = options.restartDelayMs ?? 2_000;
    this.stallTimeoutMs = options.stallTimeoutMs ?? 300_000;
    // The API server ends a watch after timeoutSeconds and the ListWatch then reconnects
    // (without listing), which counts as a sign of life: so a healthy watch on a quiet
    // collection is not mistaken for a stalled one. ListWatch has no option for it, but it
    // puts `path` into the watch URL as given.
    const watchTimeoutSeconds = Math.max(1, Math.floor(this.stallTimeoutMs / 2_000));
    this.watchPath = `${options.path}${options.path.includes('?') ? '&' : '?'}timeoutSeconds=${watchTimeoutSeconds}`;
  }

  /** Resolves once the first list is in the cache and delivered; rejects if stopped before. */
  start(): Promise<void> {
    if (this.synced || this.stopped) throw new Error(`informer for ${this.options.path} was already started`);
    let resolve!: () => void;
    let reject!: (error: Error) => void;
    const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
    // Marked handled so that stopping an informer whose start() nobody awaited is no crash.
    promise.catch(() => undefined);
    this.synced = { promise, resolve, reject };
    this.startGeneration();
    return promise;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    clearTimeout(this.stallTimer);
    if (!this.isSynced) this.synced?.reject(new Error(`informer for ${this.options.path} stopped before its first list`));
    const generation = this.current;
    this.current = undefined;
    if (generation) await this.retire(generation);
  }

  list(): T[] {
    return [...this.objectsByKey.values()];
  }

  get(name: string, namespace?: string): T | undefined {
    return this.objectsByKey.get(`${namespace ?? ''}/${name}`);
  }

  /** How many times a fresh ListWatch replaced a failed or stalled one. */
  get restarts(): number {
    return this.restartCount;
  }

  /**
   * How many times the watch connected, the first time and every reconnect. A healthy watch on
   * a quiet collection reconnects each time the API server ends it, so this is what shows it
   * alive (and what a test waits on, instead of sleeping past the stall timeout).
   */
  get connects(): number {
    return this.connectCount;
  }

  private startGeneration(): void {
    const { kubeConfig, labelSelector } = this.options;
    const generation: Generation<T> = {
      informer: makeInformer<T>(kubeConfig, this.watchPath, () => this.listInto(generation), labelSelector),
      retired: false,
    };
    const { informer } = generation;
    // Every callback checks its generation: a retired ListWatch still calls back (its own
    // stop() ends in an 'error' for the aborted request), and must not touch the cache.
    informer.on('add', (object) => this.inGeneration(generation, () => this.upsert(object)));
    informer.on('update', (object) => this.inGeneration(generation, () => this.upsert(object)));
    informer.on('delete', (object) => this.inGeneration(generation, () => this.remove(object)));
    informer.on('connect', () =>
      this.inGeneration(generation, () => {
        this.connectCount += 1;
        this.resetStallTimer();
      }),
    );
    informer.on('error', (error) => this.inGeneration(generation, () => this.restart('the list or watch failed', error)));
    this.current = generation;
    this.resetStallTimer();
    informer.start().catch((error: unknown) => this.inGeneration(generation, () => this.restart('the informer failed', error)));
  }

  private inGeneration(generation: Generation<T>, act: () => void): void {
    if (generation.retired) {
      // A watch that was being opened while its ListWatch stopped stays open; close it now.
      void generation.informer.stop();
      return;
    }
    this.resetStallTimer();
    act();
  }

  /** The list function given to the ListWatch: lists, then reconciles the cache with the list. */
  private async listInto(generation: Generation<T>): Promise<KubernetesListObject<T>> {
    const listed = await this.options.list();
    // Throwing keeps a ListWatch retired during the list from opening a watch nobody stops.
    if (generation.retired) throw new Error('informer restarted while listing');
    const listedKeys = new Set(listed.items.map(keyOf));
    for (const [key, cached] of this.objectsByKey) {
      if (!listedKeys.has(key)) {
        this.objectsByKey.delete(key);
        this.notify(cached, 'delete');
      }
    }
    for (const object of listed.items) this.upsert(object);
    this.resetStallTimer();
    if (!this.isSynced) {
      this.isSynced = true;
      this.synced?.resolve();
    }
    return listed;
  }

  /** Objects the cache already holds at the same resourceVersion are no change (a re-list repeats them all). */
  private upsert(object: T): void {
    const key = keyOf(object);
    const cached = this.objectsByKey.get(key);
    if (cached && cached.metadata?.resourceVersion === object.metadata?.resourceVersion) return;
    this.objectsByKey.set(key, object);
    this.notify(object, cached ? 'update' : 'add');
  }

  private remove(object: T): void {
    const key = keyOf(object);
    if (!this.objectsByKey.delete(key)) return;
    this.notify(object, 'delete');
  }

  private notify(object: T, event: 'add' | 'update' | 'delete'): void {
    try {
      this.options.onChange(object, event);
    } catch (error) {
      // Thrown inside the ListWatch's line reader, it would be swallowed as a JSON parse error.
      this.options.logger.error({ err: error, path: this.options.path, object: keyOf(object), event }, 'informer change handler failed');
    }
  }

  private resetStallTimer(): void {
    clearTimeout(this.stallTimer);
    this.stallTimer = setTimeout(() => this.restart(`nothing arrived for ${this.stallTimeoutMs} ms`), this.stallTimeoutMs);
  }

  private restart(reason: string, error?: unknown): void {
    const generation = this.current;
    if (this.stopped || !generation) return;
    this.current = undefined;
    clearTimeout(this.stallTimer);
    void this.retire(generation);
    this.options.logger.warn({ err: error, path: this.options.path, restartInMs: this.restartDelayMs }, `informer restarting: ${reason}`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      this.restartCount += 1;
      this.startGeneration();
    }, this.restartDelayMs);
  }

  private async retire(generation: Generation<T>): Promise<void> {
    generation.retired = true;
    try {
      await generation.informer.stop();
    } catch (error) {
      this.options.logger.warn({ err: error, path: this.options.path }, 'informer did not stop cleanly');
    }
  }
}

function keyOf(object: KubernetesObject): string {
  return `${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
}
