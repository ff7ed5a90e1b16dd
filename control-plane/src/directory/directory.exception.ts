import { type ExceptionStatus, LocalStoreException } from '@localstore/common';

export enum DirectoryErrorCode {
  INVALID_INPUT = 'INVALID_INPUT',
  SLUG_RESERVED = 'SLUG_RESERVED',
  SLUG_TAKEN = 'SLUG_TAKEN',
  NO_CELL_CAPACITY = 'NO_CELL_CAPACITY',
  PROVISIONING_FAILED = 'PROVISIONING_FAILED',
  NOT_A_MEMBER = 'NOT_A_MEMBER',
  ROLE_FORBIDDEN = 'ROLE_FORBIDDEN',
  TOKEN_MISSING = 'TOKEN_MISSING',
  INVITE_NOT_FOUND = 'INVITE_NOT_FOUND',
  JOIN_CODE_INVALID = 'JOIN_CODE_INVALID',
  MEMBER_NOT_FOUND = 'MEMBER_NOT_FOUND',
  LAST_OWNER = 'LAST_OWNER',
}

const STATUS: Record<DirectoryErrorCode, ExceptionStatus> = {
  INVALID_INPUT: 400,
  SLUG_RESERVED: 400,
  SLUG_TAKEN: 409,
  NO_CELL_CAPACITY: 503,
  PROVISIONING_FAILED: 503,
  NOT_A_MEMBER: 403,
  ROLE_FORBIDDEN: 403,
  TOKEN_MISSING: 401,
  INVITE_NOT_FOUND: 404,
  JOIN_CODE_INVALID: 404,
  MEMBER_NOT_FOUND: 404,
  LAST_OWNER: 409,
};

export class DirectoryException extends LocalStoreException<DirectoryErrorCode> {
  get status(): ExceptionStatus {
    return STATUS[this.code];
  }
}
