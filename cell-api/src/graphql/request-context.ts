import type { Logger } from 'pino';
import type { Principal } from '../auth/principal';
import type { AuthException } from '../auth/auth.exception';
import type { TenantTransaction } from '@localstore/cell-db';
import type { Language } from '../errors/messages/catalog';

/** Everything a GraphQL request carries from start to end. */
export interface CellRequestContext {
  requestId: string;
  language: Language;
  logger: Logger;
  /** The verified user, or null with the reason in `authFailure`. */
  principal: Principal | null;
  authFailure: AuthException | null;
  /** The tenant named by the router's X-Tenant header or the Host's subdomain. */
  tenantSlug: string | null;
  /** The request's tenant transaction; null when unauthenticated. */
  db: TenantTransaction | null;
  /** `Cache-Control: no-cache`: answer from the database, not from cached figures. */
  noCache: boolean;
  /** Per-request DataLoaders, keyed by name. */
  loaders: Map<string, unknown>;
}

/** A context that passed the auth guard: a user and their tenant's transaction. */
export type AuthorizedContext = CellRequestContext & { principal: Principal; db: TenantTransaction };

/** The request's DataLoader named `name`, created on first use. */
export function loaderOf<T>(ctx: CellRequestContext, name: string, create: () => T): T {
  let loader = ctx.loaders.get(name) as T | undefined;
  if (!loader) {
    loader = create();
    ctx.loaders.set(name, loader);
  }
  return loader;
}
