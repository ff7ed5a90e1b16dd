import type { JWK } from 'jose';
import type { DataSource, EntityManager } from 'typeorm';

export interface StoredSigningKey {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
  createdAt: Date;
  retiredAt: Date | null;
}

/** Advisory lock taken while the keys are rotated, so two replicas do not both rotate. */
const ROTATION_LOCK_ID = 4_711_001;

/** Thin queries on the access-token signing keys; when to rotate is `SigningKeyRing`'s call. */
export class SigningKeysRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly db: Pick<EntityManager, 'query'> = dataSource,
  ) {}

  /** Runs `work` in one transaction holding the rotation lock, with a repository bound to it. */
  whileRotating<T>(work: (keys: SigningKeysRepository) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [ROTATION_LOCK_ID]);
      return work(new SigningKeysRepository(this.dataSource, manager));
    });
  }

  /** The key that signs now: the newest one not retired. */
  async newestActive(): Promise<{ kid: string; createdAt: Date } | null> {
    const [current] = await this.db.query(
      'SELECT kid, created_at AS "createdAt" FROM signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC LIMIT 1',
    );
    return current ?? null;
  }

  async retireActive(at: Date): Promise<void> {
    await this.db.query('UPDATE signing_keys SET retired_at = $1 WHERE retired_at IS NULL', [at]);
  }

  async insert(key: { kid: string; privateJwk: JWK; publicJwk: JWK; createdAt: Date }): Promise<void> {
    await this.db.query('INSERT INTO signing_keys (kid, private_jwk, public_jwk, created_at) VALUES ($1, $2, $3, $4)', [
      key.kid,
      key.privateJwk,
      key.publicJwk,
      key.createdAt,
    ]);
  }

  /** Keys not retired, or retired after `since`, newest first. */
  async activeOrRetiredAfter(since: Date): Promise<StoredSigningKey[]> {
    return this.db.query(
      `SELECT kid, private_jwk AS "privateJwk", public_jwk AS "publicJwk", created_at AS "createdAt", retired_at AS "retiredAt"
         FROM signing_keys WHERE retired_at IS NULL OR retired_at > $1 ORDER BY created_at DESC`,
      [since],
    );
  }
}
