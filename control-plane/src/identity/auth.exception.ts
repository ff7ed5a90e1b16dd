import { type ExceptionStatus, LocalStoreException } from '@localstore/common';

export enum AuthErrorCode {
  INVALID_INPUT = 'INVALID_INPUT',
  PHONE_INVALID = 'PHONE_INVALID',
  PHONE_NOT_MOBILE = 'PHONE_NOT_MOBILE',
  PHONE_FOREIGN = 'PHONE_FOREIGN',
  TOO_MANY_REQUESTS = 'TOO_MANY_REQUESTS',
  SMS_FAILED = 'SMS_FAILED',
  OTP_INVALID = 'OTP_INVALID',
  OTP_LOCKED = 'OTP_LOCKED',
  REFRESH_INVALID = 'REFRESH_INVALID',
  TOKEN_MISSING = 'TOKEN_MISSING',
  TOKEN_INVALID = 'TOKEN_INVALID',
  NOT_A_MEMBER = 'NOT_A_MEMBER',
}

const STATUS: Record<AuthErrorCode, ExceptionStatus> = {
  INVALID_INPUT: 400,
  PHONE_INVALID: 400,
  PHONE_NOT_MOBILE: 400,
  PHONE_FOREIGN: 400,
  TOO_MANY_REQUESTS: 429,
  SMS_FAILED: 503,
  OTP_INVALID: 401,
  OTP_LOCKED: 401,
  REFRESH_INVALID: 401,
  TOKEN_MISSING: 401,
  TOKEN_INVALID: 401,
  NOT_A_MEMBER: 403,
};

export class AuthException extends LocalStoreException<AuthErrorCode> {
  get status(): ExceptionStatus {
    return STATUS[this.code];
  }
}
