import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { languageOf, messageFor } from './messages';
import { ProblemException } from './problem.exception';

/**
 * The one place REST errors become `application/problem+json`. Known problems carry
 * their status, reason and field; framework errors (bad JSON, unknown route) keep their
 * status; anything else is a masked 500, logged with its details.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): unknown {
    // GraphQL errors are shaped by the GraphQL layer's own formatter; hand them back to it.
    if (host.getType<string>() !== 'http') return error;
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const language = languageOf(req.header('accept-language'));
    let status = 500;
    let reason = 'INTERNAL';
    let field: string | undefined;
    let params: Record<string, string | number> = {};
    if (error instanceof ProblemException) {
      ({ status, reason, field, params } = error);
      if (error.retryAfterSeconds !== undefined) {
        res.setHeader('Retry-After', String(error.retryAfterSeconds));
        params = { ...params, retryAfter: error.retryAfterSeconds };
      }
    } else if (clientStatusOf(error) !== undefined) {
      // Framework answers: an unknown route, a body that is not JSON or too large.
      status = clientStatusOf(error)!;
      reason = status === 404 ? 'NOT_FOUND' : status === 413 ? 'PAYLOAD_TOO_LARGE' : 'INVALID_INPUT';
      if (reason === 'INVALID_INPUT') field = 'body';
    } else {
      this.logger.error({ err: error, path: req.path }, 'unexpected error');
    }
    res
      .status(status)
      .type('application/problem+json')
      .json({
        type: `https://localstore.vn/problems/${reason.toLowerCase().replace(/_/g, '-')}`,
        title: messageFor(language, reason, { ...params, ...(field ? { field } : {}) }),
        status,
        code: reason,
        ...(field ? { field } : {}),
      });
    return undefined;
  }
}

/** The 4xx status of a framework or body-parser error, if it is one. */
function clientStatusOf(error: unknown): number | undefined {
  const status = error instanceof HttpException ? error.getStatus() : (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}
