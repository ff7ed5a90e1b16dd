import { DomainException } from '../errors/domain-exception';

export enum DashboardErrorCode {
  INVALID_DATE_RANGE = 'INVALID_DATE_RANGE',
}

export class DashboardException extends DomainException<DashboardErrorCode> {
  readonly clientCode = 'BAD_USER_INPUT' as const;
}
