// `make bench-web` (issue 9): the web app in Debian's Chromium on a CPU slowed down four
// times (CDP `Emulation.setCPUThrottlingRate`), the budget of a cheap Android tablet or
// phone. For the sales entry page (tablet size, on <slug>.<domain>) and the owner's
// dashboard (phone size, on app.<domain>) it prints:
//
// - JavaScript transferred: the encoded (gzip) bytes of every script response the page
//   itself received, headers included, from CDP's Network.loadingFinished; the service
//   worker's precache fetches run in its own target and are not counted;
// - time to interactive: from navigation start to the later of "the screen's main control is
//   there" (a menu dish, the revenue card) and the end of the last long task before five
//   quiet seconds (Lighthouse's rule, with the main control in place of the first paint);
// - for the sales page, from the tap on "Ghi đơn" (the pointer event's own time stamp, so
//   input delay counts) to the frame after the "saved" toast appears, the cell having answered.
//
// First visits are measured in a new browser context (no cache, no service worker), repeat
// visits by a second navigation in it (service worker and HTTP cache in place). The network
// is loopback: the figures are the app's own cost, not a 4G link's.
//
// The servers are the compiled control plane (serving web/out) and a cell that trusts its
// keys, on a scratch directory schema. The owner's dashboard is the demo's phở chain (read
// only); the sales go to the bench's own tenant, never to a demo business.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { chromium } from 'playwright-core';
import { BENCH_TENANT, prepareBenchTenant } from './bench-tenant.mjs';
import { controlPlaneEnv, SmsInbox } from './control-plane-phase.mjs';
import { armSavedWatch, instrumentPage, loadState, savedResult } from './web-bench-page.mjs';
import {
  BenchError,
  ChildServer,
  freePort,
  HttpClient,
  log,
  must,
  out,
  printTable,
  REPO_ROOT,
  runScript,
  summarize,
  waitForQuietMachine,
  wholeNumberReader,
} from './lib.mjs';

const require = createRequire(import.meta.url);
const CELL_DIST = join(REPO_ROOT, 'cell-api/dist');
const CP_DIST = join(REPO_ROOT, 'control-plane/dist');
const WEB_OUT = join(REPO_ROOT, 'web/out');

/** The issue's budget, and the design document's mobile targets (its "4G" section). */
export const WEB_TARGETS = {
  salesJsKb: 200,
  coldStartMs: 3_000,
  dashboardWithCacheMs: 2_000,
  /** The design's p95 for a GraphQL mutation: the tap adds the browser's own work to it. */
  tapToSavedMs: 300,
};

/** The flags DEVELOPERS.md gives for Debian's Chromium on a machine without display or sandbox. */
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];
const TABLET = { viewport: { width: 820, height: 1180 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true };
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
/** Lighthouse's quiet window: interactive once no long task has run for this long. */
const QUIET_WINDOW_MS = 5_000;
/** The bench tenant's owner signs in with this phone (a mobile number no demo owner has). */
const BENCH_OWNER_PHONE = '+84961000001';
const SOLD_DISH = 'Phở bò tái';
const TODAY_ORDERS = `query BenchWebTodayOrders { locations { id todayOrders } }`;

function readSettings(env) {
  const problems = [];
  const int = wholeNumberReader(env, problems);
  const settings = {
    /** The demo business whose owner dashboard is measured. */
    tenantSlug: env.BENCH_TENANT ?? 'pho-bo-hanoi',
    loads: int('BENCH_WEB_LOADS', 5, 1, 50),
    sales: int('BENCH_WEB_SALES', 20, 1, 500),
    cpuSlowdown: int('BENCH_WEB_CPU_SLOWDOWN', 4, 1, 20),
    quietWaitSeconds: int('BENCH_QUIET_WAIT_SECONDS', 60, 0, 600),
    databaseUrl: env.DATABASE_URL || 'postgres://localstore_app:localstore_app@127.0.0.1:55432/localstore',
    schema: env.DATABASE_SCHEMA || 'cell_pooled',
    directorySchema: env.BENCH_WEB_DIRECTORY_SCHEMA || 'directory_bench_web',
    directoryOwnerUrl: env.DIRECTORY_OWNER_URL || 'postgres://localstore_owner:localstore_owner@127.0.0.1:55432/localstore',
    chromium: env.CHROMIUM_PATH || '/usr/bin/chromium',
  };
  if (!/^[a-z0-9-]{1,63}$/.test(settings.tenantSlug)) problems.push(`BENCH_TENANT="${settings.tenantSlug}" is not a tenant slug`);
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(settings.directorySchema))
    problems.push(`BENCH_WEB_DIRECTORY_SCHEMA="${settings.directorySchema}" is not a schema name`);
  if (settings.directorySchema === (env.DIRECTORY_SCHEMA || 'directory'))
    problems.push(
      `BENCH_WEB_DIRECTORY_SCHEMA="${settings.directorySchema}" is the demo's directory: the bench needs a scratch schema of its own`,
    );
  if (problems.length > 0) throw new BenchError(`Invalid bench settings:\n  - ${problems.join('\n  - ')}`);
  return settings;
}

