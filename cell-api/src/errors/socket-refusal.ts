import { GRAPHQL_CODE_OF_STATUS, type GraphqlErrorCode } from '@localstore/common';
import { refusalOf } from './cell-refusals';

/**
 * Why a Socket.IO client was refused: the client-facing code, the feature's string-enum
 * reason (its message key in the catalogs) and the offending field, if one.
 */
export interface SocketRefusal {
  code: GraphqlErrorCode | 'INTERNAL_SERVER_ERROR';
  reason: string;
  field?: string;
}

/**
 * The socket's mapping of an error, from the same exceptions and the same status table as
 * GraphQL and problem+json; anything not a feature's exception is masked.
 */
export function toSocketRefusal(error: unknown): SocketRefusal {
  const exception = refusalOf(error);
  if (!exception) return { code: 'INTERNAL_SERVER_ERROR', reason: 'INTERNAL' };
  return { code: GRAPHQL_CODE_OF_STATUS[exception.status], reason: exception.code, ...(exception.field ? { field: exception.field } : {}) };
}

/** A refused handshake, as `connect_error` shows it: `message` is the code, `data` is `{ code, reason }`. */
export function handshakeRefusal(refusal: SocketRefusal): Error & { data: { code: string; reason: string } } {
  return Object.assign(new Error(refusal.code), { data: { code: refusal.code, reason: refusal.reason } });
}

/** A refused `join`, as its acknowledgement answers: `{ ok: false, code, field? }`. */
export function joinRefusal(refusal: SocketRefusal): { ok: false; code: string; field?: string } {
  return { ok: false, code: refusal.code, ...(refusal.field ? { field: refusal.field } : {}) };
}
