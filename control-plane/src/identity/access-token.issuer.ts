import { SERVICE_SUBJECT } from '@localstore/common';
import { SignJWT } from 'jose';
import type { ControlPlaneConfig } from '../config/control-plane-config';
import type { SigningKeyRing } from './signing-key-ring';

export interface TenantGrant {
  tenantId: string;
  role: 'owner' | 'manager' | 'staff';
  /** Location ids, or null for every location. */
  locationIds: string[] | null;
}

/** Short-lived ES256 access tokens: `sub`, and for a chosen tenant `tid role locs`. */
export class AccessTokenIssuer {
  constructor(
    private readonly keys: SigningKeyRing,
    private readonly config: ControlPlaneConfig['tokens'],
  ) {}

  async issue(userId: string, grant: TenantGrant | null, now = new Date()): Promise<{ token: string; expiresIn: number }> {
    const { kid, key } = this.keys.signer();
    const claims = grant ? { tid: grant.tenantId, role: grant.role, locs: grant.locationIds ?? '*' } : {};
    const issuedAt = Math.floor(now.getTime() / 1000);
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
      .setSubject(userId)
      .setIssuer(this.config.issuer)
      .setAudience(this.config.audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + this.config.accessTtlSeconds)
      .sign(key);
    return { token, expiresIn: this.config.accessTtlSeconds };
  }

  /** A one-minute token for calling a cell's internal endpoint that requires `scope`. */
  async issueService(scope: string, now = new Date()): Promise<string> {
    const { kid, key } = this.keys.signer();
    const issuedAt = Math.floor(now.getTime() / 1000);
    return new SignJWT({ scope })
      .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
      .setSubject(SERVICE_SUBJECT)
      .setIssuer(this.config.issuer)
      .setAudience(this.config.audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + 60)
      .sign(key);
  }
}
