import { DomainException } from '../errors/domain-exception';

export enum LocationErrorCode {
  LOCATION_NOT_FOUND = 'LOCATION_NOT_FOUND',
}

export class LocationException extends DomainException<LocationErrorCode> {
  readonly clientCode = 'NOT_FOUND' as const;
}
