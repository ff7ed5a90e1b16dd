import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
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

  /**
   * The key from `PAYMENT_CREDENTIALS_KEY` (base64), or from a file created once with a random
   * key. Replicas starting together on one volume may race to create it: the key is written
   * whole to a file of this process's own and then linked into place, which fails for all but
   * the first; the others read the winner's key. So no process reads a half-written key, and
   * all of them seal with the same one.
   */
  static fromConfig(source: { key?: Buffer; keyFile: string }): SecretSealer {
    if (source.key) return new SecretSealer(source.key);
    const existing = readKeyFile(source.keyFile);
    if (existing) return new SecretSealer(existing);
    return new SecretSealer(publishKeyFile(source.keyFile, randomBytes(32)));
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

/** The key in `path` (base64), or null when there is no such file yet. */
function readKeyFile(path: string): Buffer | null {
  try {
    return Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * Writes `key` whole to a draft of this process's own and links it into place as `keyFile`,
 * unless another process got there first; returns the key the file holds either way.
 */
export function publishKeyFile(keyFile: string, key: Buffer): Buffer {
  mkdirSync(dirname(keyFile), { recursive: true });
  const draft = `${keyFile}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(draft, key.toString('base64'), { mode: 0o600, flag: 'wx' });
  try {
    linkSync(draft, keyFile);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(draft);
  }
  return readKeyFile(keyFile)!;
}
