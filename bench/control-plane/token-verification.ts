// What a token check costs per request: `AccessTokenVerifier.verify()` as the cell calls it,
// timed in this process with nothing else running, on fresh tokens (ES256 signature check,
// claims) and then on the same tokens again (its cache).
import { randomUUID } from 'node:crypto';
import { AccessTokenVerifier } from '@localstore/common';
import { BENCH_TENANT } from '../bench-tenant';
import { cellConfig } from '../lib/compiled';
import { demoJwksFile, demoSigner } from '../lib/demo-keys';
import { nowMs, summarize, type Summary } from '../lib/measure';
import { log } from '../lib/output';

/** A verification series in µs, with the mean per verification. */
export type MicrosSummary = Summary & { meanMicros: number };

export interface TokenVerificationFigures {
  unit: 'µs';
  uncached: MicrosSummary;
  cached: MicrosSummary;
}

const WARMUP = 200;

/** The tokens are signed beforehand, so only verification is timed. */
export async function measureTokenVerification(settings: { tokens: number }): Promise<TokenVerificationFigures> {
  const { auth } = cellConfig().loadCellConfig();
  const verifier = new AccessTokenVerifier({ jwksFile: demoJwksFile(), issuer: auth.issuer, audience: auth.audience });
  const signer = await demoSigner();
  log(`token verification: signing ${settings.tokens} + ${WARMUP} fresh tokens, then verifying each twice…`);
  // A distinct subject per token: tokens signed in the same second would otherwise be equal.
  const signed: string[] = [];
  for (let i = 0; i < settings.tokens + WARMUP; i++)
    signed.push(await signer.sign({ tid: BENCH_TENANT.id, role: 'owner', locs: '*' }, randomUUID()));
  const [warm, fresh] = [signed.slice(0, WARMUP), signed.slice(WARMUP)];
  for (const token of warm) {
    await verifier.verify(token);
    await verifier.verify(token);
  }
  const pass = async (): Promise<MicrosSummary> => {
    const micros: number[] = [];
    const startedAt = nowMs();
    for (const token of fresh) {
      const t0 = nowMs();
      await verifier.verify(token);
      micros.push((nowMs() - t0) * 1000);
    }
    return { ...summarize(micros, 1), meanMicros: Math.round(((nowMs() - startedAt) * 1000 * 10) / fresh.length) / 10 };
  };
  const uncached = await pass();
  const cached = await pass();
  return { unit: 'µs', uncached, cached };
}
