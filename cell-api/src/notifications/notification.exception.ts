import { type ClientErrorCode, DomainException } from '../errors/domain-exception';

export enum NotificationErrorCode {
  DEVICE_NOT_FOUND = 'DEVICE_NOT_FOUND',
  PUSH_CHANNEL_UNAVAILABLE = 'PUSH_CHANNEL_UNAVAILABLE',
}

const CLIENT_CODES: Record<NotificationErrorCode, ClientErrorCode> = {
  DEVICE_NOT_FOUND: 'NOT_FOUND',
  PUSH_CHANNEL_UNAVAILABLE: 'CONFLICT',
};

export class NotificationException extends DomainException<NotificationErrorCode> {
  get clientCode(): ClientErrorCode {
    return CLIENT_CODES[this.reason];
  }
}
