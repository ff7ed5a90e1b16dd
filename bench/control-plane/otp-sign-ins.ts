// How many OTP sign-ins go through under the rate limits: `otpClients` clients each signing in
// new phones back to back for `otpSeconds` (request a code, read it from the log, verify it);
// then one more phone asks twice in a row, and the second request must get 429 (one code per
// phone per minute).
import { normaliseVietnameseMobile } from '@localstore/common';
import type { HttpClient } from '../lib/http-client';
import { nowMs, summarize, type Summary } from '../lib/measure';
import { BenchError, log } from '../lib/output';
import type { SmsInbox } from './sms-inbox';

export interface PerPhoneLimitCheck {
  phone: string;
  firstStatus: number;
  secondStatus: number;
  retryAfterSeconds: number | null;
  pass: boolean;
}

export interface OtpFigures {
  clients: number;
  pairs: number;
  elapsedSeconds: number;
  pairsPerSecond: number;
  request: Summary;
  verify: Summary;
  errors: number;
  firstErrors: string[];
  perPhoneLimit: PerPhoneLimitCheck;
}

interface OtpAnswer {
  code?: string;
  accessToken?: unknown;
}

interface Timings {
  request: number[];
  verify: number[];
}

export async function measureOtp(
  settings: { otpClients: number; otpSeconds: number },
  platform: HttpClient,
  inbox: SmsInbox,
): Promise<OtpFigures> {
  // Distinct phones: the per-phone limits allow one code a minute. Mobile numbers (097…),
  // none of them a demo owner's.
  const phoneOf = (prefix: number, n: number) => `+84${prefix}${String(n).padStart(7, '0')}`;
  for (const sample of [phoneOf(97, 0), phoneOf(98, 0)]) {
    if (!normaliseVietnameseMobile(sample).ok) throw new BenchError(`${sample} is not a Vietnamese mobile number: pick another range`);
  }
  let nextPhone = 0;
  /** One sign-in; the error that stopped it, or null. */
  const signIn = async (timings: Timings | null): Promise<string | null> => {
    const phone = phoneOf(97, nextPhone++);
    const requested = await platform.postJson<OtpAnswer>('/api/v1/auth/otp/request', { phone });
    if (requested.status !== 202) return `request: HTTP ${requested.status} ${requested.body?.code ?? ''}`.trim();
    let otp: string;
    try {
      otp = await inbox.codeFor(phone);
    } catch (error) {
      return (error as Error).message;
    }
    const verified = await platform.postJson<OtpAnswer>('/api/v1/auth/otp/verify', { phone, code: otp });
    if (verified.status !== 200 || typeof verified.body?.accessToken !== 'string')
      return `verify: HTTP ${verified.status} ${verified.body?.code ?? ''}`.trim();
    timings?.request.push(requested.ms);
    timings?.verify.push(verified.ms);
    return null;
  };
  const run = async (seconds: number, timings: Timings | null) => {
    const errors: string[] = [];
    let pairs = 0;
    let issued = 0;
    const maxPairs = Math.min(5_000_000, seconds * 5_000);
    const startedAt = nowMs();
    const deadline = startedAt + seconds * 1000;
    await Promise.all(
      Array.from({ length: settings.otpClients }, async () => {
        while (nowMs() < deadline && issued < maxPairs) {
          issued++;
          const error = await signIn(timings);
          if (error) errors.push(error);
          else pairs++;
        }
      }),
    );
    return { pairs, errors, elapsedSeconds: (nowMs() - startedAt) / 1000 };
  };

  log(`OTP: ${settings.otpClients} clients signing in new phones for 1 s (unmeasured), then ${settings.otpSeconds} s…`);
  await run(1, null);
  const timings: Timings = { request: [], verify: [] };
  const measured = await run(settings.otpSeconds, timings);

  const phone = phoneOf(98, 0);
  const first = await platform.postJson('/api/v1/auth/otp/request', { phone });
  const second = await platform.postJson('/api/v1/auth/otp/request', { phone });
  const retryAfter = second.headers['retry-after'];
  const perPhoneLimit: PerPhoneLimitCheck = {
    phone,
    firstStatus: first.status,
    secondStatus: second.status,
    retryAfterSeconds: retryAfter === undefined ? null : Number(retryAfter),
    pass: first.status === 202 && second.status === 429,
  };
  return {
    clients: settings.otpClients,
    pairs: measured.pairs,
    elapsedSeconds: Math.round(measured.elapsedSeconds * 1000) / 1000,
    pairsPerSecond: Math.round(measured.pairs / measured.elapsedSeconds),
    request: summarize(timings.request),
    verify: summarize(timings.verify),
    errors: measured.errors.length,
    firstErrors: [...new Set(measured.errors)].slice(0, 3),
    perPhoneLimit,
  };
}
