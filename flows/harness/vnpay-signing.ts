import { createHmac } from 'node:crypto';

/**
 * VNPay's signing as its reference code (PHP) does it, for the stand-ins of the tests and the
 * benchmarks that play VNPay: the `vnp_*` parameters sorted by name, each `name=value`
 * urlencoded the PHP way and joined by `&`, are both the query and the signed text.
 */

export const hmacHex = (algorithm: 'sha256' | 'sha512', key: string, text: string): string =>
  createHmac(algorithm, key).update(text, 'utf8').digest('hex');

/** PHP's urlencode, byte by byte: only A-Za-z0-9._- stay as they are, a space becomes `+`. */
export function phpUrlencode(text: string): string {
  let encoded = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9._-]/.test(c)) encoded += c;
    else if (c === ' ') encoded += '+';
    else encoded += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}

/** The query VNPay sends and signs: parameters sorted by name, urlencoded, joined by `&`. */
export function vnpayQuery(params: Record<string, string>): string {
  return Object.keys(params)
    .sort()
    .map((name) => `${phpUrlencode(name)}=${phpUrlencode(params[name]!)}`)
    .join('&');
}

/** `vnp_SecureHash`: HMAC-SHA512 with the terminal's hash secret over the sorted query. */
export const vnpaySecureHash = (hashSecret: string, params: Record<string, string>): string =>
  hmacHex('sha512', hashSecret, vnpayQuery(params));

/** `yyyyMMddHHmmss` in Vietnam's time (UTC+7, no daylight saving), as VNPay writes dates. */
export function vietnamTime(at: Date): string {
  const local = new Date(at.getTime() + 7 * 3_600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${local.getUTCFullYear()}${p(local.getUTCMonth() + 1)}${p(local.getUTCDate())}${p(local.getUTCHours())}${p(local.getUTCMinutes())}${p(local.getUTCSeconds())}`;
}
