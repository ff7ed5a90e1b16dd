import { type AccessClaims, ALL_LOCATIONS, type Role } from '@localstore/common';
import { AuthErrorCode, AuthException } from './auth.exception';

/** The signed-in user of a request, as their verified access token describes them. */
export class Principal {
  constructor(private readonly claims: AccessClaims) {}

  get userId(): string {
    return this.claims.userId;
  }

  get tenantId(): string {
    return this.claims.tenantId;
  }

  get role(): Role {
    return this.claims.role;
  }

  /** Location ids the user is limited to, or null for every location of the tenant. */
  get allowedLocationIds(): readonly string[] | null {
    return this.claims.locationIds === ALL_LOCATIONS ? null : this.claims.locationIds;
  }

  canSeeLocation(locationId: string): boolean {
    const allowed = this.allowedLocationIds;
    return allowed === null || allowed.includes(locationId);
  }

  assertLocation(locationId: string, field = 'locationId'): void {
    if (!this.canSeeLocation(locationId)) throw new AuthException(AuthErrorCode.LOCATION_FORBIDDEN, field);
  }

  assertRole(...roles: Role[]): void {
    if (!roles.includes(this.claims.role)) throw new AuthException(AuthErrorCode.ROLE_FORBIDDEN);
  }
}
