import { LocalStoreException, messageParamsOf } from '@localstore/common';
import { type Language, renderMessage } from './messages/catalog';
import { isTenantMovingError, TenantMovingException } from './tenant-moving';

/**
 * The exception a cell answers with for `error`: a feature's own, the tenant-moving
 * refusal for the database's LSMOV, or null when the error is unexpected (the mapper then
 * masks and logs it). Every wire (GraphQL, problem+json) starts here.
 */
export function refusalOf(error: unknown): LocalStoreException | null {
  if (error instanceof LocalStoreException) return error;
  return isTenantMovingError(error) ? new TenantMovingException() : null;
}

/** An exception's message in `language`, from the cell's catalogs. */
export function messageOf(language: Language, exception: LocalStoreException): string {
  return renderMessage(language, exception.messageKey, messageParamsOf(exception));
}
