import { type ArgumentsHost, Catch } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Response } from 'express';
import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';
import { isTenantMovingError, TENANT_MOVING_CODE, TENANT_MOVING_REASON, TENANT_MOVING_RETRY_AFTER_SECONDS } from '../errors/tenant-moving';

/**
 * A write refused because the tenant is moving between cells is an expected, retryable
 * answer, not a failure: GraphQL gets it untouched (the Apollo plugin answers 503 +
 * Retry-After) and HTTP endpoints answer the same, without Nest logging it as an error.
 * Other database errors go on to Nest's own handling.
 */
@Catch(DatabaseError, QueryFailedError)
export class TenantMovingFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): unknown {
    const moving = isTenantMovingError(exception);
    // GraphQL: a filter's falsy answer hands the error on to Nest's default handler.
    if (host.getType<string>() === 'graphql') return moving ? exception : undefined;
    if (!moving) return super.catch(exception, host);
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(503)
      .setHeader('Retry-After', String(TENANT_MOVING_RETRY_AFTER_SECONDS))
      .json({ code: TENANT_MOVING_CODE, reason: TENANT_MOVING_REASON });
    return undefined;
  }
}
