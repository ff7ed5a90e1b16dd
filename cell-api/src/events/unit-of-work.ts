import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../config/cell-config.token';
import type { TenantDb } from '@localstore/cell-db';
import { EventBus } from './event-bus';
import type { CellEventMap, EventName } from './event-map';

/**
 * A tenant transaction is one unit of work: its writes commit together, and what follows
 * from them (events on the bus, cache invalidations, pushes) happens after the COMMIT, in
 * the order registered here, each awaited, and never for a transaction that rolled back.
 * Services register both through this class, so every after-commit step is found here.
 *
 * Who ends the transaction, and so runs these steps (`TenantTransaction.finish`): for a
 * GraphQL operation, the request's end (`cellApolloPlugin`: COMMIT when the operation had no
 * error; a mutation's answer leaves after its COMMIT and these steps); for a job or a
 * consumer, `withTenantTransaction` (the payments consumer acknowledges a message after).
 */
@Injectable()
export class UnitOfWork {
  constructor(
    private readonly bus: EventBus,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  /** Publishes the event on the bus once `db`'s transaction has committed. */
  publish<E extends EventName>(db: TenantDb, name: E, payload: CellEventMap[E]): void {
    const tenantId = db.tenantId;
    db.afterCommit(() => this.bus.publish(name, tenantId, payload));
  }

  /**
   * Runs `effect` once `db`'s transaction has committed (a cache to invalidate, a push to
   * send). A failing effect is logged; it does not turn the committed write into an error.
   */
  afterCommit(db: TenantDb, effect: () => void | Promise<void>): void {
    const tenantId = db.tenantId;
    db.afterCommit(async () => {
      try {
        await effect();
      } catch (error) {
        this.logger.error({ err: error, tenant_id: tenantId }, 'an after-commit step failed');
      }
    });
  }
}
