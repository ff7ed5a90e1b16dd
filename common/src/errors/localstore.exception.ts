/**
 * The HTTP status each kind of refusal answers with, and the GraphQL `extensions.code` that
 * goes with it: the one table both parts map their exceptions through.
 */
export const GRAPHQL_CODE_OF_STATUS = {
  400: 'BAD_USER_INPUT',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'TOO_MANY_REQUESTS',
  503: 'SERVICE_UNAVAILABLE',
} as const;

/** A status an exception may carry: a client's mistake, or a retryable unavailability. */
export type ExceptionStatus = keyof typeof GRAPHQL_CODE_OF_STATUS;

/** GraphQL's `extensions.code` of an exception, from its status. */
export type GraphqlErrorCode = (typeof GRAPHQL_CODE_OF_STATUS)[ExceptionStatus];

/** Values a message fills in (`{slug}`, `{max}`). */
export type MessageParams = Record<string, string | number>;

/**
 * Base of every feature's exception in every part (`SaleException`, `AuthException`…), as
 * twenty's `workspace.exception.ts`: the feature declares a string enum of codes and the
 * status of each, and throws; one mapper per wire (GraphQL, problem+json, socket refusal)
 * renders it, with the message from the part's own Vietnamese and English catalogs.
 */
export abstract class LocalStoreException<Code extends string = string> extends Error {
  /** The HTTP status of the answer; GraphQL's `extensions.code` follows from it. */
  abstract readonly status: ExceptionStatus;
  /**
   * The key of the message in the part's catalogs, which is the code: a GraphQL answer is
   * re-rendered in the client's language from its `reason` alone, so the two cannot differ.
   */
  readonly messageKey: Code;
  /** Seconds the client should wait before trying again (`Retry-After`), when it should. */
  readonly retryAfterSeconds?: number;

  constructor(
    /**
     * The feature's string-enum code (`SaleErrorCode.ITEM_NOT_IN_MENU`): GraphQL's
     * `extensions.reason`, problem+json's `code`, a socket refusal's reason.
     */
    readonly code: Code,
    /** The offending input, named as the client sent it (`input.items[0].itemId`). */
    readonly field?: string,
    /** Values the message fills in. */
    readonly params: MessageParams = {},
    /** `cause`: the error behind it, for the logs (never shown to a client). */
    options: { retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(field ? `${code} (${field})` : code, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.messageKey = code;
    if (options.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** The values an exception's message is filled with: its params, its field, when to retry. */
export function messageParamsOf(exception: LocalStoreException): MessageParams {
  return {
    ...exception.params,
    ...(exception.field ? { field: exception.field } : {}),
    ...(exception.retryAfterSeconds !== undefined ? { retryAfter: exception.retryAfterSeconds } : {}),
  };
}
