import { LocalStoreException } from '@localstore/common';

export enum LocationErrorCode {
  LOCATION_NOT_FOUND = 'LOCATION_NOT_FOUND',
}

export class LocationException extends LocalStoreException<LocationErrorCode> {
  readonly status = 404 as const;
}
