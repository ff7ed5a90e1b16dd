import { type ExceptionStatus, LocalStoreException } from '@localstore/common';

export enum AuthErrorCode {
  TOKEN_MISSING = 'TOKEN_MISSING',
  TOKEN_INVALID = 'TOKEN_INVALID',
  TOKEN_EXPIRED = 'TOKEN_EXPIRED',
  TENANT_NOT_IDENTIFIED = 'TENANT_NOT_IDENTIFIED',
  TENANT_MISMATCH = 'TENANT_MISMATCH',
  TENANT_SUSPENDED = 'TENANT_SUSPENDED',
  LOCATION_FORBIDDEN = 'LOCATION_FORBIDDEN',
  ROLE_FORBIDDEN = 'ROLE_FORBIDDEN',
}

const STATUS: Record<AuthErrorCode, ExceptionStatus> = {
  TOKEN_MISSING: 401,
  TOKEN_INVALID: 401,
  TOKEN_EXPIRED: 401,
  TENANT_NOT_IDENTIFIED: 403,
  TENANT_MISMATCH: 403,
  TENANT_SUSPENDED: 403,
  LOCATION_FORBIDDEN: 403,
  ROLE_FORBIDDEN: 403,
};

export class AuthException extends LocalStoreException<AuthErrorCode> {
  get status(): ExceptionStatus {
    return STATUS[this.code];
  }
}
