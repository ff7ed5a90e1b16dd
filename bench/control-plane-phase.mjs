// The control plane's figures (issue 4): what the router adds to a GraphQL request, what a
// token check costs per request, and how many OTP sign-ins go through under the rate
// limits. Runs after the cell figures, with the cell they used already stopped:
//
// - token verification is timed in this process on `AccessTokenVerifier` itself, with
//   nothing else running;
// - then the control plane is started on a scratch directory schema (BENCH_DIRECTORY_SCHEMA,
//   never the demo's `directory`: registering the demo tenants there would point the demo's
//   routes at this bench's cell port), and a new cell process that trusts the control
//   plane's JWKS (AUTH_JWKS_URL), as `make demo` runs them. A cell verifies against one key
//   source only, so the cell of the first phase (embedded demo keys) cannot serve here.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { BenchError, ChildServer, freePort, HttpClient, log, nowMs, REPO_ROOT, runScript, summarize, warmUp, withCpu } from './lib.mjs';
import { BENCH_TENANT } from './bench-tenant.mjs';

const CP_DIST = join(REPO_ROOT, 'control-plane/dist');

/**
 * Rate limits the control plane runs with here. Per phone they are the defaults, and the
 * bench checks that they hold; per client address the default (30 an hour) would stop a
 * throughput run after 30 codes, since every request comes from 127.0.0.1: raised.
 */
export const BENCH_OTP_LIMITS = { perPhonePerMinute: 1, perPhonePerHour: 5, perIpPerHour: 100_000 };

/** How long a pair waits for its code to appear in the control plane's log. */
const SMS_WAIT_MS = 5_000;

/**
 * Runs the phase; `startCell(port, env)` starts a cell API child (see run.mjs), `query`
 * and `variablesOf(locationId)` are the GraphQL request timed both ways.
 */
export async function measureControlPlane({ settings, code, cleanup, startCell, query, variablesOf }) {
  const tokenVerification = await measureTokenVerification(settings, code);

  const [cpPort, cellPort] = [await freePort(), await freePort()];
  const env = controlPlaneEnv(settings, cpPort, cellPort);
  log(`directory: migrating and registering the demo tenants in schema ${settings.directorySchema} (routes → 127.0.0.1:${cellPort})…`);
  await runScript('the directory migration', [join(CP_DIST, 'scripts/migrate.js')], env);
  await runScript('demo-directory.js register', [join(CP_DIST, 'scripts/demo-directory.js'), 'register'], env);

  const inbox = new SmsInbox();
  const controlPlane = new ChildServer({
    name: 'control-plane',
    args: [join(CP_DIST, 'src/main.js')],
    env,
    onLine: (line) => inbox.take(line),
  });
  cleanup.push(() => controlPlane.stop());
  const platform = new HttpClient(cpPort, { headers: { host: `app.localhost:${cpPort}` }, maxSockets: settings.otpClients });
  cleanup.push(() => platform.close());
  log(`control plane pid ${controlPlane.pid} on 127.0.0.1:${cpPort}`);
  await controlPlane.waitReady(platform);

  const cell = startCell(cellPort, { AUTH_JWKS_URL: `http://127.0.0.1:${cpPort}/.well-known/jwks.json` });
  cleanup.push(() => cell.stop());
  log(`cell API pid ${cell.pid} on 127.0.0.1:${cellPort}, trusting the control plane's JWKS`);
  const probe = new HttpClient(cellPort);
  cleanup.push(() => probe.close());
  await cell.waitReady(probe);

  const tokens = JSON.parse(await runScript('demo-directory.js tokens', [join(CP_DIST, 'scripts/demo-directory.js'), 'tokens'], env));
  const owner = tokens.find((t) => t.slug === settings.tenantSlug);
  if (!owner) throw new BenchError(`the directory has no demo token for ${settings.tenantSlug}`);
  const processes = { cell: cell.pid, controlPlane: controlPlane.pid };

  const router = await withCpu(processes, () =>
    measureRouterOverhead(settings, { cpPort, cellPort, owner, query, variables: variablesOf(owner.locationId) }, cleanup),
  );
  const otp = await withCpu(processes, () => measureOtp(settings, platform, inbox, code));
  return {
    tokenVerification,
    router: router.result,
    otp: otp.result,
    cpu: { router: router.cpu, otp: otp.cpu },
    environment: { directorySchema: settings.directorySchema, ephemeralStore: 'in-process (no REDIS_URL)', otpLimits: BENCH_OTP_LIMITS },
  };
}

