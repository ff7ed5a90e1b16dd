import { AccessTokenVerifier, bearerToken, InvalidAccessTokenError, isUuid } from '@localstore/common';
import type { Logger } from 'pino';
import type { DirectoryRepository, Membership } from '../directory/directory.repository';
import type { AccessTokenIssuer } from './access-token.issuer';
import { AuthErrorCode, AuthException } from './auth.exception';
import type { OtpService } from './otp.service';
import type { RefreshTokens } from './refresh-tokens';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  /** The tenant the access token is for, or null until one is chosen. */
  tenant: { id: string; slug: string; name: string; role: string } | null;
  tenants: { id: string; slug: string; name: string; role: string }[];
}

const summary = (m: Membership) => ({ id: m.tenantId, slug: m.slug, name: m.name, role: m.role });

/** Sign-in by phone, token refresh with reuse detection, logout, and switching tenants. */
export class AuthService {
  constructor(
    private readonly otp: OtpService,
    private readonly directory: DirectoryRepository,
    private readonly accessTokens: AccessTokenIssuer,
    private readonly refreshTokens: RefreshTokens,
    private readonly verifier: AccessTokenVerifier,
    private readonly logger: Logger,
  ) {}

  requestCode(phone: unknown, clientIp: string) {
    return this.otp.request(phone, clientIp);
  }

  /** A right code signs the user in: for their only tenant directly, else with no tenant yet. */
  async verifyCode(phone: unknown, code: unknown): Promise<TokenPair> {
    const verifiedPhone = await this.otp.verify(phone, code);
    const userId = await this.directory.userIdForPhone(verifiedPhone);
    const memberships = await this.directory.membershipsOf(userId);
    const chosen = memberships.length === 1 ? memberships[0]! : null;
    return this.pairFor(userId, chosen, memberships, await this.refreshTokens.issue(userId, chosen?.tenantId ?? null));
  }

  async refresh(refreshToken: unknown, clientIp: string): Promise<TokenPair> {
    if (typeof refreshToken !== 'string' || refreshToken.length < 20 || refreshToken.length > 200) {
      throw new AuthException(AuthErrorCode.REFRESH_INVALID, 'refreshToken');
    }
    const outcome = await this.refreshTokens.rotate(refreshToken);
    if (outcome.kind === 'reused') {
      // A rotated token came back: it leaked. The family is already revoked; say so loudly.
      this.logger.warn(
        { security_event: 'refresh_token_reuse', user_id: outcome.record.userId, ip: clientIp, family_id: outcome.record.familyId },
        'refresh token reuse: login revoked',
      );
      await this.directory.recordSecurityEvent('refresh_token_reuse', outcome.record.userId, clientIp, {
        familyId: outcome.record.familyId,
      });
      throw new AuthException(AuthErrorCode.REFRESH_INVALID, 'refreshToken');
    }
    if (outcome.kind === 'invalid') throw new AuthException(AuthErrorCode.REFRESH_INVALID, 'refreshToken');
    const memberships = await this.directory.membershipsOf(outcome.record.userId);
    // The membership may have changed since sign-in: the new token says what is true now.
    const chosen = memberships.find((m) => m.tenantId === outcome.record.tenantId) ?? null;
    return this.pairFor(outcome.record.userId, chosen, memberships, outcome.token);
  }

  async logout(refreshToken: unknown): Promise<void> {
    if (typeof refreshToken !== 'string' || refreshToken.length > 200)
      throw new AuthException(AuthErrorCode.REFRESH_INVALID, 'refreshToken');
    await this.refreshTokens.revokeFamilyOf(refreshToken);
  }

  async switchTenant(authorization: string | undefined, tenantId: unknown): Promise<TokenPair> {
    const userId = await this.userOf(authorization);
    if (!isUuid(tenantId)) throw new AuthException(AuthErrorCode.INVALID_INPUT, 'tenantId');
    const memberships = await this.directory.membershipsOf(userId);
    const chosen = memberships.find((m) => m.tenantId === tenantId);
    if (!chosen) throw new AuthException(AuthErrorCode.NOT_A_MEMBER, 'tenantId');
    return this.pairFor(userId, chosen, memberships, await this.refreshTokens.issue(userId, chosen.tenantId));
  }

  private async userOf(authorization: string | undefined): Promise<string> {
    const token = bearerToken(authorization);
    if (!token) throw new AuthException(AuthErrorCode.TOKEN_MISSING);
    try {
      return (await this.verifier.verifyIdentity(token)).userId;
    } catch (error) {
      if (error instanceof InvalidAccessTokenError) throw new AuthException(AuthErrorCode.TOKEN_INVALID);
      throw error;
    }
  }

  private async pairFor(userId: string, chosen: Membership | null, memberships: Membership[], refreshToken: string): Promise<TokenPair> {
    const { token, expiresIn } = await this.accessTokens.issue(userId, chosen);
    return {
      accessToken: token,
      refreshToken,
      tokenType: 'Bearer',
      expiresIn,
      tenant: chosen ? summary(chosen) : null,
      tenants: memberships.map(summary),
    };
  }
}
