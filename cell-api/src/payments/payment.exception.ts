import { type ExceptionStatus, LocalStoreException } from '@localstore/common';

export enum PaymentErrorCode {
  ORDER_NOT_FOUND = 'ORDER_NOT_FOUND',
  ORDER_NOT_PAYABLE = 'ORDER_NOT_PAYABLE',
  PROVIDER_MISMATCH = 'PROVIDER_MISMATCH',
  PROVIDER_NOT_CONNECTED = 'PROVIDER_NOT_CONNECTED',
  PROVIDER_UNAVAILABLE = 'PROVIDER_UNAVAILABLE',
  TOO_MANY_ATTEMPTS = 'TOO_MANY_ATTEMPTS',
}

const STATUS: Record<PaymentErrorCode, ExceptionStatus> = {
  ORDER_NOT_FOUND: 404,
  ORDER_NOT_PAYABLE: 409,
  PROVIDER_MISMATCH: 400,
  PROVIDER_NOT_CONNECTED: 409,
  PROVIDER_UNAVAILABLE: 503,
  TOO_MANY_ATTEMPTS: 409,
};

export class PaymentException extends LocalStoreException<PaymentErrorCode> {
  get status(): ExceptionStatus {
    return STATUS[this.code];
  }
}
