import { unwrapResolverError } from '@apollo/server/errors';
import { graphqlErrorOf, LocalStoreException } from '@localstore/common';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { messageFor, messageOfException } from './messages';

/** Errors the GraphQL layer itself raises about a request's shape: safe to show as they are. */
const SHAPE_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'BAD_REQUEST']);

/**
 * The one place the control plane's errors become GraphQL errors (`app.<domain>/graphql`):
 * exceptions through common's `graphqlErrorOf` with a Vietnamese message; errors about the
 * request's shape as GraphQL wrote them; anything else logged and masked.
 */
export const formatControlPlaneError =
  (logger: Logger) =>
  (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof LocalStoreException) return graphqlErrorOf(original, messageOfException('vi', original), formatted.path);
    if (original instanceof GraphQLError && SHAPE_CODES.has(String(original.extensions?.code))) return formatted;
    if (SHAPE_CODES.has(String(formatted.extensions?.code))) return formatted;
    logger.error({ err: original, path: formatted.path }, 'unexpected error in the directory API');
    return {
      message: messageFor('vi', 'INTERNAL', {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