// ─── the servers ────────────────────────────────────────────────────────────────────────

/** The screens measured read no model output: the nightly insights stay off, as no model server runs here. */
function cellEnv(settings, port, extra) {
  return {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    DATABASE_URL: settings.databaseUrl,
    DATABASE_SCHEMA: settings.schema,
    INSIGHTS_NIGHTLY: 'false',
    ...extra,
  };
}

/**
 * The bench tenant (locations and menu) is made by a cell trusting the demo keys, as the
 * other phases do; a cell trusts one key source only, so that one stops before the cell
 * behind the control plane starts.
 */
async function prepareSalesTenant(settings, cleanup) {
  const { demoOwnerTokens, demoSigningKey } = require(join(CELL_DIST, 'scripts/demo-tokens.js'));
  const { loadCellConfig } = require(join(CELL_DIST, 'src/config/cell-config.js'));
  // The demo tokens write the key file this cell reads, so they come first.
  await demoOwnerTokens();
  const port = await freePort();
  const cell = new ChildServer({ name: 'cell (set-up)', args: [join(CELL_DIST, 'src/main.js')], env: cellEnv(settings, port, {}) });
  cleanup.push(() => cell.stop());
  const probe = new HttpClient(port);
  try {
    await cell.waitReady(probe);
    const signer = await demoSigningKey(loadCellConfig().auth.jwksFile);
    const { client, locations } = await prepareBenchTenant({ port, signer, locationCount: 1, maxSockets: 1 });
    client.close();
    return locations[0];
  } finally {
    probe.close();
    await cell.stop();
  }
}

async function startServers(settings, cleanup) {
  const [cpPort, cellPort] = [await freePort(), await freePort()];
  // The control plane's phase's environment (loopback, the scratch directory, codes in the log), serving the web app.
  const env = { ...controlPlaneEnv(settings, cpPort, cellPort), WEB_APP_DIR: WEB_OUT };
  log(`directory: migrating schema ${settings.directorySchema}, registering the demo businesses and ${BENCH_TENANT.slug}…`);
  await runScript('the directory migration', [join(CP_DIST, 'scripts/migrate.js')], env);
  await runScript('demo-directory.js register', [join(CP_DIST, 'scripts/demo-directory.js'), 'register'], env);
  await registerSalesTenant(settings);

  const inbox = new SmsInbox();
  const controlPlane = new ChildServer({
    name: 'control-plane',
    args: [join(CP_DIST, 'src/main.js')],
    env,
    onLine: (line) => inbox.take(line),
  });
  cleanup.push(() => controlPlane.stop());
  const platform = new HttpClient(cpPort, { headers: { host: `app.localhost:${cpPort}` } });
  cleanup.push(() => platform.close());
  await controlPlane.waitReady(platform);
  const cell = new ChildServer({
    name: 'cell',
    args: [join(CELL_DIST, 'src/main.js')],
    env: cellEnv(settings, cellPort, { AUTH_JWKS_URL: `http://127.0.0.1:${cpPort}/.well-known/jwks.json` }),
  });
  cleanup.push(() => cell.stop());
  const probe = new HttpClient(cellPort);
  cleanup.push(() => probe.close());
  await cell.waitReady(probe);
  log(`control plane pid ${controlPlane.pid} on 127.0.0.1:${cpPort} (serving ${WEB_OUT}), cell pid ${cell.pid} on :${cellPort}`);
  return { cpPort, platform, inbox };
}

