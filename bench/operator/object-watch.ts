// The phase's eyes on the API server: the objects of one kind with the run's label, listed
// then watched, each change timestamped on arrival, so "when did it become Ready" is known to
// a few milliseconds.
import { BenchError, log } from '../lib/output';
import type { KubeApi, Watch } from './kube-api';
import type { KubeList, KubeObject } from './resources';
import { epochMs, sleep } from './time';

export type Listener<T> = (type: string, object: T, at: number) => void;

/** List, then watch, relisting when the watch ends; each change is offered to the listeners. */
export class ObjectWatch<T extends KubeObject = KubeObject> {
  readonly objects = new Map<string, T>();
  private readonly listeners = new Set<Listener<T>>();
  private stopped = false;
  private current: Watch | null = null;
  private resourceVersion: string | undefined;

  constructor(
    private readonly api: KubeApi,
    private readonly path: string,
    private readonly labelSelector: string,
  ) {}

  async start(): Promise<void> {
    await this.relist();
    void (async () => {
      while (!this.stopped) {
        try {
          this.current = this.api.watch(
            this.path,
            { labelSelector: this.labelSelector, resourceVersion: this.resourceVersion! },
            (type, object) => this.take(type, object as T),
          );
          await this.current.done;
        } catch (error) {
          if (this.stopped) return;
          if (!(error as { gone?: boolean }).gone) log(`watch of ${this.path} broke (${(error as Error).message}); listing again`);
        }
        if (this.stopped) return;
        await this.relist().catch(() => sleep(500));
      }
    })();
  }

  private async relist(): Promise<void> {
    const list = await this.api.json<KubeList<T>>('GET', `${this.path}?${new URLSearchParams({ labelSelector: this.labelSelector })}`);
    this.resourceVersion = list.metadata.resourceVersion;
    const seen = new Set<string>();
    for (const object of list.items) {
      seen.add(object.metadata.name);
      this.take('MODIFIED', object, false);
    }
    for (const name of [...this.objects.keys()]) if (!seen.has(name)) this.take('DELETED', this.objects.get(name)!, false);
  }

  private take(type: string, object: T, fromWatch = true): void {
    if (type === 'BOOKMARK') {
      this.resourceVersion = object.metadata.resourceVersion;
      return;
    }
    if (fromWatch) this.resourceVersion = object.metadata.resourceVersion;
    const at = epochMs();
    if (type === 'DELETED') this.objects.delete(object.metadata.name);
    else this.objects.set(object.metadata.name, object);
    for (const listener of this.listeners) listener(type, object, at);
  }

  /** Calls `listener(type, object, at)` for every change from now on; returns the remover. */
  listen(listener: Listener<T>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves with `check()`'s value as soon as it is truthy (checked now and after every change). */
  until<V>(what: string, check: (objects: Map<string, T>) => V | false | null | undefined | 0, timeoutMs: number): Promise<V> {
    return new Promise((resolve, reject) => {
      let remove = () => undefined as unknown;
      const timer = setTimeout(() => {
        remove();
        reject(new BenchError(`timed out after ${timeoutMs / 1000} s waiting for ${what}`));
      }, timeoutMs);
      const probe = () => {
        let value;
        try {
          value = check(this.objects);
        } catch (error) {
          clearTimeout(timer);
          remove();
          reject(error);
          return;
        }
        if (value) {
          clearTimeout(timer);
          remove();
          resolve(value);
        }
      };
      remove = this.listen(probe);
      probe();
    });
  }

  stop(): void {
    this.stopped = true;
    this.current?.abort();
  }
}
