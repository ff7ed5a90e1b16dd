import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Seals a tenant's provider secrets before they reach the database: AES-256-GCM with a
 * fresh IV per value, the tenant and provider bound in as associated data (a sealed blob
 * copied onto another tenant's row does not open). `keyId` names the key, so a rotation
 * can tell old blobs from new.
 */
export class SecretSealer {
  readonly keyId: string;

  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('the payment credentials key must be 32 bytes');
    this.keyId = createHash('sha256').update(key).digest('hex').slice(0, 16);
  }

  /** The key from `PAYMENT_CREDENTIALS_KEY` (base64), or from a file created once with a random key. */
  static fromConfig(source: { key?: Buffer; keyFile: string }): SecretSealer {
    if (source.key) return new SecretSealer(source.key);
    try {
      return new SecretSealer(Buffer.from(readFileSync(source.keyFile, 'utf8').trim(), 'base64'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      mkdirSync(dirname(source.keyFile), { recursive: true });
      const key = randomBytes(32);
      writeFileSync(source.keyFile, key.toString('base64'), { mode: 0o600, flag: 'wx' });
      return new SecretSealer(key);
    }
  }

  seal(plaintext: string, context: string): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  open(sealed: Buffer, context: string): string {
    const decipher = createDecipheriv('aes-256-gcm', this.key, sealed.subarray(0, 12));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(sealed.subarray(12, 28));
    return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8');
  }
}