/** The bench tenant, its owner (with a phone to sign in by code) and its route, in the scratch directory. */
async function registerSalesTenant(settings) {
  const client = new pg.Client({ connectionString: settings.directoryOwnerUrl, options: `-c search_path=${settings.directorySchema}` });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO users (id, phone, display_name) VALUES ($1, $2, 'Chủ quán thử tải') ON CONFLICT (id) DO UPDATE SET phone = excluded.phone`,
      [BENCH_TENANT.ownerUserId, BENCH_OWNER_PHONE],
    );
    await client.query(
      `INSERT INTO tenants (id, slug, name, plan, status) VALUES ($1, $2, $3, 'pooled', 'active') ON CONFLICT (id) DO NOTHING`,
      [BENCH_TENANT.id, BENCH_TENANT.slug, BENCH_TENANT.name],
    );
    await client.query(`INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, 'owner') ON CONFLICT DO NOTHING`, [
      BENCH_TENANT.id,
      BENCH_TENANT.ownerUserId,
    ]);
    await client.query(
      `INSERT INTO routes (tenant_id, cell_name) SELECT $1, name FROM cells WHERE mode = 'pooled' ORDER BY name LIMIT 1 ON CONFLICT (tenant_id) DO NOTHING`,
      [BENCH_TENANT.id],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

// ─── sessions ───────────────────────────────────────────────────────────────────────────

/**
 * Signs `phone` in by code (read from the control plane's log) and returns `count` sessions
 * for business `slug`, each its own refresh-token family, in the shape the app stores
 * (web/src/lib/session.ts): a page refreshing its token never invalidates another's.
 */
async function sessionsFor(platform, inbox, phone, slug, count) {
  const asked = await platform.request('POST', '/api/v1/auth/otp/request', { phone });
  if (asked.status !== 202) throw new BenchError(`asking a code for ${phone} answered ${asked.status} ${JSON.stringify(asked.body)}`);
  const code = await inbox.codeFor(phone);
  const verified = await platform.request('POST', '/api/v1/auth/otp/verify', { phone, code });
  if (verified.status !== 200) throw new BenchError(`signing ${phone} in answered ${verified.status} ${JSON.stringify(verified.body)}`);
  const membership = verified.body.tenants.find((t) => t.slug === slug);
  if (!membership) throw new BenchError(`${phone} is not a member of ${slug} in the bench's directory`);
  const sessions = [];
  for (let i = 0; i < count; i++) {
    const pair = await platform.request(
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

// ─── one page load ──────────────────────────────────────────────────────────────────────

/** Encoded and decoded bytes of what the page received, scripts apart, from CDP's Network domain. */
class TransferMeter {
  constructor(cdp) {
    this.requests = new Map();
    cdp.on('Network.responseReceived', ({ requestId, type, response }) => {
      const entry = this.entry(requestId);
      entry.script = type === 'Script';
      entry.local = Boolean(response.fromServiceWorker || response.fromDiskCache || response.fromPrefetchCache);
    });
    cdp.on('Network.dataReceived', ({ requestId, dataLength }) => (this.entry(requestId).decoded += dataLength));
    cdp.on('Network.loadingFinished', ({ requestId, encodedDataLength }) => (this.entry(requestId).encoded = encodedDataLength));
    cdp.on('Network.requestServedFromCache', ({ requestId }) => (this.entry(requestId).local = true));
  }

  entry(requestId) {
    let entry = this.requests.get(requestId);
    if (!entry) this.requests.set(requestId, (entry = { script: false, local: false, encoded: 0, decoded: 0 }));
    return entry;
  }

  reset() {
    this.requests.clear();
  }

  totals() {
    const sum = (filter, key) => [...this.requests.values()].filter(filter).reduce((n, e) => n + e[key], 0);
    const overNetwork = (e) => !e.local;
    return {
      scriptKbOverNetwork: kb(sum((e) => e.script && overNetwork(e), 'encoded')),
      scriptKbDecoded: kb(sum((e) => e.script, 'decoded')),
      scriptFiles: [...this.requests.values()].filter((e) => e.script).length,
      allKbOverNetwork: kb(sum(overNetwork, 'encoded')),
    };
  }
}

const kb = (bytes) => Math.round(bytes / 102.4) / 10;

/** Navigates and waits for the page to be interactive; returns its times (ms from navigation start). */
async function measureLoad(page, meter, url) {
  meter.reset();
  await page.goto(url, { waitUntil: 'commit' });
  const deadline = Date.now() + 60_000;
  let state;
  for (;;) {
    state = await page.evaluate(loadState);
    if (state.readyAt !== null && state.now - Math.max(state.readyAt, state.lastEnd) >= QUIET_WINDOW_MS) break;
    if (Date.now() > deadline)
      throw new BenchError(
        `${url} was not interactive within 60 s (main control ${state.readyAt === null ? 'never appeared' : `at ${Math.round(state.readyAt)} ms`})`,
      );
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const interactiveAt = Math.max(state.readyAt, state.lastEnd);
  // Total blocking time: what each long task between first paint and interactive held past 50 ms.
  const blocking = state.longTasks
    .filter((t) => t.start >= (state.fcp ?? 0) && t.end <= interactiveAt)
    .reduce((n, t) => n + Math.max(0, t.end - t.start - 50), 0);
  return {
    interactiveMs: interactiveAt,
    readyMs: state.readyAt,
    fcpMs: state.fcp,
    blockingMs: blocking,
    controlled: state.controlled,
    ...meter.totals(),
  };
}

/** A context and page as a person's device: size, touch, Vietnamese, Hanoi time, the slowed CPU. */
async function openDevice(browser, settings, size, instrument) {
  const context = await browser.newContext({ ...size, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  await context.addInitScript(instrumentPage, instrument);
  const page = await context.newPage();
  page.on('pageerror', (error) => log(`page error: ${error.message}`));
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: settings.cpuSlowdown });
  await cdp.send('Network.enable');
  return { context, page, meter: new TransferMeter(cdp) };
}

/**
 * `loads` first visits, each followed by a repeat visit in the same context. Each context is
 * its own device with its own session: two devices never rotate the same refresh token.
 */
async function measureScreen(browser, settings, { size, url, instrumentFor, sessions, name }) {
  const first = [];
  const repeat = [];
  for (let i = 0; i < settings.loads; i++) {
    const device = await openDevice(browser, settings, size, instrumentFor(sessions[i]));
    try {
      first.push(await measureLoad(device.page, device.meter, url));
      // The repeat visit is the one the service worker serves: wait until it is active.
      await device.page.evaluate(() => navigator.serviceWorker?.ready);
      repeat.push(await measureLoad(device.page, device.meter, url));
    } finally {
      await device.context.close();
    }
    log(
      `${name}: load ${i + 1}/${settings.loads}: first visit interactive at ${Math.round(first.at(-1).interactiveMs)} ms, repeat at ${Math.round(repeat.at(-1).interactiveMs)} ms`,
    );
  }
  return { first, repeat };
}

// ─── tap to saved ───────────────────────────────────────────────────────────────────────

async function measureSales(browser, settings, { url, instrument, platformHost, session, locationId, cpPort }) {
  const device = await openDevice(browser, settings, TABLET, instrument);
  const orders = new HttpClient(cpPort, { headers: { host: platformHost, authorization: `Bearer ${session.accessToken}` } });
  try {
    const before = todayOrdersAt(must(await orders.gql(TODAY_ORDERS, {}), 'reading today’s orders'), locationId);
    await measureLoad(device.page, device.meter, url);
    const dish = device.page.getByTestId('menu-item').filter({ hasText: SOLD_DISH });
    const record = device.page.getByTestId('record-sale');
    const samples = { tapToToastMs: [], tapToFrameMs: [], requestMs: [] };
    // The mutation's own round trip (router, cell, database), to tell it from the browser's work.
    device.page.on('requestfinished', (request) => {
      if (!request.url().endsWith('/graphql') || !request.postData()?.includes('mutation RecordSale')) return;
      const timing = request.timing();
      if (timing.requestStart >= 0 && timing.responseEnd >= 0) samples.requestMs.push(timing.responseEnd - timing.requestStart);
    });
    for (let i = 0; i < settings.sales; i++) {
      await dish.tap();
      await device.page.getByTestId('cart-line').first().waitFor();
      await device.page.evaluate(armSavedWatch);
      await record.tap();
      const result = await device.page.evaluate(savedResult);
      samples.tapToToastMs.push(result.tapToToastMs);
      samples.tapToFrameMs.push(result.tapToFrameMs);
      await device.page.getByTestId('cart-line').first().waitFor({ state: 'detached' });
    }
    const after = todayOrdersAt(must(await orders.gql(TODAY_ORDERS, {}), 'reading today’s orders'), locationId);
    // The figures count only if each tap made exactly one order.
    if (after - before !== settings.sales)
      throw new BenchError(`${settings.sales} taps on "Ghi đơn" made ${after - before} orders at the bench location`);
    return { ...samples, ordersRecorded: after - before };
  } finally {
    orders.close();
    await device.context.close();
  }
}

function todayOrdersAt(data, locationId) {
  const location = data.locations.find((l) => l.id === locationId);
  if (!location) throw new BenchError(`the bench location ${locationId} is not among the tenant's locations`);
  return location.todayOrders;
}

// ─── the report ─────────────────────────────────────────────────────────────────────────

const p = (samples, key) =>
  summarize(
    samples.map((s) => s[key]).filter((x) => x !== null),
    0,
  );
const row = (figure, s, target = '—', pass = null) => [
  figure,
  String(s.n),
  String(s.p50),
  String(s.p95),
  String(s.p99),
  target,
  pass === null ? '' : pass ? 'PASS' : 'MISS',
];
const kbRow = (figure, samples, key, target = '—', pass = null) => {
  const s = summarize(
    samples.map((x) => x[key]),
    1,
  );
  return row(figure, s, target, pass);
};

/** Whether a figure's p95 is under its target, and that p95. */
const under = (summary, target) => ({ pass: summary.p95 < target, p95: summary.p95 });

/**
 * The rows every screen has, first and repeat visit; `checks` (verdicts with their targets)
 * marks the JavaScript, first-visit and repeat-visit figures that have one.
 */
function screenRows(name, { first, repeat }, checks) {
  const marked = (check) => (check ? [`< ${check.target}`, check.verdict.pass] : []);
  return [
    kbRow(`${name}: JS transferred, first visit (KB gzip)`, first, 'scriptKbOverNetwork', ...marked(checks.js)),
    kbRow(`${name}: JS decoded, first visit (KB)`, first, 'scriptKbDecoded'),
    kbRow(`${name}: everything transferred, first (KB)`, first, 'allKbOverNetwork'),
    row(`${name}: first paint, first visit`, p(first, 'fcpMs')),
    row(`${name}: time to interactive, first visit`, p(first, 'interactiveMs'), ...marked(checks.first)),
    row(`${name}: total blocking time, first visit`, p(first, 'blockingMs')),
    kbRow(`${name}: JS transferred, repeat visit (KB)`, repeat, 'scriptKbOverNetwork'),
    row(`${name}: time to interactive, repeat visit`, p(repeat, 'interactiveMs'), ...marked(checks.repeat)),
  ];
}

function report(settings, results) {
  const { sales, owner, taps } = results;
  const verdicts = {
    salesJs: under(
      summarize(
        sales.first.map((s) => s.scriptKbOverNetwork),
        1,
      ),
      WEB_TARGETS.salesJsKb,
    ),
    salesColdStart: under(p(sales.first, 'interactiveMs'), WEB_TARGETS.coldStartMs),
    dashboardColdStart: under(p(owner.first, 'interactiveMs'), WEB_TARGETS.coldStartMs),
    dashboardWithCache: under(p(owner.repeat, 'interactiveMs'), WEB_TARGETS.dashboardWithCacheMs),
    tapToSaved: under(summarize(taps.tapToFrameMs, 0), WEB_TARGETS.tapToSavedMs),
  };
  out('');
  out(
    `The web app in Chromium ${results.environment.chromium}, CPU slowed ${settings.cpuSlowdown}×, loopback network; ${settings.loads} first and repeat visits per screen, ${settings.sales} sales.`,
  );
  out('');
  printTable([
    ...screenRows('sales', sales, {
      js: { target: `${WEB_TARGETS.salesJsKb} KB`, verdict: verdicts.salesJs },
      first: { target: WEB_TARGETS.coldStartMs, verdict: verdicts.salesColdStart },
    }),
    row('sales: tap "Ghi đơn" → saved toast added', summarize(taps.tapToToastMs, 0)),
    row(
      'sales: tap "Ghi đơn" → saved toast on screen',
      summarize(taps.tapToFrameMs, 0),
      `< ${WEB_TARGETS.tapToSavedMs}`,
      verdicts.tapToSaved.pass,
    ),
    row('sales: its recordSale request → answer', summarize(taps.requestMs, 0)),
    ...screenRows('dashboard', owner, {
      first: { target: WEB_TARGETS.coldStartMs, verdict: verdicts.dashboardColdStart },
      repeat: { target: WEB_TARGETS.dashboardWithCacheMs, verdict: verdicts.dashboardWithCache },
    }),
  ]);
  const uncontrolled = [...sales.repeat, ...owner.repeat].filter((s) => !s.controlled).length;
  out('');
  out(
    `Repeat visits served by the service worker: ${sales.repeat.length + owner.repeat.length - uncontrolled} of ${sales.repeat.length + owner.repeat.length}. Orders recorded by the taps: ${taps.ordersRecorded} (checked in the cell).`,
  );
  return verdicts;
}

// ─── main ───────────────────────────────────────────────────────────────────────────────

async function run(settings, cleanup) {
  for (const file of [join(WEB_OUT, 'index.html'), join(CP_DIST, 'src/main.js'), join(CELL_DIST, 'src/main.js')]) {
    if (!existsSync(file)) throw new BenchError(`${file} is missing: run \`make build\``);
  }
  const busy = await waitForQuietMachine(settings.quietWaitSeconds);
  const location = await prepareSalesTenant(settings, cleanup);
  const { cpPort, platform, inbox } = await startServers(settings, cleanup);
  const { DEMO_TENANTS } = require('@localstore/common');
  const demo = DEMO_TENANTS.find((t) => t.slug === settings.tenantSlug);
  if (!demo) throw new BenchError(`BENCH_TENANT="${settings.tenantSlug}" is not a demo business`);
  const ownerSessions = await sessionsFor(platform, inbox, demo.ownerPhone, demo.slug, settings.loads);
  const salesSessions = await sessionsFor(platform, inbox, BENCH_OWNER_PHONE, BENCH_TENANT.slug, settings.loads + 1);

  const browser = await chromium.launch({ executablePath: settings.chromium, args: CHROMIUM_FLAGS });
  cleanup.push(() => browser.close());
  const salesOrigin = `http://${BENCH_TENANT.slug}.localhost:${cpPort}`;
  const appOrigin = `http://app.localhost:${cpPort}`;
  const salesInstrument = (session) => ({ origin: salesOrigin, session, readySelector: '[data-testid=menu-item]' });
  const ownerInstrument = (session) => ({ origin: appOrigin, session, readySelector: '[data-testid=kpi-revenue]' });

  log(`sales entry (${salesOrigin}/sales/, tablet size), ${settings.loads} first and repeat visits…`);
  const sales = await measureScreen(browser, settings, {
    size: TABLET,
    url: `${salesOrigin}/sales/`,
    instrumentFor: salesInstrument,
    sessions: salesSessions,
    name: 'sales',
  });
  log(`owner dashboard of ${demo.slug} (${appOrigin}/owner/, phone size), ${settings.loads} first and repeat visits…`);
  const owner = await measureScreen(browser, settings, {
    size: PHONE,
    url: `${appOrigin}/owner/`,
    instrumentFor: ownerInstrument,
    sessions: ownerSessions,
    name: 'dashboard',
  });
  log(`${settings.sales} sales tapped on the tablet…`);
  const taps = await measureSales(browser, settings, {
    url: `${salesOrigin}/sales/`,
    instrument: salesInstrument(salesSessions.at(-1)),
    platformHost: `${BENCH_TENANT.slug}.localhost:${cpPort}`,
    session: salesSessions.at(-1),
    locationId: location.id,
    cpPort,
  });
  return {
    sales,
    owner,
    taps,
    environment: { chromium: browser.version(), machineBusyBeforeStartPercent: busy, directorySchema: settings.directorySchema },
  };
}

async function main() {
  const cleanup = [];
  const cleanUp = async () => {
    while (cleanup.length > 0) await Promise.resolve(cleanup.pop()()).catch(() => undefined);
  };
  let interrupted = false;
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      interrupted = true;
      log(`${signal}: stopping the browser and the servers the bench started`);
      cleanUp().finally(() => process.exit(130));
    });
  }
  try {
    const settings = readSettings(process.env);
    const results = await run(settings, cleanup);
    await cleanUp();
    const verdicts = report(settings, results);
    out(
      JSON.stringify({
        bench: 'localstore-web',
        at: new Date().toISOString(),
        settings: { loads: settings.loads, sales: settings.sales, cpuSlowdown: settings.cpuSlowdown },
        targets: WEB_TARGETS,
        results,
        verdicts,
      }),
    );
    if (['1', 'true', 'yes'].includes(process.env.BENCH_STRICT ?? '') && !Object.values(verdicts).every((v) => v.pass))
      process.exitCode = 1;
  } catch (error) {
    if (interrupted) return;
    await cleanUp();
    log(error instanceof BenchError ? error.message : (error?.stack ?? String(error)));
    process.exitCode = 2;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
