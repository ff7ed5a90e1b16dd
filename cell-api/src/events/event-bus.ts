import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../config/cell-config.token';
import type { CellEventMap, EventName } from './event-map';

/** One subscriber's reaction to an event of one tenant. */
export type EventHandler<E extends EventName> = (tenantId: string, payload: CellEventMap[E]) => void | Promise<void>;

export interface SubscribeOptions {
  /** Names the subscriber in the log when its handler fails. */
  label: string;
  /** Lower hears an event first; equal priorities in the order they subscribed. */
  priority?: number;
}

/**
 * The screens' numbering hears every event before the other subscribers, so an event
 * derived from another (a sale's dashboard delta) is numbered after its cause.
 */
export const SCREENS_FIRST = -1;

interface Subscription {
  handler: EventHandler<EventName>;
  label: string;
  priority: number;
}

/**
 * The cell's in-process event bus (what changed, after it committed; see UnitOfWork for
 * when). Each subscriber has a handler of its own, run one after the other: a handler
 * that returns a promise is awaited before the next one is called, one that returns
 * nothing does not yield, so synchronous subscribers see events in the order they were
 * published with nothing in between. A handler that fails is logged and the others still
 * run; `publish` never rejects (a committed change must not turn into an error).
 */
@Injectable()
export class EventBus {
  private readonly subscriptions = new Map<EventName, readonly Subscription[]>();

  constructor(@Inject(ROOT_LOGGER) private readonly logger: Logger) {}

  /** Subscribes `handler` to the event `name`; returns the way to unsubscribe. */
  subscribe<E extends EventName>(name: E, handler: EventHandler<E>, options: SubscribeOptions): () => void {
    const subscription: Subscription = {
      handler: handler as EventHandler<EventName>,
      label: options.label,
      priority: options.priority ?? 0,
    };
    // A new array each time: a publish under way keeps the list it started with.
    const next = [...(this.subscriptions.get(name) ?? []), subscription];
    this.subscriptions.set(
      name,
      next.sort((x, y) => x.priority - y.priority),
    );
    return () =>
      this.subscriptions.set(
        name,
        (this.subscriptions.get(name) ?? []).filter((s) => s !== subscription),
      );
  }

  publish<E extends EventName>(name: E, tenantId: string, payload: CellEventMap[E]): Promise<void> {
    return this.deliver(name, this.subscriptions.get(name) ?? [], tenantId, payload);
  }

  private async deliver(
    name: EventName,
    subscriptions: readonly Subscription[],
    tenantId: string,
    payload: CellEventMap[EventName],
  ): Promise<void> {
    for (const { handler, label } of subscriptions) {
      try {
        const running = handler(tenantId, payload);
        if (running) await running;
      } catch (error) {
        this.logger.error({ err: error, event: name, subscriber: label, tenant_id: tenantId }, 'an event subscriber failed');
      }
    }
  }
}