/** The control plane's environment: loopback, the scratch directory, the log SMS sender. */
export function controlPlaneEnv(settings, cpPort, cellPort) {
  const env = {
    ...process.env,
    CONTROL_PLANE_PORT: String(cpPort),
    CONTROL_PLANE_HOST: '127.0.0.1',
    PLATFORM_DOMAIN: 'localhost',
    POOLED_CELL_URL: `http://127.0.0.1:${cellPort}`,
    DIRECTORY_SCHEMA: settings.directorySchema,
    // Warn is the SMS sender's level: the codes are read from these lines.
    LOG_LEVEL: 'warn',
    SMS_PROVIDER: 'log',
    OTP_PER_PHONE_PER_MINUTE: String(BENCH_OTP_LIMITS.perPhonePerMinute),
    OTP_PER_PHONE_PER_HOUR: String(BENCH_OTP_LIMITS.perPhonePerHour),
    OTP_PER_IP_PER_HOUR: String(BENCH_OTP_LIMITS.perIpPerHour),
  };
  // The in-process store: the bench's counters never land in a Redis someone else uses.
  delete env.REDIS_URL;
  return env;
}

// ─── token verification ─────────────────────────────────────────────────────────────────

/**
 * `AccessTokenVerifier.verify()` as the cell calls it per request, in this process: first
 * on tokens it has never seen (ES256 signature check, claims), then on the same tokens
 * again (its cache). The tokens are signed beforehand, so only verification is timed.
 */
