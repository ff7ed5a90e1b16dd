import { createHash } from 'node:crypto';

/** Namespace of every demo id (an arbitrary, fixed UUID). */
const DEMO_NAMESPACE = Buffer.from('6c0ca15d4e3a4f1e9b7d2a9f1c3e5b70', 'hex');

/**
 * A name-based UUID (RFC 9562 version 5: SHA-1 of a namespace and a name). The demo's
 * menu items, staff and orders get ids derived from what they are (tenant slug + item
 * key, location + date + sequence), so a re-seed writes the same ids and links, bookmarks
 * and benchmark fixtures keep pointing at the same rows.
 */
export function stableUuid(...name: (string | number)[]): string {
  const bytes = createHash('sha1').update(DEMO_NAMESPACE).update(name.join('/')).digest();
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex', 0, 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
