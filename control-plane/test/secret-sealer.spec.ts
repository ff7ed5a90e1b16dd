import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { publishKeyFile, SecretSealer } from '../src/payments/secret-sealer';

const SEALER_BUILT = resolve(__dirname, '../dist/src/payments/secret-sealer.js');
const run = promisify(execFile);

/**
 * The payment credentials key: from the environment, or from a file the first replica
 * creates. Replicas that start together on one volume must all end up with the same key, or
 * what one seals the other cannot open.
 */
describe('the payment credentials key', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'sealer-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is created once in its file and read back by the next start', () => {
    const keyFile = join(dir, 'nested', 'payment-credentials.key');
    const first = SecretSealer.fromConfig({ keyFile });
    const sealed = first.seal('momo-secret', 'tenant-1:momo');
    const second = SecretSealer.fromConfig({ keyFile });
    expect(second.keyId).toBe(first.keyId);
    expect(second.open(sealed, 'tenant-1:momo')).toBe('momo-secret');
    expect(readdirSync(join(dir, 'nested'))).toEqual(['payment-credentials.key']);
  });

  it('comes from the environment when given, and a sealed value does not open under another tenant', () => {
    const key = randomBytes(32);
    const sealer = SecretSealer.fromConfig({ key, keyFile: join(dir, 'unused.key') });
    expect(readdirSync(dir)).toEqual([]);
    expect(() => sealer.open(sealer.seal('zalopay-key', 'tenant-1:zalopay'), 'tenant-2:zalopay')).toThrow();
  });

  it('refuses a key file that does not hold 32 bytes', () => {
    const keyFile = join(dir, 'short.key');
    writeFileSync(keyFile, randomBytes(16).toString('base64'));
    expect(() => SecretSealer.fromConfig({ keyFile })).toThrow(/32 bytes/);
  });

  it('stays the first key published when a second replica publishes its own a moment later', () => {
    const keyFile = join(dir, 'payment-credentials.key');
    const first = randomBytes(32);
    expect(publishKeyFile(keyFile, first)).toEqual(first);
    // The second replica read "no file" before the first published: it must take the first's key.
    expect(publishKeyFile(keyFile, randomBytes(32))).toEqual(first);
    expect(SecretSealer.fromConfig({ keyFile }).keyId).toBe(new SecretSealer(first).keyId);
    expect(readdirSync(dir)).toEqual(['payment-credentials.key']);
  });

  it('is the same key in eight processes that start at once on an empty volume', async () => {
    const keyFile = join(dir, 'payment-credentials.key');
    // Each process loads the sealer, then spins until the same instant, so their reads and
    // writes of the file overlap (a plain start would spread them over milliseconds).
    const startAt = Date.now() + 800;
    const script = `const { SecretSealer } = require(${JSON.stringify(SEALER_BUILT)});
      while (Date.now() < ${startAt});
      process.stdout.write(SecretSealer.fromConfig({ keyFile: ${JSON.stringify(keyFile)} }).keyId);`;
    const answers = await Promise.all(Array.from({ length: 8 }, () => run(process.execPath, ['-e', script])));
    const keyIds = new Set(answers.map((answer) => answer.stdout));
    expect(keyIds).toEqual(new Set([SecretSealer.fromConfig({ keyFile }).keyId]));
    // Each process's draft is gone: only the key is left.
    expect(readdirSync(dir)).toEqual(['payment-credentials.key']);
  });
});
