import { LocalStoreException } from '@localstore/common';

export enum DashboardErrorCode {
  INVALID_DATE_RANGE = 'INVALID_DATE_RANGE',
}

export class DashboardException extends LocalStoreException<DashboardErrorCode> {
  readonly status = 400 as const;
}
