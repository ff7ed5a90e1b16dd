import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { AuthException } from '../auth/auth.exception';
import type { Principal } from '../auth/principal';
import { credentialsOf, RequestAuthenticator } from '../auth/request-authenticator';
import { TenantTransaction } from '@localstore/cell-db';
import { languageOf } from '../errors/messages/catalog';
import { CellMetrics } from '../observability/cell-metrics';
import { ROOT_LOGGER } from '../config/cell-config.token';
import type { CellRequestContext } from './request-context';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * Builds each GraphQL request's context: who is calling (verified token), which tenant the
 * router says this is, and a tenant transaction for that caller's tenant. Failures are
 * recorded, not thrown, so the guard answers with a proper GraphQL error.
 */
@Injectable()
export class RequestContextFactory {
  constructor(
    private readonly auth: RequestAuthenticator,
    private readonly dataSource: DataSource,
    private readonly metrics: CellMetrics,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  create(req: Request): Promise<CellRequestContext> {
    return this.createFrom((name) => req.header(name));
  }

  /**
   * A GraphQL subscription's context: the tenant from the WebSocket upgrade (Host, or the
   * router's X-Tenant), the token from the `connection_init` payload (`authorization:
   * "Bearer …"` or `token`), as browsers cannot set headers on a WebSocket.
   */
  createForSubscription(upgrade: IncomingMessage, connectionParams: Record<string, unknown> | undefined): Promise<CellRequestContext> {
    const params = connectionParams ?? {};
    const authorization =
      typeof params.authorization === 'string'
        ? params.authorization
        : typeof params.token === 'string'
          ? `Bearer ${params.token}`
          : undefined;
    return this.createFrom((name) => {
      if (name === 'authorization') return authorization;
      const value = upgrade.headers[name];
      return typeof value === 'string' ? value : undefined;
    });
  }

  private async createFrom(header: (name: string) => string | undefined): Promise<CellRequestContext> {
    const incomingId = header('x-request-id');
    const requestId = incomingId && REQUEST_ID.test(incomingId) ? incomingId : randomUUID();
    const { token, tenantSlug } = credentialsOf(header);
    let principal: Principal | null = null;
    let authFailure: AuthException | null = null;
    try {
      principal = await this.auth.principalOf(token);
    } catch (error) {
      if (!(error instanceof AuthException)) throw error;
      authFailure = error;
    }
    const metrics = this.metrics;
    return {
      requestId,
      language: languageOf(header('accept-language')),
      logger: this.logger.child({ request_id: requestId, tenant_id: principal?.tenantId ?? null }),
      principal,
      authFailure,
      tenantSlug,
      db: principal
        ? new TenantTransaction(this.dataSource, principal.tenantId, { observer: { onQuery: () => metrics.dbQueries.inc() } })
        : null,
      noCache: /no-cache/i.test(header('cache-control') ?? ''),
      loaders: new Map(),
    };
  }
}
