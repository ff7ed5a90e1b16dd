import { type ClientErrorCode, DomainException } from '../errors/domain-exception';

export enum PaymentErrorCode {
  ORDER_NOT_FOUND = 'ORDER_NOT_FOUND',
  ORDER_NOT_PAYABLE = 'ORDER_NOT_PAYABLE',
  PROVIDER_MISMATCH = 'PROVIDER_MISMATCH',
  PROVIDER_NOT_CONNECTED = 'PROVIDER_NOT_CONNECTED',
  PROVIDER_UNAVAILABLE = 'PROVIDER_UNAVAILABLE',
  TOO_MANY_ATTEMPTS = 'TOO_MANY_ATTEMPTS',
}

const CLIENT_CODES: Record<PaymentErrorCode, ClientErrorCode> = {
  ORDER_NOT_FOUND: 'NOT_FOUND',
  ORDER_NOT_PAYABLE: 'CONFLICT',
  PROVIDER_MISMATCH: 'BAD_USER_INPUT',
  PROVIDER_NOT_CONNECTED: 'CONFLICT',
  PROVIDER_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  TOO_MANY_ATTEMPTS: 'CONFLICT',
};

export class PaymentException extends DomainException<PaymentErrorCode> {
  get clientCode(): ClientErrorCode {
    return CLIENT_CODES[this.reason];
  }
}
