/** The codes a client sees in `extensions.code`; each feature's codes map onto these. */
export type ClientErrorCode = 'BAD_USER_INPUT' | 'NOT_FOUND' | 'FORBIDDEN' | 'CONFLICT' | 'UNAUTHENTICATED' | 'SERVICE_UNAVAILABLE';

export type MessageParams = Record<string, string | number>;

/**
 * Base of every feature's exception. `reason` is the feature's string-enum code (also
 * the key of its message in the catalogs), `field` names the offending input.
 */
export abstract class DomainException<Reason extends string = string> extends Error {
  abstract readonly clientCode: ClientErrorCode;

  constructor(
    readonly reason: Reason,
    readonly field?: string,
    readonly params: MessageParams = {},
  ) {
    super(field ? `${reason} (${field})` : reason);
    this.name = new.target.name;
  }
}

/** Malformed or out-of-range input, caught before any feature logic runs. */
export enum InputErrorCode {
  INVALID_INPUT = 'INVALID_INPUT',
}

export class InputException extends DomainException<InputErrorCode> {
  readonly clientCode = 'BAD_USER_INPUT' as const;
  constructor(field: string, constraint: string, params: MessageParams = {}) {
    super(InputErrorCode.INVALID_INPUT, field, { constraint, ...params });
  }
}
