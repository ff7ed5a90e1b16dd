import { LocalStoreException, type MessageParams } from '@localstore/common';

/** Malformed or out-of-range input, caught before any feature logic runs. */
export enum InputErrorCode {
  INVALID_INPUT = 'INVALID_INPUT',
}

/** `constraint` names the rule broken (`isUuid`, `max`): the detail of the message. */
export class InputException extends LocalStoreException<InputErrorCode> {
  readonly status = 400 as const;
  constructor(field: string, constraint: string, params: MessageParams = {}) {
    super(InputErrorCode.INVALID_INPUT, field, { constraint, ...params });
  }
}
