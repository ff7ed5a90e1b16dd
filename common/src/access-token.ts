import { readFileSync } from 'node:fs';
import { createLocalJWKSet, createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';

export const ROLES = ['owner', 'manager', 'staff'] as const;
export type Role = (typeof ROLES)[number];

/** The subject of the control plane's own service tokens. */
export const SERVICE_SUBJECT = 'control-plane';

/** `'*'` in the `locs` claim: every location of the tenant. */
export const ALL_LOCATIONS = '*';

/** What a verified access token says about its bearer. */
export interface AccessClaims {
  /** User id (the control plane's). */
  userId: string;
  /** Tenant the token was issued for. */
  tenantId: string;
  role: Role;
  /** Location ids the bearer may see, or every location. */
  locationIds: readonly string[] | typeof ALL_LOCATIONS;
  /** Expiry, seconds since the epoch. */
  expiresAt: number;
}

export interface TokenVerifierOptions {
  /** URL of the control plane's JWKS (fetched on demand and cached by key id). */
  jwksUrl?: string;
  /** The keys themselves, for the control plane verifying its own tokens. */
  keys?: JWTVerifyGetKey;
  /** A JWKS document on disk: embedded runs with no control plane only. */
  jwksFile?: string;
  issuer: string;
  audience: string;
}

export type TokenRejection = 'malformed' | 'expired' | 'bad_signature' | 'bad_claims';

export class InvalidAccessTokenError extends Error {
  constructor(readonly reason: TokenRejection) {
    super(`access token rejected: ${reason}`);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/**
 * Verifies ES256 access tokens against the control plane's public keys. Only ES256 is
 * accepted (no `none`, no HMAC confusion); issuer, audience and expiry are enforced.
 */
export class AccessTokenVerifier {
  private readonly keys: JWTVerifyGetKey;
  /** Verified tokens, so a busy tablet does not pay for a signature check per request. */
  private readonly verified = new Map<string, AccessClaims>();
  private static readonly CACHE_LIMIT = 10_000;

  constructor(private readonly options: TokenVerifierOptions) {
    if (options.keys) {
      this.keys = options.keys;
    } else if (options.jwksUrl) {
      this.keys = createRemoteJWKSet(new URL(options.jwksUrl), { cooldownDuration: 30_000, cacheMaxAge: 600_000 });
    } else if (options.jwksFile) {
      this.keys = createLocalJWKSet(JSON.parse(readFileSync(options.jwksFile, 'utf8')));
    } else {
      throw new Error('AccessTokenVerifier needs jwksUrl or jwksFile');
    }
  }

  async verify(token: string, now: Date = new Date()): Promise<AccessClaims> {
    const cached = this.verified.get(token);
    if (cached) {
      if (cached.expiresAt * 1000 > now.getTime()) return cached;
      this.verified.delete(token);
    }
    const claims = parseClaims(await this.verifiedPayload(token, now));
    if (this.verified.size >= AccessTokenVerifier.CACHE_LIMIT) this.verified.clear();
    this.verified.set(token, claims);
    return claims;
  }

  /**
   * A token's user, whether or not it names a tenant yet (a user who just signed in and
   * has not picked a business). Cells never accept such a token; the control plane does.
   */
  async verifyIdentity(token: string, now: Date = new Date()): Promise<{ userId: string }> {
    const payload = await this.verifiedPayload(token, now);
    if (!isUuid(payload.sub)) throw new InvalidAccessTokenError('bad_claims');
    return { userId: payload.sub };
  }

  /**
   * A service token of the control plane (`sub: control-plane`) carrying `scope`: how the
   * control plane calls a cell's internal endpoints, with the same keys as user tokens.
   */
  async verifyService(token: string, scope: string, now: Date = new Date()): Promise<void> {
    const payload = await this.verifiedPayload(token, now);
    if (payload.sub !== SERVICE_SUBJECT || payload.scope !== scope) throw new InvalidAccessTokenError('bad_claims');
  }

  private async verifiedPayload(token: string, now: Date): Promise<Record<string, unknown>> {
    try {
      const { payload } = await jwtVerify(token, this.keys, {
        algorithms: ['ES256'],
        issuer: this.options.issuer,
        audience: this.options.audience,
        currentDate: now,
        requiredClaims: ['sub', 'exp'],
      });
      return payload;
    } catch (error) {
      throw new InvalidAccessTokenError(rejectionOf(error));
    }
  }
}

function rejectionOf(error: unknown): TokenRejection {
  if (error instanceof joseErrors.JWTExpired) return 'expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return 'bad_claims';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed || error instanceof joseErrors.JWKSNoMatchingKey) {
    return 'bad_signature';
  }
  return 'malformed';
}

/** Checks the shape of the claims the platform relies on; anything off rejects the token. */
export function parseClaims(payload: Record<string, unknown>): AccessClaims {
  const { sub, tid, role, locs, exp } = payload;
  if (!isUuid(sub) || !isUuid(tid) || typeof exp !== 'number') throw new InvalidAccessTokenError('bad_claims');
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
    throw new InvalidAccessTokenError('bad_claims');
  }
  let locationIds: AccessClaims['locationIds'];
  if (locs === ALL_LOCATIONS) locationIds = ALL_LOCATIONS;
  else if (Array.isArray(locs) && locs.length <= 1000 && locs.every(isUuid)) locationIds = Object.freeze([...locs]);
  else throw new InvalidAccessTokenError('bad_claims');
  return { userId: sub, tenantId: tid, role: role as Role, locationIds, expiresAt: exp };
}
