// Signed-in sessions for the pages, as a person gets them: a code by SMS (read from the control
// plane's log), verified, then switched to the business the screen is for.
import type { SmsInbox } from '../control-plane/sms-inbox';
import type { HttpClient } from '../lib/http-client';
import { BenchError } from '../lib/output';

/** A session in the shape the app stores (web/src/lib/session.ts). */
export interface StoredSession {
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
  tenant: unknown;
  tenants: unknown;
}

interface Verified {
  accessToken: string;
  tenants: { id: string; slug: string }[];
}

interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  tenant: unknown;
  tenants: unknown;
}

/**
 * Signs `phone` in by code and returns `count` sessions for business `slug`, each its own
 * refresh-token family: a page refreshing its token never invalidates another's.
 */
export async function sessionsFor(
  platform: HttpClient,
  inbox: SmsInbox,
  phone: string,
  slug: string,
  count: number,
): Promise<StoredSession[]> {
  const asked = await platform.request('POST', '/api/v1/auth/otp/request', { phone });
  if (asked.status !== 202) throw new BenchError(`asking a code for ${phone} answered ${asked.status} ${JSON.stringify(asked.body)}`);
  const code = await inbox.codeFor(phone);
  const verified = await platform.request<Verified>('POST', '/api/v1/auth/otp/verify', { phone, code });
  if (verified.status !== 200) throw new BenchError(`signing ${phone} in answered ${verified.status} ${JSON.stringify(verified.body)}`);
  const membership = verified.body.tenants.find((t) => t.slug === slug);
  if (!membership) throw new BenchError(`${phone} is not a member of ${slug} in the bench's directory`);
  const sessions: StoredSession[] = [];
  for (let i = 0; i < count; i++) {
    const pair = await platform.request<TokenPair>(
      'POST',
      '/api/v1/auth/switch-tenant',
      { tenantId: membership.id },
      { authorization: `Bearer ${verified.body.accessToken}` },
    );
    if (pair.status !== 200) throw new BenchError(`switching ${phone} to ${slug} answered ${pair.status} ${JSON.stringify(pair.body)}`);
    const { accessToken, refreshToken, expiresIn, tenant, tenants } = pair.body;
    sessions.push({ accessToken, refreshToken, expiresAt: Date.now() + expiresIn * 1000, tenant, tenants });
  }
  return sessions;
}