async function measureTokenVerification(settings, code) {
  const { auth } = code.loadCellConfig();
  const verifier = new code.AccessTokenVerifier({ jwksFile: auth.jwksFile, issuer: auth.issuer, audience: auth.audience });
  const signer = await code.demoSigningKey(auth.jwksFile);
  const WARMUP = 200;
  log(`token verification: signing ${settings.tokens} + ${WARMUP} fresh tokens, then verifying each twice…`);
  // A distinct subject per token: tokens signed in the same second would otherwise be equal.
  const signed = [];
  for (let i = 0; i < settings.tokens + WARMUP; i++)
    signed.push(await signer.sign({ tid: BENCH_TENANT.id, role: 'owner', locs: '*' }, randomUUID()));
  const [warm, fresh] = [signed.slice(0, WARMUP), signed.slice(WARMUP)];
  for (const token of warm) {
    await verifier.verify(token);
    await verifier.verify(token);
  }
  const pass = async () => {
    const micros = [];
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

// ─── router overhead ────────────────────────────────────────────────────────────────────

/**
 * The same GraphQL request with the same token, alternately through the router
 * (`Host: <slug>.localhost`) and straight to the cell (`X-Tenant`), each over its own
 * keep-alive connection. Which goes first alternates too, so neither always follows the other.
 */
async function measureRouterOverhead(settings, { cpPort, cellPort, owner, query, variables }, cleanup) {
  const authorization = `Bearer ${owner.token}`;
  const direct = new HttpClient(cellPort, { headers: { authorization, 'x-tenant': owner.slug } });
  const routed = new HttpClient(cpPort, { headers: { authorization, host: `${owner.slug}.localhost:${cpPort}` } });
  cleanup.push(() => direct.close());
  cleanup.push(() => routed.close());
  const send = (client) => client.gql(query, variables, { uncached: true });

  // Both ways must give the same answer, or the comparison means nothing.
  const [viaRouter, straight] = [await send(routed), await send(direct)];
  if (viaRouter.error || straight.error)
    throw new BenchError(`the router check failed: router ${viaRouter.error ?? 'ok'}, cell ${straight.error ?? 'ok'}`);
  if (JSON.stringify(viaRouter.data) !== JSON.stringify(straight.data))
    throw new BenchError('the router and the cell gave different answers to the same request');

  log(`router overhead: warming up (${settings.warmup} of each), then ${settings.samples} requests each way, interleaved…`);
  await warmUp(settings.warmup, 30, async () => {
    await send(routed);
    await send(direct);
  });
  const samples = { routed: [], direct: [], difference: [] };
  const errors = [];
  const deadline = nowMs() + settings.seriesMaxSeconds * 2 * 1000;
  for (let i = 0; i < settings.samples && nowMs() < deadline; i++) {
    const order = i % 2 === 0 ? ['routed', 'direct'] : ['direct', 'routed'];
    const taken = {};
    for (const way of order) {
      const result = await send(way === 'routed' ? routed : direct);
      if (result.error) errors.push(`${way}: ${result.error}`);
      else taken[way] = result.ms;
    }
    if (taken.routed !== undefined) samples.routed.push(taken.routed);
    if (taken.direct !== undefined) samples.direct.push(taken.direct);
    if (taken.routed !== undefined && taken.direct !== undefined) samples.difference.push(taken.routed - taken.direct);
  }
  const viaRouterSeries = summarize(samples.routed);
  const straightSeries = summarize(samples.direct);
  const round = (x) => Math.round(x * 1000) / 1000;
  return {
    host: `${owner.slug}.localhost`,
    routed: viaRouterSeries,
    direct: straightSeries,
    addedP50Ms: round(viaRouterSeries.p50 - straightSeries.p50),
    addedP99Ms: round(viaRouterSeries.p99 - straightSeries.p99),
    /** router − cell of the two requests of each round: the overhead request by request. */
    pairedDifference: summarize(samples.difference),
    errors: errors.length,
    firstErrors: [...new Set(errors)].slice(0, 3),
  };
}

// ─── OTP sign-in ────────────────────────────────────────────────────────────────────────

/**
 * The codes the control plane "sends": with SMS_PROVIDER=log each SMS is a warn line of
 * JSON on its stdout with `phone` and `sms`. Lines and HTTP answers race, so a code may
 * arrive before or after its pair asks for it.
 */
export class SmsInbox {
  constructor() {
    this.codes = new Map();
    this.waiting = new Map();
  }

  /** Takes a log line if it is an SMS (it is not echoed then); false otherwise. */
  take(line) {
    if (!line.includes('"sms"')) return false;
    let entry;
    try {
      entry = JSON.parse(line);
    } catch {
      return false;
    }
    const otp = typeof entry.sms === 'string' ? /(?<!\d)\d{6}(?!\d)/.exec(entry.sms)?.[0] : undefined;
    if (typeof entry.phone !== 'string' || !otp) return false;
    const waiter = this.waiting.get(entry.phone);
    if (waiter) {
      this.waiting.delete(entry.phone);
      clearTimeout(waiter.timer);
      waiter.resolve(otp);
    } else {
      this.codes.set(entry.phone, otp);
    }
    return true;
  }

  codeFor(phone, timeoutMs = SMS_WAIT_MS) {
    const known = this.codes.get(phone);
    if (known) {
      this.codes.delete(phone);
      return Promise.resolve(known);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(phone);
        reject(new BenchError(`no SMS for ${phone} in the control plane's log within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      this.waiting.set(phone, { resolve, timer });
    });
  }
}

/**
 * `otpClients` clients each signing in new phones back to back for `otpSeconds`: request a
 * code, read it from the log, verify it. Then one more phone asks twice in a row: the
 * second request must get 429 (one code per phone per minute).
 */
async function measureOtp(settings, platform, inbox, code) {
  // Distinct phones: the per-phone limits allow one code a minute. Mobile numbers (097…),
  // none of them a demo owner's.
  const phoneOf = (prefix, n) => `+84${prefix}${String(n).padStart(7, '0')}`;
  for (const sample of [phoneOf(97, 0), phoneOf(98, 0)]) {
    if (!code.normaliseVietnameseMobile(sample).ok) throw new BenchError(`${sample} is not a Vietnamese mobile number: pick another range`);
  }
  let nextPhone = 0;
  const signIn = async (timings) => {
    const phone = phoneOf(97, nextPhone++);
    const requested = await platform.postJson('/api/v1/auth/otp/request', { phone });
    if (requested.status !== 202) return `request: HTTP ${requested.status} ${requested.body?.code ?? ''}`.trim();
    let otp;
    try {
      otp = await inbox.codeFor(phone);
    } catch (error) {
      return error.message;
    }
    const verified = await platform.postJson('/api/v1/auth/otp/verify', { phone, code: otp });
    if (verified.status !== 200 || typeof verified.body?.accessToken !== 'string')
      return `verify: HTTP ${verified.status} ${verified.body?.code ?? ''}`.trim();
    timings?.request.push(requested.ms);
    timings?.verify.push(verified.ms);
    return null;
  };
  const run = async (seconds, timings) => {
    const errors = [];
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
  const timings = { request: [], verify: [] };
  const measured = await run(settings.otpSeconds, timings);

  const phone = phoneOf(98, 0);
  const first = await platform.postJson('/api/v1/auth/otp/request', { phone });
  const second = await platform.postJson('/api/v1/auth/otp/request', { phone });
  const perPhoneLimit = {
    phone,
    firstStatus: first.status,
    secondStatus: second.status,
    retryAfterSeconds: second.headers['retry-after'] === undefined ? null : Number(second.headers['retry-after']),
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
