import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import { loadCellConfig } from '../src/config/cell-config';
import { DEMO_TENANTS } from './demo-data/demo-tenants';

const KEY_ID = 'demo-embedded-1';

/**
 * Embedded runs have no control plane yet, so the demo keeps its own ES256 key pair under
 * .local/demo/: the private half signs demo tokens, the public half is the JWKS file the
 * cell reads (AUTH_JWKS_FILE). Never used in a cluster.
 */
export async function demoSigningKey(
  jwksFile: string,
): Promise<{ sign: (claims: Record<string, unknown>, sub: string) => Promise<string> }> {
  const privateFile = resolve(dirname(jwksFile), 'signing-key.jwk.json');
  if (!existsSync(privateFile) || !existsSync(jwksFile)) {
    mkdirSync(dirname(jwksFile), { recursive: true });
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    writeFileSync(privateFile, JSON.stringify({ ...(await exportJWK(privateKey)), kid: KEY_ID }), { mode: 0o600 });
    writeFileSync(jwksFile, JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: KEY_ID, alg: 'ES256', use: 'sig' }] }));
  }
  const jwk = JSON.parse(readFileSync(privateFile, 'utf8')) as JWK;
  const key = await importJWK(jwk, 'ES256');
  const config = loadCellConfig();
  return {
    sign: (claims, sub) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid: KEY_ID })
        .setSubject(sub)
        .setIssuer(config.auth.issuer)
        .setAudience(config.auth.audience)
        .setIssuedAt()
        .setExpirationTime('30d')
        .sign(key),
  };
}

/** One owner token per demo tenant, valid 30 days. */
export async function demoOwnerTokens(): Promise<{ slug: string; name: string; token: string; locationId: string }[]> {
  const config = loadCellConfig();
  if (!config.auth.jwksFile) throw new Error('demo tokens need AUTH_JWKS_FILE (embedded mode), not AUTH_JWKS_URL');
  const signer = await demoSigningKey(config.auth.jwksFile);
  return Promise.all(
    DEMO_TENANTS.map(async (tenant) => ({
      slug: tenant.slug,
      name: tenant.name,
      locationId: tenant.locations[0]!.id,
      token: await signer.sign({ tid: tenant.id, role: 'owner', locs: '*' }, tenant.ownerUserId),
    })),
  );
}

if (require.main === module) {
  demoOwnerTokens()
    .then((tokens) => process.stdout.write(`${JSON.stringify(tokens, null, 2)}\n`))
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    });
}
