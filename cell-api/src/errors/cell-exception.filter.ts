import { type ArgumentsHost, Catch } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { LocalStoreException, PROBLEM_CONTENT_TYPE, problemOf } from '@localstore/common';
import type { Request, Response } from 'express';
import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';
import { messageOf, refusalOf } from './cell-refusals';
import { languageOf } from './messages/catalog';

/**
 * Where the cell's exceptions meet Nest. A refusal (a feature's exception, or a write the
 * database refused because the tenant is moving cells) is an answer, not a failure: GraphQL
 * gets it untouched for `formatCellError`; an HTTP endpoint answers it as
 * `application/problem+json` through common's `problemOf` (503 + Retry-After for a moving
 * tenant); Nest does not log it as an error. Other database errors go on to Nest's own
 * handling, which logs them and answers a bare 500.
 */
@Catch(LocalStoreException, DatabaseError, QueryFailedError)
export class CellExceptionFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): unknown {
    const refusal = refusalOf(exception);
    // GraphQL: a filter's falsy answer hands the error on to Nest's default handler.
    if (host.getType<string>() === 'graphql') return refusal ? exception : undefined;
    if (!refusal) return super.catch(exception, host);
    const http = host.switchToHttp();
    const problem = problemOf(refusal, messageOf(languageOf(http.getRequest<Request>().header('accept-language')), refusal));
    http.getResponse<Response>().status(problem.status).set(problem.headers).type(PROBLEM_CONTENT_TYPE).json(problem.body);
    return undefined;
  }
}
