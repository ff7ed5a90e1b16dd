import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import { LocalStoreException, PROBLEM_CONTENT_TYPE, problemOf } from '@localstore/common';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { languageOf, messageFor, messageOfException } from './messages';

/**
 * The one place REST errors become `application/problem+json`, through common's
 * `problemOf`. Exceptions carry their status, code and field; framework errors (bad JSON,
 * unknown route) keep their status; anything else is a masked 500, logged with its details.
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
    let problem: ReturnType<typeof problemOf>;
    if (error instanceof LocalStoreException) {
      problem = problemOf(error, messageOfException(language, error));
    } else if (clientStatusOf(error) !== undefined) {
      // Framework answers: an unknown route, a body that is not JSON or too large.
      const status = clientStatusOf(error)!;
      const code = status === 404 ? 'NOT_FOUND' : status === 413 ? 'PAYLOAD_TOO_LARGE' : 'INVALID_INPUT';
      const field = code === 'INVALID_INPUT' ? 'body' : undefined;
      problem = problemOf({ status, code, ...(field ? { field } : {}) }, messageFor(language, code, field ? { field } : {}));
    } else {
      this.logger.error({ err: error, path: req.path }, 'unexpected error');
      problem = problemOf({ status: 500, code: 'INTERNAL' }, messageFor(language, 'INTERNAL', {}));
    }
    res.status(problem.status).set(problem.headers).type(PROBLEM_CONTENT_TYPE).json(problem.body);
    return undefined;
  }
}

/** The 4xx status of a framework or body-parser error, if it is one. */
function clientStatusOf(error: unknown): number | undefined {
  const status = error instanceof HttpException ? error.getStatus() : (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}
