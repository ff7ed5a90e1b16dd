import { type ExceptionStatus, LocalStoreException } from '@localstore/common';

export enum PaymentErrorCode {
  INVALID_INPUT = 'INVALID_INPUT',
  NOT_A_MEMBER = 'NOT_A_MEMBER',
  ROLE_FORBIDDEN = 'ROLE_FORBIDDEN',
  TOKEN_MISSING = 'TOKEN_MISSING',
  MERCHANT_TAKEN = 'MERCHANT_TAKEN',
}

const STATUS: Record<PaymentErrorCode, ExceptionStatus> = {
  INVALID_INPUT: 400,
  NOT_A_MEMBER: 403,
  ROLE_FORBIDDEN: 403,
  TOKEN_MISSING: 401,
  MERCHANT_TAKEN: 409,
};

export class PaymentException extends LocalStoreException<PaymentErrorCode> {
  get status(): ExceptionStatus {
    return STATUS[this.code];
  }
}
