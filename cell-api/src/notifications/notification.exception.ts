import { type ExceptionStatus, LocalStoreException } from '@localstore/common';

export enum NotificationErrorCode {
  DEVICE_NOT_FOUND = 'DEVICE_NOT_FOUND',
  PUSH_CHANNEL_UNAVAILABLE = 'PUSH_CHANNEL_UNAVAILABLE',
}

const STATUS: Record<NotificationErrorCode, ExceptionStatus> = {
  DEVICE_NOT_FOUND: 404,
  PUSH_CHANNEL_UNAVAILABLE: 409,
};

export class NotificationException extends LocalStoreException<NotificationErrorCode> {
  get status(): ExceptionStatus {
    return STATUS[this.code];
  }
}
