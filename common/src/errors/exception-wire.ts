import { GRAPHQL_CODE_OF_STATUS, type GraphqlErrorCode, type LocalStoreException, type MessageParams } from './localstore.exception';

/**
 * An exception as a GraphQL error: `extensions.code` from its status, `reason` its feature
 * code, the offending `field`, the message's `params` and, when it may be retried,
 * `retryAfterSeconds`. The message is the part's, from its catalogs.
 */
export interface GraphqlRefusal {
  message: string;
  path?: readonly (string | number)[];
  extensions: { code: GraphqlErrorCode; reason: string; field?: string; params?: MessageParams; retryAfterSeconds?: number };
}

export function graphqlErrorOf(exception: LocalStoreException, message: string, path?: readonly (string | number)[]): GraphqlRefusal {
  const { params, field, retryAfterSeconds } = exception;
  return {
    message,
    ...(path ? { path } : {}),
    extensions: {
      code: GRAPHQL_CODE_OF_STATUS[exception.status],
      reason: exception.code,
      ...(field ? { field } : {}),
      ...(Object.keys(params).length > 0 ? { params } : {}),
      ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    },
  };
}

/** The media type of an HTTP refusal (RFC 9457). */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** An HTTP refusal's body (RFC 9457), with the platform's `code` and `field` members. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  /** The feature's code (`OTP_INVALID`), as a socket or GraphQL refusal's reason. */
  code: string;
  field?: string;
}

/** The `type` URI of a code: `https://localstore.vn/problems/otp-invalid`. */
export function problemTypeOf(code: string): string {
  return `https://localstore.vn/problems/${code.toLowerCase().replace(/_/g, '-')}`;
}

/**
 * An exception as `application/problem+json`: status, body and headers (`Retry-After` when
 * it may be retried). `title` is the part's message for it. Also takes what is not an
 * exception (a framework's 404, a masked 500) in the same shape.
 */
export function problemOf(
  refusal: { status: number; code: string; field?: string; retryAfterSeconds?: number },
  title: string,
): { status: number; headers: Record<string, string>; body: ProblemDetails } {
  const { status, code, field, retryAfterSeconds } = refusal;
  return {
    status,
    headers: retryAfterSeconds !== undefined ? { 'retry-after': String(retryAfterSeconds) } : {},
    body: { type: problemTypeOf(code), title, status, code, ...(field ? { field } : {}) },
  };
}
