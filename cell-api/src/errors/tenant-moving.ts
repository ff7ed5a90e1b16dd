import { TENANT_MOVING_SQLSTATE } from '@localstore/cell-db';
import { LocalStoreException } from '@localstore/common';

/**
 * A write refused because the tenant is being moved to another cell: the operator's change
 * capture raises TENANT_MOVING_SQLSTATE (cell-db) from a trigger for the few seconds between
 * freezing the tenant's rows and flipping its route. Nothing was written (the request's
 * transaction rolls back), so the client, or the router in front, retries after `Retry-After`.
 */

/** Seconds to wait before retrying (the `Retry-After` header). */
export const TENANT_MOVING_RETRY_AFTER_SECONDS = 1;

export enum TenantMovingErrorCode {
  TENANT_MOVING = 'TENANT_MOVING',
}

/**
 * The refusal a client gets for a write the database refused while its tenant moves:
 * 503, which the router treats as retryable, with the wait.
 */
export class TenantMovingException extends LocalStoreException<TenantMovingErrorCode> {
  readonly status = 503 as const;
  constructor() {
    super(TenantMovingErrorCode.TENANT_MOVING, undefined, {}, { retryAfterSeconds: TENANT_MOVING_RETRY_AFTER_SECONDS });
  }
}

/**
 * Whether `error` is (or wraps) the database refusing a write of a moving tenant: a pg
 * error carries the SQLSTATE in `code`, TypeORM's QueryFailedError in `driverError`, and
 * GraphQL and other wrappers keep the original in `originalError` or `cause`.
 */
export function isTenantMovingError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth += 1) {
    const candidate = current as { code?: unknown; driverError?: unknown; originalError?: unknown; cause?: unknown };
    if (candidate.code === TENANT_MOVING_SQLSTATE) return true;
    current = candidate.driverError ?? candidate.originalError ?? candidate.cause;
  }
  return false;
}
