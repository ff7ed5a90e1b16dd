import { createCipheriv, createECDH, hkdfSync, randomBytes } from 'node:crypto';
import { importJWK, SignJWT } from 'jose';
import type { CellConfig } from '../config/cell-config';
import { type PushMessage, type PushOutcome, PushRetryableError } from './push-message';

export interface WebPushSubscription {
  endpoint: string;
  /** The browser's P-256 public key (uncompressed point), base64url. */
  p256dh: string;
  /** The browser's 16-byte auth secret, base64url. */
  auth: string;
}

const RECORD_SIZE = 4096;
const TIMEOUT_MS = 10_000;

/**
 * RFC 8291 message encryption (aes128gcm, RFC 8188) for one subscription: an ephemeral
 * P-256 key agreed with the browser's key, mixed with its auth secret; one record.
 */
export function encryptForSubscription(
  plaintext: Buffer,
  subscription: Pick<WebPushSubscription, 'p256dh' | 'auth'>,
  salt = randomBytes(16),
): Buffer {
  const uaPublic = Buffer.from(subscription.p256dh, 'base64url');
  const authSecret = Buffer.from(subscription.auth, 'base64url');
  const ephemeral = createECDH('prime256v1');
  const asPublic = ephemeral.generateKeys();
  const ecdhSecret = ephemeral.computeSecret(uaPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), uaPublic, asPublic]);
  const ikm = Buffer.from(hkdfSync('sha256', ecdhSecret, authSecret, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const cipher = createCipheriv('aes-128-gcm', cek, nonce);
  // The last (and only) record ends with the 0x02 delimiter.
  const body = Buffer.concat([cipher.update(Buffer.concat([plaintext, Buffer.from([2])])), cipher.final(), cipher.getAuthTag()]);
  const header = Buffer.alloc(21);
  salt.copy(header, 0);
  header.writeUInt32BE(RECORD_SIZE, 16);
  header.writeUInt8(asPublic.length, 20);
  return Buffer.concat([header, asPublic, body]);
}

/**
 * Web Push for the installable web app: the payload encrypted for the subscription
 * (RFC 8291), the request signed for the push service with our VAPID key (RFC 8292).
 */
export class WebPushSender {
  constructor(
    private readonly vapid: NonNullable<CellConfig['notifications']['webPush']>,
    private readonly allowHttp: boolean,
  ) {}

  async send(subscription: WebPushSubscription, message: PushMessage): Promise<PushOutcome> {
    const endpoint = new URL(subscription.endpoint);
    if (endpoint.protocol !== 'https:' && !(this.allowHttp && endpoint.protocol === 'http:')) return 'gone';
    const body = encryptForSubscription(Buffer.from(JSON.stringify(message)), subscription);
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        authorization: `vapid t=${await this.vapidToken(endpoint.origin)}, k=${this.vapid.publicKey}`,
        'content-encoding': 'aes128gcm',
        'content-type': 'application/octet-stream',
        ttl: '86400',
        urgency: 'high',
      },
      body: new Uint8Array(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await response.arrayBuffer().catch(() => undefined);
    if (response.status === 201 || response.status === 200 || response.status === 202) return 'sent';
    // 404 / 410: the subscription expired or was removed by the user.
    if (response.status === 404 || response.status === 410) return 'gone';
    throw new PushRetryableError(`the push service answered ${response.status}`);
  }

  private async vapidToken(audience: string): Promise<string> {
    const publicKey = Buffer.from(this.vapid.publicKey, 'base64url');
    const key = await importJWK(
      {
        kty: 'EC',
        crv: 'P-256',
        d: this.vapid.privateKey,
        x: publicKey.subarray(1, 33).toString('base64url'),
        y: publicKey.subarray(33, 65).toString('base64url'),
      },
      'ES256',
    );
    return new SignJWT({})
      .setProtectedHeader({ typ: 'JWT', alg: 'ES256' })
      .setAudience(audience)
      .setSubject(this.vapid.subject)
      .setExpirationTime(Math.floor(Date.now() / 1000) + 12 * 3600)
      .sign(key);
  }
}
