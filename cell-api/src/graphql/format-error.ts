import { unwrapResolverError } from '@apollo/server/errors';
import { graphqlErrorOf } from '@localstore/common';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { messageOf, refusalOf } from '../errors/cell-refusals';
import { type Language, renderMessage } from '../errors/messages/catalog';

/** Errors the GraphQL layer itself raises about a request's shape: safe to show as they are. */
const REQUEST_SHAPE_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

/** Whether the client may see `error` as it is: a refusal, or a GraphQL error about the request's shape. */
export function isClientFacing(error: unknown): boolean {
  if (refusalOf(error)) return true;
  return error instanceof GraphQLError && REQUEST_SHAPE_CODES.has(String(error.extensions?.code));
}

/**
 * The one place where the cell's errors become what a GraphQL client sees. Exceptions go
 * through common's `graphqlErrorOf` (code from the status, reason, field, params; a write
 * refused while the tenant moves cells says so, as retryable); errors about the request's
 * shape pass as GraphQL wrote them; anything else is masked (no SQL text, stack or class
 * name leaves the process; the Apollo plugin logs it). Messages are Vietnamese here:
 * `formatError` has no request, so `inLanguage` switches them once the plugin knows it.
 */
export function formatCellError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  // Its HTTP side (503, Retry-After) for a moving tenant is set by cellApolloPlugin:
  // `extensions.http` would have to be on the thrown error, which is the database driver's.
  const refusal = refusalOf(original);
  if (refusal) return graphqlErrorOf(refusal, messageOf('vi', refusal), formatted.path);
  if (isClientFacing(error) || isClientFacing(original)) {
    const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, message: messageOfFormatted('vi', formatted), extensions };
  }
  return internalError('vi', formatted.path);
}

/** The answer's errors with their messages in `language`, from the reason each carries. */
export function inLanguage(errors: readonly GraphQLFormattedError[], language: Language): GraphQLFormattedError[] {
  return errors.map((error) =>
    typeof error.extensions?.reason === 'string' ? { ...error, message: messageOfFormatted(language, error) } : error,
  );
}

/** The masked error: what a client sees of anything unexpected. */
export function internalError(language: Language, path?: GraphQLFormattedError['path']): GraphQLFormattedError {
  return { message: renderMessage(language, 'INTERNAL', {}), ...(path ? { path } : {}), extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

/** A formatted error's message rebuilt from its reason, params and field; as it is without a reason. */
function messageOfFormatted(language: Language, error: GraphQLFormattedError): string {
  const reason = error.extensions?.reason;
  if (typeof reason !== 'string') return error.message;
  const params = (error.extensions?.params ?? {}) as Record<string, string | number>;
  const field = error.extensions?.field;
  return renderMessage(language, reason, { ...params, ...(typeof field === 'string' ? { field } : {}) });
}
