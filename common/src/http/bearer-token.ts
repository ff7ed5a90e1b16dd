/**
 * The token of an `Authorization: Bearer <token>` header (RFC 6750 §2.1), or undefined when
 * the header names none. The one reader of that header: the cell's GraphQL context and
 * provisioning door, and the control plane's sign-in and directory, all go through it.
 *
 * The scheme is matched as every client of the platform sends it, `Bearer` with a capital
 * B: a header the platform's own apps never send is treated as no token at all, as it was
 * before this reader existed. Whitespace around the token is dropped; what remains is
 * handed on as it is (a malformed or oversized token is the verifier's to refuse, so the
 * client hears "invalid", not "missing"). Node joins a repeated header into one value;
 * an array (a framework that keeps each) counts only when it holds exactly one value, as
 * two tokens cannot both be the caller's.
 */
export function bearerToken(authorization: string | string[] | undefined): string | undefined {
  const header = Array.isArray(authorization) ? (authorization.length === 1 ? authorization[0] : undefined) : authorization;
  if (typeof header !== 'string' || !header.startsWith(BEARER)) return undefined;
  const token = header.slice(BEARER.length).trim();
  return token === '' ? undefined : token;
}

const BEARER = 'Bearer ';
