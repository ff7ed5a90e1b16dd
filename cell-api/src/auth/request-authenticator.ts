import { Inject, Injectable } from '@nestjs/common';
import { AccessTokenVerifier, bearerToken, InvalidAccessTokenError, tenantSlugOfRequest } from '@localstore/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { ROOT_LOGGER } from '../config/cell-config.token';
import { type TenantDb, withTenantTransaction } from '@localstore/cell-db';
import { TenantDirectory } from '../tenancy/tenant-directory';
import { AuthErrorCode, AuthException } from './auth.exception';
import { Principal } from './principal';

/** What a request says about who is calling and for which tenant. */
export interface Credentials {
  /** The bearer token, if any. */
  token: string | undefined;
  /** The tenant named by the router's X-Tenant header or the Host's subdomain. */
  tenantSlug: string | null;
}

/** Reads a request's credentials from its headers (`Authorization: Bearer …`, X-Tenant, Host). */
export function credentialsOf(header: (name: string) => string | undefined): Credentials {
  return {
    token: bearerToken(header('authorization')),
    tenantSlug: tenantSlugOfRequest({ host: header('host'), xTenant: header('x-tenant') }),
  };
}

/**
 * The one rule for who may use the cell, for every door: GraphQL over HTTP and WebSocket
 * (its request context reads the principal, its guard checks the tenant in the request's
 * own transaction) and the Socket.IO handshake (`authenticate`, both in one call). A valid
 * token, a tenant named by the router (or the Host), and the token's tenant being that
 * tenant, active. Refusals are AuthExceptions; each door maps them to its wire.
 */
@Injectable()
export class RequestAuthenticator {
  constructor(
    private readonly verifier: AccessTokenVerifier,
    private readonly directory: TenantDirectory,
    private readonly dataSource: DataSource,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  /** Both checks, for a door with no request transaction of its own (the Socket.IO handshake). */
  async authenticate(credentials: Credentials): Promise<Principal> {
    const principal = await this.principalOf(credentials.token);
    await withTenantTransaction(this.dataSource, principal.tenantId, (db) => this.checkTenant(db, credentials.tenantSlug));
    return principal;
  }

  /** Who the token says the caller is. */
  async principalOf(token: string | undefined): Promise<Principal> {
    if (!token) throw new AuthException(AuthErrorCode.TOKEN_MISSING);
    try {
      return new Principal(await this.verifier.verify(token));
    } catch (error) {
      if (!(error instanceof InvalidAccessTokenError)) this.logger.error({ err: error }, 'token verification failed');
      throw new AuthException(
        error instanceof InvalidAccessTokenError && error.reason === 'expired' ? AuthErrorCode.TOKEN_EXPIRED : AuthErrorCode.TOKEN_INVALID,
      );
    }
  }

  /** The tenant check, in the caller's tenant transaction (RLS shows only the token's tenant). */
  async checkTenant(db: TenantDb, tenantSlug: string | null): Promise<void> {
    if (!tenantSlug) throw new AuthException(AuthErrorCode.TENANT_NOT_IDENTIFIED);
    const tenant = await this.directory.factsOf(db);
    if (!tenant || tenant.slug !== tenantSlug) throw new AuthException(AuthErrorCode.TENANT_MISMATCH);
    if (tenant.status !== 'active') throw new AuthException(AuthErrorCode.TENANT_SUSPENDED);
  }
}
