import type { ApolloServerPlugin, GraphQLRequestContext, GraphQLRequestListener } from '@apollo/server';
import { getVariableValues, GraphQLError } from 'graphql';
import { isTenantMovingError, TENANT_MOVING_RETRY_AFTER_SECONDS } from '../errors/tenant-moving';
import type { CellMetrics } from '../observability/cell-metrics';
import { inLanguage, internalError, isClientFacing } from './format-error';
import { complexityOf } from './query-limits';
import type { CellRequestContext } from './request-context';

/**
 * Ends each request's tenant transaction (commit only when the operation had no error, so
 * a failed mutation leaves nothing behind), enforces the complexity limit, localises error
 * messages, answers 503 while the tenant is moving cells, logs unexpected errors and
 * records the request's duration.
 */
export function cellApolloPlugin(metrics: CellMetrics, maxComplexity: number): ApolloServerPlugin<CellRequestContext> {
  return {
    async requestDidStart(start): Promise<GraphQLRequestListener<CellRequestContext>> {
      const startedAt = process.hrtime.bigint();
      const ctx = start.contextValue;
      let operationType = 'unknown';
      let tenantMoving = false;
      return {
        async didResolveOperation({ schema, document, operationName, request, operation }) {
          operationType = operation?.operation ?? 'unknown';
          // Coerce variables first, so a wrongly typed variable is the client's error (with
          // its path), not a crash of the complexity estimator that also reads them.
          const coerced = operation
            ? getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {})
            : { errors: undefined };
          if (coerced.errors?.length) {
            throw new GraphQLError(coerced.errors[0]!.message, { extensions: { code: 'BAD_USER_INPUT' } });
          }
          const complexity = complexityOf(schema, document, operationName ?? undefined, request.variables);
          if (complexity > maxComplexity) {
            throw new GraphQLError(`Query complexity ${complexity} exceeds ${maxComplexity}`, {
              extensions: {
                code: 'BAD_USER_INPUT',
                reason: 'QUERY_TOO_COMPLEX',
                params: { actual: complexity, max: maxComplexity },
              },
            });
          }
        },
        async didEncounterErrors({ errors }) {
          if (errors.some((error) => isTenantMovingError(error.originalError ?? error))) {
            tenantMoving = true;
            ctx.logger.info({ operation: start.request.operationName }, 'write refused: tenant is moving to another cell');
          }
          for (const error of errors) {
            const original = error.originalError ?? error;
            if (!isClientFacing(original) && !isClientFacing(error)) {
              ctx.logger.error({ err: original, path: error.path }, 'unexpected error while resolving');
            }
          }
        },
        async willSendResponse(requestContext: GraphQLRequestContext<CellRequestContext>) {
          const body = requestContext.response.body;
          const result = body?.kind === 'single' ? body.singleResult : undefined;
          if (tenantMoving) {
            // A write refused while the tenant moves cells rolled back whole: answer 503 so the
            // router (and any client) retries once the move has finished. Without `data` the
            // answer is a request error (GraphQL over HTTP), which is also what keeps Nest's
            // status-preserving plugin, run after this one, from resetting the status to 200.
            // This must stay before the first await below.
            requestContext.response.http.status = 503;
            requestContext.response.http.headers.set('retry-after', String(TENANT_MOVING_RETRY_AFTER_SECONDS));
            if (result) delete result.data;
          }
          const failed = (requestContext.errors?.length ?? 0) > 0 || (result?.errors?.length ?? 0) > 0;
          // A query wrote nothing: its transaction may end after the answer has left, which
          // takes a round trip off every dashboard. A mutation's answer waits for its COMMIT.
          if (operationType === 'query' && !failed) {
            void ctx.db?.finish(true).catch((error: unknown) => ctx.logger.error({ err: error }, 'ending a read transaction failed'));
          } else {
            try {
              await ctx.db?.finish(!failed);
            } catch (error) {
              ctx.logger.error({ err: error }, 'commit failed');
              if (result) {
                result.data = null;
                result.errors = [internalError(ctx.language)];
              }
            }
          }
          if (result?.errors && ctx.language !== 'vi') result.errors = inLanguage(result.errors, ctx.language);
          const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
          metrics.graphqlDuration.observe(
            {
              operation: metrics.operationLabel(requestContext.operationName),
              type: operationType,
              // The answer's errors as the client gets them (formatted, each with its code).
              outcome: outcomeOf(result?.errors ?? requestContext.errors ?? []),
            },
            seconds,
          );
          ctx.logger.debug({ operation: requestContext.operationName, ms: seconds * 1000, failed }, 'graphql request');
        },
      };
    },
  };
}

/** Codes that say the caller asked wrongly: the request was answered as it should be. */
const CALLER_CODES = new Set([
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'CONFLICT',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'BAD_REQUEST',
]);

/**
 * A request's outcome for the metrics: `ok`; `rejected` when every error is the caller's
 * (bad input, no access); `error` otherwise (the availability SLO counts only these).
 */
export function outcomeOf(errors: readonly { extensions?: Record<string, unknown> }[]): 'ok' | 'rejected' | 'error' {
  if (errors.length === 0) return 'ok';
  return errors.every((error) => CALLER_CODES.has(String(error.extensions?.code ?? ''))) ? 'rejected' : 'error';
}
