import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { CellRequestContext } from '../graphql/request-context';
import { TenantDirectory } from '../tenancy/tenant-directory';
import { AuthErrorCode, AuthException } from './auth.exception';

/**
 * Every GraphQL operation passes here: a valid token, a tenant named by the router (or
 * the Host), and the token's tenant being that tenant. Location and role checks follow in
 * each resolver, which knows which location it touches.
 */
@Injectable()
export class TenantAccessGuard implements CanActivate {
  constructor(private readonly directory: TenantDirectory) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType<string>() !== 'graphql') return true;
    const ctx = GqlExecutionContext.create(context).getContext<CellRequestContext>();
    if (!ctx.principal || !ctx.db) throw ctx.authFailure ?? new AuthException(AuthErrorCode.TOKEN_MISSING);
    if (!ctx.tenantSlug) throw new AuthException(AuthErrorCode.TENANT_NOT_IDENTIFIED);
    const tenant = await this.directory.factsOf(ctx.db);
    if (!tenant || tenant.slug !== ctx.tenantSlug) throw new AuthException(AuthErrorCode.TENANT_MISMATCH);
    if (tenant.status !== 'active') throw new AuthException(AuthErrorCode.TENANT_SUSPENDED);
    return true;
  }
}
