/**
 * Base of every control-plane feature's exception. `reason` is the feature's string-enum
 * code; the filter turns it into `application/problem+json` (RFC 9457) with the HTTP
 * status, a Vietnamese (or English) message and the offending field.
 */
export abstract class ProblemException<Reason extends string = string> extends Error {
  abstract readonly status: number;

  constructor(
    readonly reason: Reason,
    readonly field?: string,
    readonly params: Record<string, string | number> = {},
    /** Seconds the client should wait, sent as Retry-After (rate limits). */
    readonly retryAfterSeconds?: number,
  ) {
    super(field ? `${reason} (${field})` : reason);
    this.name = new.target.name;
  }
}
