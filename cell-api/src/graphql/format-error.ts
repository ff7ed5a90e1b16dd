import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { DomainException } from '../errors/domain-exception';
import { renderMessage } from '../errors/messages/catalog';
import {
  isTenantMovingError,
  TENANT_MOVING_CODE,
  TENANT_MOVING_REASON,
  TENANT_MOVING_RETRY_AFTER_SECONDS,
} from '../errors/tenant-moving';
import { isClientFacing } from './cell-apollo.plugin';

/**
 * The one place where errors become what a client sees. Domain errors carry their code,
 * reason and field; a write refused while the tenant moves cells says so, as retryable;
 * errors about the request's shape pass as GraphQL wrote them; anything else is masked
 * (no SQL text, stack or class name leaves the process). Messages are Vietnamese here;
 * the plugin switches them to English when the client asked for it.
 */
export function formatCellError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (isTenantMovingError(original)) {
    // Its HTTP side (503, Retry-After) is set by cellApolloPlugin: `extensions.http` would
    // have to be on the thrown error, which is the database driver's.
    return {
      message: renderMessage('vi', TENANT_MOVING_REASON, {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: TENANT_MOVING_CODE, reason: TENANT_MOVING_REASON, retryAfterSeconds: TENANT_MOVING_RETRY_AFTER_SECONDS },
    };
  }
  if (original instanceof DomainException) {
    const params = original.params;
    return {
      message: renderMessage('vi', original.reason, { ...params, ...(original.field ? { field: original.field } : {}) }),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: {
        code: original.clientCode,
        reason: original.reason,
        ...(original.field ? { field: original.field } : {}),
        ...(Object.keys(params).length > 0 ? { params } : {}),
      },
    };
  }
  if (isClientFacing(error) || isClientFacing(original)) {
    const reason = formatted.extensions?.reason;
    const message =
      typeof reason === 'string'
        ? renderMessage('vi', reason, (formatted.extensions?.params ?? {}) as Record<string, string | number>)
        : formatted.message;
    const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, message, extensions };
  }
  return {
    message: renderMessage('vi', 'INTERNAL', {}),
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}
