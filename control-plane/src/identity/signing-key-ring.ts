import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, exportJWK, generateKeyPair, importJWK, type JWK, type JWTVerifyGetKey, type KeyLike } from 'jose';
import type { StoredSigningKey, SigningKeysRepository } from './signing-keys.repository';

/**
 * The ES256 keys that sign access tokens. The newest key signs; when it is older than the
 * rotation period a new one is made and the old one retired, but a retired key stays in
 * the JWKS until every token it signed has expired, so cells never reject a valid token.
 * Rotation takes an advisory lock, so two control-plane replicas do not both rotate.
 */
export class SigningKeyRing {
  private keys: StoredSigningKey[] = [];
  private signingKey?: { kid: string; key: KeyLike };
  private localKeys?: JWTVerifyGetKey;

  constructor(
    private readonly signingKeys: SigningKeysRepository,
    private readonly rotationDays: number,
    private readonly accessTtlSeconds: number,
  ) {}

  /** Loads the keys, rotating first when none signs or the signer is due. */
  async refresh(now = new Date()): Promise<void> {
    await this.signingKeys.whileRotating(async (keys) => {
      const current = await keys.newestActive();
      const due = !current || now.getTime() - new Date(current.createdAt).getTime() > this.rotationDays * 86_400_000;
      if (due) {
        const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
        const kid = `k-${now.toISOString().slice(0, 10)}-${randomUUID().slice(0, 8)}`;
        await keys.retireActive(now);
        await keys.insert({
          kid,
          privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'ES256' },
          publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' },
          createdAt: now,
        });
      }
    });
    // Retired keys are kept while tokens they signed may still be presented (plus a margin).
    const keepSince = new Date(now.getTime() - (this.accessTtlSeconds + 300) * 1000);
    this.keys = await this.signingKeys.activeOrRetiredAfter(keepSince);
    this.localKeys = createLocalJWKSet(this.jwks() as never);
    const signer = this.keys.find((k) => k.retiredAt === null)!;
    if (this.signingKey?.kid !== signer.kid) {
      this.signingKey = { kid: signer.kid, key: (await importJWK(signer.privateJwk, 'ES256')) as KeyLike };
    }
  }

  signer(): { kid: string; key: KeyLike } {
    if (!this.signingKey) throw new Error('SigningKeyRing.refresh() has not run');
    return this.signingKey;
  }

  /** Verifies the control plane's own tokens with the current keys (rebuilt on each refresh, not per call). */
  readonly verificationKeys: JWTVerifyGetKey = (header, token) => {
    if (!this.localKeys) throw new Error('SigningKeyRing.refresh() has not run');
    return this.localKeys(header, token);
  };

  /** The public half of every key a cell may still meet. */
  jwks(): { keys: JWK[] } {
    return { keys: this.keys.map((k) => k.publicJwk) };
  }
}
