// The run's own token keys: an ES256 key pair whose public half both cells read as their JWKS
// file, and whose private half signs the owner's, the screens' and the provisioning tokens.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import type { UndoList } from '../lib/cleanup';
import { cellConfig } from '../lib/compiled';

export interface TokenSigner {
  /** The public key, as the cells' AUTH_JWKS_FILE. */
  jwksFile: string;
  issuer: string;
  audience: string;
  /** A token with `claims` for subject `sub`, valid for two hours. */
  sign(claims: JWTPayload, sub: string): Promise<string>;
}

/**
 * An ES256 key pair of the run's own: the public half is the JWKS file both cells read
 * (AUTH_JWKS_FILE), in a temporary folder removed at the end; the private half signs the
 * tokens with the cells' default issuer and audience, as the demo keys do.
 */
export async function tokenSigner(undo: UndoList): Promise<TokenSigner> {
  // The cells' own defaults (or what our environment sets them to); the cells are told these too.
  const { issuer, audience } = cellConfig().loadCellConfig({
    AUTH_ISSUER: process.env.AUTH_ISSUER || undefined,
    AUTH_AUDIENCE: process.env.AUTH_AUDIENCE || undefined,
  }).auth;
  const folder = mkdtempSync(join(os.tmpdir(), 'localstore-bench-rt-'));
  undo.push('removing the token key folder', () => rmSync(folder, { recursive: true, force: true }));
  const kid = `bench-rt-${randomBytes(4).toString('hex')}`;
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwksFile = join(folder, 'jwks.json');
  writeFileSync(jwksFile, JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }] }));
  return {
    jwksFile,
    issuer,
    audience,
    sign: (claims, sub) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid })
        .setSubject(sub)
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime('2h')
        .sign(privateKey),
  };
}
