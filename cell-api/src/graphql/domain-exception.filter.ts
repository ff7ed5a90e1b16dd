import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { DomainException } from '../errors/domain-exception';

/**
 * Domain errors are answers, not failures: hand them to GraphQL's formatter untouched (so
 * Nest's default handler does not log every refused token or bad input as an error).
 */
@Catch(DomainException)
export class DomainExceptionFilter implements ExceptionFilter {
  catch(exception: DomainException, host: ArgumentsHost): unknown {
    if (host.getType<string>() === 'graphql') return exception;
    const status = { BAD_USER_INPUT: 400, UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409, SERVICE_UNAVAILABLE: 503 }[exception.clientCode];
    host.switchToHttp().getResponse<Response>().status(status).json({ code: exception.clientCode, reason: exception.reason, field: exception.field });
    return undefined;
  }
}
