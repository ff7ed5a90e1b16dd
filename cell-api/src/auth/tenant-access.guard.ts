import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { CellRequestContext } from '../graphql/request-context';
import { AuthErrorCode, AuthException } from './auth.exception';
import { RequestAuthenticator } from './request-authenticator';

/**
 * Every GraphQL operation passes here: a valid token, a tenant named by the router (or
 * the Host), and the token's tenant being that tenant. Location and role checks follow in
 * each resolver, which knows which location it touches.
 */
@Injectable()
export class TenantAccessGuard implements CanActivate {
  constructor(private readonly auth: RequestAuthenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType<string>() !== 'graphql') return true;
    const ctx = GqlExecutionContext.create(context).getContext<CellRequestContext>();
    if (!ctx.principal || !ctx.db) throw ctx.authFailure ?? new AuthException(AuthErrorCode.TOKEN_MISSING);
    await this.auth.checkTenant(ctx.db, ctx.tenantSlug);
    return true;
  }
}
