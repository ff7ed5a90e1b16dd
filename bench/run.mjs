#!/usr/bin/env node
// `make bench`: latency and throughput of the cell API against the seeded demo data, then
// the control plane's figures (router overhead, token verification, OTP sign-ins).
//
// Starts the compiled cell API as a child process on a free loopback port, then measures,
// one client at a time, the `location` dashboard (uncached) and the chain's consolidated
// 30-day `dashboard` of the demo tenant, and `recordSale`; then 20 concurrent clients
// recording sales. The sales go to a tenant of the bench's own (`bench-thu-tai`), never to
// a demo tenant. The same dashboard aggregates are also timed as raw SQL over `pg`,
// interleaved with the GraphQL requests, so the GraphQL/raw ratio compares figures taken
// under the same conditions. Then control-plane-phase.mjs, then realtime-phase.mjs (sales and
// payments to 1,000 screens over two cells), then operator-phase.mjs (on a copy of the demo
// database). See bench/README.md for how to read the output.
//
// Settings (environment, all optional): see readSettings() and bench/README.md;
// DATABASE_URL and DATABASE_SCHEMA are passed on to the cell as well.
import { existsSync, mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import os from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { BENCH_TENANT, isLeftoverLocationName, LEFTOVER_LOCATION_NAME, prepareBenchTenant } from './bench-tenant.mjs';
import { BENCH_OTP_LIMITS, measureControlPlane } from './control-plane-phase.mjs';
import {
  measureOperator,
  OPERATOR_TARGETS,
  operatorFailures,
  operatorVerdicts,
  printOperatorReport,
  readOperatorSettings,
} from './operator-phase.mjs';
import {
  measureRealtime,
  printRealtimeReport,
  readRealtimeSettings,
  REALTIME_TARGETS,
  realtimeFailures,
  realtimeVerdicts,
} from './realtime-phase.mjs';
import {
  BenchError,
  ChildServer,
  freePort,
  HttpClient,
  log,
  mark,
  must,
  nowMs,
  out,
  printCpu,
  printTable,
  REPO_ROOT,
  summarize,
  waitForQuietMachine,
  warmUp,
  wholeNumberReader,
  withCpu,
} from './lib.mjs';

const CELL_DIST = join(REPO_ROOT, 'cell-api/dist');
const require = createRequire(import.meta.url);

/** What the issues ask for (the floors they were set from are in bench/README.md). */
const TARGETS = {
  locationP95Ms: 5,
  chainP95Ms: 15,
  maxRatioToRaw: 3,
  recordSaleP95Ms: 10,
  salesPerSecond: 1_500,
  /** Issue 4: what the router adds to a request's p99. */
  routerAddedP99Ms: 1,
};

const CHAIN_RANGE_DAYS = 30;
const VN_TIME_ZONE = 'Asia/Ho_Chi_Minh';

const LOCATION_DASHBOARD = `query LocationDashboard($id: ID!) {
  location(id: $id) { id name todayRevenue todayOrders averageTicket hourlyTrends { hour revenue orders }
    topItems(limit: 5) { itemId name quantity revenue } paymentMix { method amount }
    comparison { sameWeekdayLastWeekRevenue } }
}`;
const CHAIN_DASHBOARD = `query ChainDashboard($range: DateRangeInput!) {
  dashboard(range: $range) {
    totals { revenue orders averageTicket } previousPeriod { revenue }
    locations { locationId name totals { revenue orders } } daily { date revenue orders }
    paymentMix { method amount } topItems(limit: 10) { itemId name quantity revenue }
  }
}`;
const RECORD_SALE = `mutation RecordSale($input: RecordSaleInput!) { recordSale(input: $input) { id total } }`;
const LOCATIONS = `query BenchLocations { locations { id name } }`;
const TODAY_ORDERS = `query BenchTodayOrders { locations { id todayOrders } }`;

// ─── settings ───────────────────────────────────────────────────────────────────────────

function readSettings(env) {
  const problems = [];
  const int = wholeNumberReader(env, problems);
  const settings = {
    /** Demo tenant whose dashboards are measured (its data is only read). */
    tenantSlug: env.BENCH_TENANT ?? 'pho-bo-hanoi',
    /** Requests per sequential series (each series also stops at seriesMaxSeconds). */
    samples: int('BENCH_SAMPLES', 1_000, 20, 100_000),
    seriesMaxSeconds: int('BENCH_SERIES_MAX_SECONDS', 30, 1, 600),
    /** Unmeasured requests of each kind before the series: JIT, pools and plans settle. */
    warmup: int('BENCH_WARMUP', 200, 0, 10_000),
    clients: int('BENCH_CLIENTS', 20, 1, 200),
    /**
     * Locations of the bench tenant the load spreads its sales over (client i sells at
     * location i mod n). One, the default, is the worst case: every sale updates the same
     * rollup rows.
     */
    benchLocations: int('BENCH_LOCATIONS', 1, 1, 50),
    loadSeconds: int('BENCH_LOAD_SECONDS', 10, 1, 300),
    loadWarmupSeconds: int('BENCH_LOAD_WARMUP_SECONDS', 2, 0, 60),
    strict: ['1', 'true', 'yes'].includes(env.BENCH_STRICT ?? ''),
    /** How long to wait for other work on the machine to finish before each phase. */
    quietWaitSeconds: int('BENCH_QUIET_WAIT_SECONDS', 60, 0, 600),
    /** Folder for a V8 CPU profile of the cell process of the first phase, when set. */
    cpuProfDir: env.BENCH_CPU_PROF || null,
    databaseUrl: env.DATABASE_URL || 'postgres://localstore_app:localstore_app@127.0.0.1:55432/localstore',
    schema: env.DATABASE_SCHEMA || 'cell_pooled',
    /** The control plane's phase (router, tokens, OTP); off with BENCH_CONTROL_PLANE=0. */
    controlPlane: !['0', 'false', 'no'].includes(env.BENCH_CONTROL_PLANE ?? ''),
    /** The bench's own directory schema: never the demo's `directory`. */
    directorySchema: env.BENCH_DIRECTORY_SCHEMA || 'directory_bench',
    /** Fresh tokens verified once uncached and once cached (the verifier caches 10,000). */
    tokens: int('BENCH_TOKENS', 2_000, 100, 9_000),
    otpClients: int('BENCH_OTP_CLIENTS', 10, 1, 100),
    otpSeconds: int('BENCH_OTP_SECONDS', 10, 1, 120),
    /** The real-time phase (issue 6): sales and payments to 1,000 screens; off with BENCH_REALTIME=0. */
    realtime: !['0', 'false', 'no'].includes(env.BENCH_REALTIME ?? ''),
    /** The operator's phase (issue 5), on a copy of the demo database; off with BENCH_OPERATOR=0. */
    operator: !['0', 'false', 'no'].includes(env.BENCH_OPERATOR ?? ''),
  };
  // Their own settings (BENCH_REALTIME_*, BENCH_OPERATOR_*), checked now so a wrong one stops the bench before it starts.
  settings.realtimeSettings = settings.realtime ? readRealtimeSettings(env) : null;
  settings.operatorSettings = settings.operator ? readOperatorSettings(env) : null;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(settings.schema)) problems.push(`DATABASE_SCHEMA="${settings.schema}" is not a schema name`);
  if (!/^[a-z0-9-]{1,63}$/.test(settings.tenantSlug)) problems.push(`BENCH_TENANT="${settings.tenantSlug}" is not a tenant slug`);
  if (settings.tenantSlug === BENCH_TENANT.slug)
    problems.push(`BENCH_TENANT must be a demo tenant, not the bench's own ${BENCH_TENANT.slug}`);
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(settings.directorySchema))
    problems.push(`BENCH_DIRECTORY_SCHEMA="${settings.directorySchema}" is not a schema name`);
  // The bench registers the demo tenants with routes to its own cell port: in the demo's
  // directory that would send a running `make demo` to a cell that is gone after the bench.
  if (settings.directorySchema === (env.DIRECTORY_SCHEMA || 'directory')) {
    problems.push(
      `BENCH_DIRECTORY_SCHEMA="${settings.directorySchema}" is the demo's directory: the bench needs a scratch schema of its own`,
    );
  }
  for (const name of ['DATABASE_URL', 'DIRECTORY_DATABASE_URL', 'DIRECTORY_OWNER_URL']) {
    if (!env[name] && name !== 'DATABASE_URL') continue;
    const host = safeHost(name === 'DATABASE_URL' ? settings.databaseUrl : env[name]);
    if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) problems.push(`${name} must point at loopback (got ${host})`);
  }
  if (problems.length > 0) throw new BenchError(`Invalid bench settings:\n  - ${problems.join('\n  - ')}`);
  return settings;
}

function safeHost(url) {
  try {
    return new URL(url).hostname;
  } catch {
    return '(unparsable URL)';
  }
}

// ─── the cell under test ────────────────────────────────────────────────────────────────

/**
 * The compiled cell API as a child process on `port`, with `env` on top of ours; its log
 * lines go to our stderr. With `cpuProfDir` it writes a V8 profile there on exit.
 */
function startCell(settings, port, env = {}, cpuProfDir = null) {
  const main = join(CELL_DIST, 'src/main.js');
  // A profile is written only on a normal exit; the shutdown hooks of Nest re-raise
  // SIGTERM, so a profiled cell is started from a wrapper that exits on SIGUSR2.
  const args = cpuProfDir
    ? [
        '--cpu-prof',
        `--cpu-prof-dir=${cpuProfDir}`,
        '-e',
        `process.on('SIGUSR2', () => process.exit(0));
         const { loadCellConfig } = require(${JSON.stringify(join(CELL_DIST, 'src/config/cell-config.js'))});
         require(${JSON.stringify(main)}).startCell(loadCellConfig()).catch((e) => { console.error(e); process.exit(1); });`,
      ]
    : [main];
  if (cpuProfDir) mkdirSync(cpuProfDir, { recursive: true });
  return new ChildServer({
    name: 'cell',
    args,
    stopSignal: cpuProfDir ? 'SIGUSR2' : 'SIGTERM',
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DATABASE_URL: settings.databaseUrl,
      DATABASE_SCHEMA: settings.schema,
      ...env,
    },
  });
}
// ─── raw SQL, the floor the GraphQL figures are compared with ───────────────────────────

/**
 * The same statement text the cell sends, over a pooled `pg` connection as the app role,
 * under RLS. `statementMs` is the statement alone inside the open transaction; `fullMs`
 * adds what the cell's tenant transaction adds around it: checkout from the pool, the
 * one-round-trip `BEGIN; set_config(...)`, COMMIT and release.
 */
class RawSql {
  constructor(settings, tenantId) {
    if (!/^[0-9a-f-]{36}$/i.test(tenantId)) throw new BenchError(`tenant id ${tenantId} is not a UUID`);
    this.tenantId = tenantId;
    this.pool = new pg.Pool({
      connectionString: settings.databaseUrl,
      max: 2,
      options: `-c search_path=${settings.schema},public`,
      application_name: 'localstore-bench:raw',
    });
  }

  async time(sql, params) {
    const startedAt = nowMs();
    const client = await this.pool.connect();
    let statementMs;
    let rows;
    try {
      // Interpolated exactly as the cell does it; the id was checked to be a UUID above.
      await client.query(`BEGIN; SELECT set_config('app.tenant_id', '${this.tenantId}', true)`);
      const statementStart = nowMs();
      rows = (await client.query(sql, params)).rows;
      statementMs = nowMs() - statementStart;
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    return { statementMs, fullMs: nowMs() - startedAt, rows };
  }

  /** A read under the tenant's RLS scope, untimed: volumes and checks. */
  async read(sql, params = []) {
    return (await this.time(sql, params)).rows;
  }

  end() {
    return this.pool.end();
  }
}

// ─── the run ────────────────────────────────────────────────────────────────────────────

function loadProjectCode() {
  const required = ['scripts/demo-tokens.js', 'src/dashboard/dashboard.repository.js', 'src/main.js', 'src/config/cell-config.js'];
  const missing = required.filter((file) => !existsSync(join(CELL_DIST, file)));
  for (const file of ['src/main.js', 'scripts/migrate.js', 'scripts/demo-directory.js']) {
    if (!existsSync(join(REPO_ROOT, 'control-plane/dist', file))) missing.push(`control-plane/dist/${file}`);
  }
  if (missing.length > 0)
    throw new BenchError(`the cell API or the control plane is not built (${missing.join(', ')} missing): run \`make build\``);
  const { demoOwnerTokens, demoSigningKey } = require(join(CELL_DIST, 'scripts/demo-tokens.js'));
  const { loadCellConfig } = require(join(CELL_DIST, 'src/config/cell-config.js'));
  const { TODAY_SNAPSHOT_SQL, RANGE_FIGURES_SQL } = require(join(CELL_DIST, 'src/dashboard/dashboard.repository.js'));
  const { AccessTokenVerifier, addDays, businessDateOf, normaliseVietnameseMobile } = require('@localstore/common');
  return {
    demoOwnerTokens,
    demoSigningKey,
    loadCellConfig,
    TODAY_SNAPSHOT_SQL,
    RANGE_FIGURES_SQL,
    AccessTokenVerifier,
    addDays,
    businessDateOf,
    normaliseVietnameseMobile,
  };
}

/**
 * One client, one request at a time, `samples` times or until the time bound. When `raw`
 * is given, the raw statement runs right after each GraphQL request, so both series see
 * the same data, caches and machine load.
 */
async function sequentialSeries(settings, request, raw) {
  const graphql = [];
  const statement = [];
  const full = [];
  const errors = [];
  const deadline = nowMs() + settings.seriesMaxSeconds * 1000;
  for (let i = 0; i < settings.samples && nowMs() < deadline; i++) {
    const result = await request(i);
    if (result.error) errors.push(result.error);
    else graphql.push(result.ms);
    if (raw) {
      const timing = await raw(i);
      statement.push(timing.statementMs);
      full.push(timing.fullMs);
    }
  }
  return {
    graphql: summarize(graphql),
    ...(raw ? { rawStatement: summarize(statement), rawFull: summarize(full) } : {}),
    errors: errors.length,
    firstErrors: [...new Set(errors)].slice(0, 3),
  };
}

/** `clients` loops recording sales for `seconds`; also bounded in count. */
async function loadPhase(clients, seconds, record) {
  const latencies = [];
  const errors = [];
  const maxSales = Math.max(1_000, seconds * 20_000);
  let issued = 0;
  const startedAt = nowMs();
  const deadline = startedAt + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, worker) => {
      while (nowMs() < deadline && issued < maxSales) {
        issued++;
        const result = await record(worker);
        if (result.error) errors.push(result.error);
        else latencies.push(result.ms);
      }
    }),
  );
  const elapsedSeconds = (nowMs() - startedAt) / 1000;
  return {
    sales: latencies.length,
    elapsedSeconds: Math.round(elapsedSeconds * 1000) / 1000,
    salesPerSecond: Math.round(latencies.length / elapsedSeconds),
    latency: summarize(latencies),
    errors: errors.length,
    firstErrors: [...new Set(errors)].slice(0, 3),
  };
}

/** A deterministic generator, so every run sends the same mix of sales. */
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A realistic counter sale: 1–3 different dishes, mostly cash or MoMo, mostly eaten in. */
function saleFactory(menu, seed) {
  const random = mulberry32(seed);
  const methods = [
    ['CASH', 0.5],
    ['MOMO', 0.25],
    ['ZALOPAY', 0.1],
    ['VNPAY', 0.1],
    ['CARD', 0.05],
  ];
  const pickMethod = () => {
    let r = random();
    for (const [method, weight] of methods) if ((r -= weight) < 0) return method;
    return 'CASH';
  };
  return (locationId) => {
    const lines = 1 + Math.floor(random() * 3);
    const chosen = new Set();
    while (chosen.size < Math.min(lines, menu.length)) chosen.add(menu[Math.floor(random() * menu.length)].id);
    return {
      id: randomUUID(),
      locationId,
      items: [...chosen].map((itemId) => ({ itemId, quantity: 1 + Math.floor(random() * 2), modifiers: [] })),
      channel: random() < 0.8 ? 'DINE_IN' : 'TAKEAWAY',
      paymentMethod: pickMethod(),
      discount: 0,
    };
  };
}

/**
 * The cell's figures: the demo tenant's dashboards (read only) and the bench tenant's sales.
 * Stops its cell before returning, so the next phase has the machine to itself.
 */
async function measureCell(settings, code, cleanup) {
  // Demo tokens write the JWKS file the cell reads, so they come first.
  const tokens = await code.demoOwnerTokens();
  const owner = tokens.find((t) => t.slug === settings.tenantSlug);
  if (!owner) throw new BenchError(`no demo token for tenant ${settings.tenantSlug}; known: ${tokens.map((t) => t.slug).join(', ')}`);
  const tenantId = JSON.parse(Buffer.from(owner.token.split('.')[1], 'base64url').toString('utf8')).tid;
  const signer = await code.demoSigningKey(code.loadCellConfig().auth.jwksFile);

  const before = await waitForQuietMachine(settings.quietWaitSeconds);
  const port = await freePort();
  const cell = startCell(settings, port, {}, settings.cpuProfDir);
  cleanup.push(() => cell.stop());
  const client = new HttpClient(port, { headers: { authorization: `Bearer ${owner.token}`, 'x-tenant': owner.slug } });
  cleanup.push(() => client.close());
  const raw = new RawSql(settings, tenantId);
  cleanup.push(() => raw.end());

  log(`cell API pid ${cell.pid} on 127.0.0.1:${port}, schema ${settings.schema}, tenant ${owner.slug}`);
  await cell.waitReady(client);

  const locationsResult = await client.gql(LOCATIONS, {});
  if (locationsResult.error?.includes('TENANT_MISMATCH')) {
    throw new BenchError(`tenant ${owner.slug} is not in schema ${settings.schema}: run \`make seed-demo\` first`);
  }
  const allLocations = must(locationsResult, 'listing locations').locations;
  const leftovers = allLocations.filter((l) => isLeftoverLocationName(l.name));
  const chainLocations = allLocations.filter((l) => !isLeftoverLocationName(l.name));
  if (chainLocations.length === 0) throw new BenchError(`tenant ${owner.slug} has no locations of its own: run \`make seed-demo\` first`);
  if (leftovers.length > 0) {
    log(
      `${owner.slug} still holds ${leftovers.length} location(s) "${LEFTOVER_LOCATION_NAME}" of earlier bench runs; its consolidated ` +
        'dashboard covers them. `node cell-api/dist/scripts/seed-demo.js --reset` removes them (it rebuilds the demo tenants).',
    );
  }
  // The consolidated dashboard covers every visible location, as the owner's app asks for it.
  const visibleIds = allLocations.map((l) => l.id);

  const bench = await prepareBenchTenant({ port, signer, locationCount: settings.benchLocations, maxSockets: settings.clients });
  cleanup.push(() => bench.client.close());
  if (bench.menu.length === 0) throw new BenchError(`the bench tenant ${BENCH_TENANT.slug} has no active menu item`);

  const today = code.businessDateOf(new Date(), VN_TIME_ZONE);
  const range = { from: code.addDays(today, -(CHAIN_RANGE_DAYS - 1)), to: today };
  const previousFrom = code.addDays(range.from, -CHAIN_RANGE_DAYS);

  const [volume] = await raw.read(
    `SELECT (SELECT count(*) FROM orders)::int AS orders,
            (SELECT count(*) FROM orders WHERE business_date BETWEEN $1::date AND $2::date)::int AS "ordersInRange",
            (SELECT count(*) FROM sales_hourly)::int AS "hourlyRows",
            (SELECT count(*) FROM item_sales_daily)::int AS "itemDailyRows",
            (SELECT count(*) FROM menu_items WHERE active)::int AS "menuItems",
            current_setting('server_version') AS "postgres"`,
    [range.from, range.to],
  );
  const environment = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    node: process.version,
    postgres: volume.postgres,
    schema: settings.schema,
    tenant: owner.slug,
    chainLocations: chainLocations.length,
    visibleLocations: visibleIds.length,
    leftoverBenchLocations: leftovers.length,
    benchTenant: BENCH_TENANT.slug,
    benchLocationsUsed: bench.locations.length,
    benchMenuItems: bench.menu.length,
    tenantOrders: volume.orders,
    tenantOrdersInRange: volume.ordersInRange,
    hourlyRollupRows: volume.hourlyRows,
    itemDailyRollupRows: volume.itemDailyRows,
    menuItems: volume.menuItems,
    range,
    machineBusyBeforeStartPercent: before,
  };
  log(
    `data: ${volume.orders.toLocaleString('en')} orders of ${owner.slug} (${volume.ordersInRange.toLocaleString('en')} in ${range.from}…${range.to}), ` +
      `${volume.hourlyRows.toLocaleString('en')} hourly and ${volume.itemDailyRows.toLocaleString('en')} item-daily rollup rows, ` +
      `${chainLocations.length} locations, ${volume.menuItems} menu items; sales go to ${BENCH_TENANT.slug} (${bench.menu.length} menu items)`,
  );

  const locationVars = (i) => ({ id: chainLocations[i % chainLocations.length].id });
  const locationRequest = (i) => client.gql(LOCATION_DASHBOARD, locationVars(i), { uncached: true });
  const locationRaw = (i) => raw.time(code.TODAY_SNAPSHOT_SQL, [[chainLocations[i % chainLocations.length].id]]);
  const chainRequest = () => client.gql(CHAIN_DASHBOARD, { range }, { uncached: true });
  const chainRaw = () => raw.time(code.RANGE_FIGURES_SQL, [visibleIds, range.from, range.to, previousFrom]);
  const nextSale = saleFactory(bench.menu, 20_241_125);
  const recordRequest = (worker = 0) =>
    bench.client.gql(RECORD_SALE, { input: nextSale(bench.locations[worker % bench.locations.length].id) });
  const benchTodayOrders = async () => {
    const { locations } = must(await bench.client.gql(TODAY_ORDERS, {}), "counting today's bench orders");
    const ids = new Set(bench.locations.map((l) => l.id));
    return locations.filter((l) => ids.has(l.id)).reduce((sum, l) => sum + l.todayOrders, 0);
  };

  // The GraphQL answer and the raw statement must be the same figures, or the ratio means nothing.
  const firstLocation = must(await locationRequest(0), 'the location dashboard').location;
  const firstLocationRaw = (await locationRaw(0)).rows[0];
  const rawTodayRevenue = (firstLocationRaw?.hourly ?? []).reduce((sum, h) => sum + Number(h.revenue), 0);
  if (firstLocation.todayRevenue !== rawTodayRevenue) {
    throw new BenchError(`location dashboard says ${firstLocation.todayRevenue} đ today, the raw statement ${rawTodayRevenue} đ`);
  }
  const firstChain = must(await chainRequest(), 'the chain dashboard').dashboard;
  const firstChainRaw = (await chainRaw()).rows[0];
  const rawChainRevenue = firstChainRaw.locations.reduce((sum, l) => sum + Number(l.revenue), 0);
  if (firstChain.totals.revenue !== rawChainRevenue || firstChain.locations.length !== visibleIds.length) {
    throw new BenchError(`chain dashboard says ${firstChain.totals.revenue} đ, the raw statement ${rawChainRevenue} đ`);
  }
  const benchOrdersBefore = await benchTodayOrders();

  log(`warming up (${settings.warmup} of each request, ${settings.loadWarmupSeconds} s of load)…`);
  let warmupSales = 0;
  await warmUp(settings.warmup, 30, async (i) => {
    await locationRequest(i);
    await locationRaw(i);
    await chainRequest();
    await chainRaw();
    if (!(await recordRequest(0)).error) warmupSales++;
  });

  const processes = { cell: cell.pid };
  log(`location dashboard: ${settings.samples} requests over ${chainLocations.length} locations, each followed by its raw statement…`);
  const location = await withCpu(processes, () => sequentialSeries(settings, locationRequest, locationRaw));
  log(
    `chain dashboard (${range.from}…${range.to}, ${visibleIds.length} locations): ${settings.samples} requests, each followed by its raw statement…`,
  );
  const chain = await withCpu(processes, () => sequentialSeries(settings, chainRequest, chainRaw));
  log(`recordSale: ${settings.samples} sales at ${BENCH_TENANT.slug}, one at a time…`);
  const sale = await withCpu(processes, () => sequentialSeries(settings, () => recordRequest(0), null));

  log(
    `load: ${settings.clients} clients recording sales at ${BENCH_TENANT.slug} for ${settings.loadWarmupSeconds} s (unmeasured), then ${settings.loadSeconds} s…`,
  );
  const loadWarmup =
    settings.loadWarmupSeconds > 0 ? await loadPhase(settings.clients, settings.loadWarmupSeconds, recordRequest) : { sales: 0 };
  const loaded = await withCpu(processes, () => loadPhase(settings.clients, settings.loadSeconds, recordRequest));
  const [locationSeries, chainSeries, saleSeries, load] = [location.result, chain.result, sale.result, loaded.result];
  const cpu = { locationDashboard: location.cpu, chainDashboard: chain.cpu, recordSale: sale.cpu, load: loaded.cpu };

  // Every sale counted above must be in the figures: the bench locations' today grew by exactly that.
  const benchOrdersAfter = await benchTodayOrders();
  const salesSent = warmupSales + (saleSeries.graphql.n ?? 0) + loadWarmup.sales + load.sales;
  const sameDay = code.businessDateOf(new Date(), VN_TIME_ZONE) === today;
  const recordedCheck = sameDay ? benchOrdersAfter - benchOrdersBefore === salesSent : null;

  await cell.stop();
  return { environment, locationSeries, chainSeries, saleSeries, load, cpu, salesSent, recordedCheck };
}

async function run(settings, cleanup) {
  const code = loadProjectCode();
  const cellFigures = await measureCell(settings, code, cleanup);
  let controlPlane = null;
  if (settings.controlPlane) {
    const busy = await waitForQuietMachine(settings.quietWaitSeconds);
    controlPlane = await measureControlPlane({
      settings,
      code,
      cleanup,
      startCell: (port, env) => startCell(settings, port, env),
      query: LOCATION_DASHBOARD,
      variablesOf: (locationId) => ({ id: locationId }),
    });
    controlPlane.environment.machineBusyBeforeStartPercent = busy;
  }
  const realtime = settings.realtime ? await measureRealtimePhase(settings, cleanup) : null;
  const operator = settings.operator ? await measureOperatorPhase(settings, cleanup) : null;
  return { ...cellFigures, controlPlane, realtime, operator };
}

/**
 * The real-time phase starts two cells and a control plane of its own on NATS: the servers
 * of the phases before are stopped first (they are done, and a control plane of theirs on
 * the same NATS would answer the phase's checkouts). Its failure does not take the other
 * figures with it: it is reported, and the exit status is 1.
 */
async function measureRealtimePhase(settings, cleanup) {
  while (cleanup.length > 0) await Promise.resolve(cleanup.pop()()).catch(() => undefined);
  const busy = await waitForQuietMachine(settings.quietWaitSeconds);
  try {
    const figures = await measureRealtime(settings.realtimeSettings, cleanup);
    figures.environment.machineBusyBeforeStartPercent = busy;
    return figures;
  } catch (error) {
    if (!(error instanceof BenchError)) throw error;
    log(`the real-time phase failed: ${error.message}`);
    return { failed: error.message };
  }
}

/**
 * The operator's phase copies the demo database, which PostgreSQL allows only with no one
 * connected to it: the servers and pools of the phases before are stopped first (they are
 * done). Its failure does not take the other figures with it: it is reported, and the exit
 * status is 1.
 */
async function measureOperatorPhase(settings, cleanup) {
  while (cleanup.length > 0) await Promise.resolve(cleanup.pop()()).catch(() => undefined);
  const busy = await waitForQuietMachine(settings.quietWaitSeconds);
  try {
    const figures = await measureOperator({ settings: settings.operatorSettings, cleanup });
    if (!figures.skipped) figures.environment.machineBusyBeforeStartPercent = busy;
    return figures;
  } catch (error) {
    if (!(error instanceof BenchError)) throw error;
    log(`the operator phase failed: ${error.message}`);
    return { failed: error.message };
  }
}

// ─── report ─────────────────────────────────────────────────────────────────────────────

function verdicts(r) {
  const ratio = (series) => Math.round((series.graphql.p95 / series.rawStatement.p95) * 100) / 100;
  const ratioFull = (series) => Math.round((series.graphql.p95 / series.rawFull.p95) * 100) / 100;
  const ratioP50 = (series) => Math.round((series.graphql.p50 / series.rawStatement.p50) * 100) / 100;
  const cell = {
    locationP95: {
      value: r.locationSeries.graphql.p95,
      target: TARGETS.locationP95Ms,
      pass: r.locationSeries.graphql.p95 < TARGETS.locationP95Ms,
    },
    locationRatio: {
      value: ratio(r.locationSeries),
      vsFull: ratioFull(r.locationSeries),
      p50: ratioP50(r.locationSeries),
      target: TARGETS.maxRatioToRaw,
      pass: ratio(r.locationSeries) <= TARGETS.maxRatioToRaw,
    },
    chainP95: { value: r.chainSeries.graphql.p95, target: TARGETS.chainP95Ms, pass: r.chainSeries.graphql.p95 < TARGETS.chainP95Ms },
    chainRatio: {
      value: ratio(r.chainSeries),
      vsFull: ratioFull(r.chainSeries),
      p50: ratioP50(r.chainSeries),
      target: TARGETS.maxRatioToRaw,
      pass: ratio(r.chainSeries) <= TARGETS.maxRatioToRaw,
    },
    recordSaleP95: {
      value: r.saleSeries.graphql.p95,
      target: TARGETS.recordSaleP95Ms,
      pass: r.saleSeries.graphql.p95 < TARGETS.recordSaleP95Ms,
    },
    salesPerSecond: { value: r.load.salesPerSecond, target: TARGETS.salesPerSecond, pass: r.load.salesPerSecond >= TARGETS.salesPerSecond },
  };
  if (!r.controlPlane) return cell;
  const added = r.controlPlane.router.addedP99Ms;
  return { ...cell, routerAddedP99: { value: added, target: TARGETS.routerAddedP99Ms, pass: added < TARGETS.routerAddedP99Ms } };
}

/** Requests that failed in any phase, and the first few messages. */
function failures(r) {
  const series = [
    r.locationSeries,
    r.chainSeries,
    r.saleSeries,
    r.load,
    ...(r.controlPlane ? [r.controlPlane.router, r.controlPlane.otp] : []),
  ];
  return { count: series.reduce((sum, s) => sum + s.errors, 0), first: series.flatMap((s) => s.firstErrors).slice(0, 3) };
}

const ms = (x) => (Number.isFinite(x) ? x.toFixed(2) : '—');
const micros = (x) => (Number.isFinite(x) ? x.toFixed(1) : '—');

function printReport(settings, r, v) {
  const e = r.environment;
  const rows = [];
  const latencyRow = (label, s, target = '', result = '', format = ms) =>
    rows.push([label, String(s.n), format(s.p50), format(s.p95), format(s.p99), target, result]);
  const ratioRow = (label, check) => rows.push([label, '', '', `${check.value.toFixed(2)}×`, '', `≤ ${check.target}×`, mark(check)]);
  const infoRow = (label, value) => rows.push([label, '', '', value, '', '', '']);

  latencyRow('location dashboard, GraphQL (uncached)', r.locationSeries.graphql, `p95 < ${TARGETS.locationP95Ms} ms`, mark(v.locationP95));
  latencyRow('  raw SQL, statement only', r.locationSeries.rawStatement);
  latencyRow('  raw SQL, checkout+BEGIN+statement+COMMIT', r.locationSeries.rawFull);
  ratioRow('  GraphQL p95 / raw statement p95', v.locationRatio);
  infoRow('  GraphQL p95 / raw full round trip p95', `${v.locationRatio.vsFull.toFixed(2)}×`);
  infoRow('  GraphQL p50 / raw statement p50', `${v.locationRatio.p50.toFixed(2)}×`);
  latencyRow(
    `chain dashboard ${CHAIN_RANGE_DAYS} d, GraphQL (uncached)`,
    r.chainSeries.graphql,
    `p95 < ${TARGETS.chainP95Ms} ms`,
    mark(v.chainP95),
  );
  latencyRow('  raw SQL, statement only', r.chainSeries.rawStatement);
  latencyRow('  raw SQL, checkout+BEGIN+statement+COMMIT', r.chainSeries.rawFull);
  ratioRow('  GraphQL p95 / raw statement p95', v.chainRatio);
  infoRow('  GraphQL p95 / raw full round trip p95', `${v.chainRatio.vsFull.toFixed(2)}×`);
  infoRow('  GraphQL p50 / raw statement p50', `${v.chainRatio.p50.toFixed(2)}×`);
  latencyRow(
    `recordSale, one client (${e.benchTenant})`,
    r.saleSeries.graphql,
    `p95 < ${TARGETS.recordSaleP95Ms} ms`,
    mark(v.recordSaleP95),
  );
  latencyRow(`recordSale under load, ${settings.clients} clients`, r.load.latency);
  rows.push([
    `throughput, ${settings.clients} clients → ${e.benchLocationsUsed} location${e.benchLocationsUsed > 1 ? 's' : ''}, ${r.load.elapsedSeconds} s`,
    String(r.load.sales),
    '',
    `${r.load.salesPerSecond} sales/s`,
    '',
    `≥ ${TARGETS.salesPerSecond} /s`,
    mark(v.salesPerSecond),
  ]);

  out('');
  out(`LocalStore bench — ${new Date().toISOString()}`);
  out(`machine: ${e.cpus} × ${e.cpuModel}; Node ${e.node}; PostgreSQL ${e.postgres}; schema ${e.schema}`);
  out(
    `data: dashboards of ${e.tenant}, ${e.chainLocations} locations${e.leftoverBenchLocations ? ` (+ ${e.leftoverBenchLocations} left by earlier bench runs, covered by the chain dashboard)` : ''}, ` +
      `${e.tenantOrders.toLocaleString('en')} orders (${e.tenantOrdersInRange.toLocaleString('en')} in ${e.range.from}…${e.range.to}), ${e.menuItems} menu items; ` +
      `sales recorded at ${e.benchTenant} (${e.benchLocationsUsed} location${e.benchLocationsUsed > 1 ? 's' : ''}, ${e.benchMenuItems} menu items)`,
  );
  out('');
  printTable(rows);
  out('');
  const failed = failures(r);
  out(`failed requests: ${failed.count}${failed.count ? ` (${failed.first.join('; ')})` : ''}`);
  if (r.cpu.load) {
    out('');
    const disturbed = printCpu(
      `CPU, % of one core (${e.cpus} cores; "other" is work outside this bench; busy before start: ${e.machineBusyBeforeStartPercent}% of the machine)`,
      [
        ['location dashboard series', r.cpu.locationDashboard],
        ['chain dashboard series', r.cpu.chainDashboard],
        ['recordSale series', r.cpu.recordSale],
        [`load, ${settings.clients} clients`, r.cpu.load],
      ],
    );
    // CPU per sale says what the machine can sustain at best, however busy it was.
    const perSale = (percent) => (percent * 10) / r.load.salesPerSecond;
    const load = r.cpu.load;
    const totalMs = perSale(load.cell + load.client + load.postgres);
    out(
      `  CPU per sale under load: cell ${perSale(load.cell).toFixed(2)} ms, client ${perSale(load.client).toFixed(2)} ms, ` +
        `PostgreSQL ${perSale(load.postgres).toFixed(2)} ms; ${totalMs.toFixed(2)} ms in all, so at most ` +
        `~${Math.round((e.cpus * 1000) / totalMs)} sales/s on ${e.cpus} fully busy cores`,
    );
    if (disturbed.length > 0 || e.machineBusyBeforeStartPercent > 20) {
      out(
        `WARNING: other work was running (${disturbed.join(', ') || 'before the start'}): these figures are disturbed, run again on a quiet machine.`,
      );
    }
  }
  out(
    r.recordedCheck === null
      ? 'sales recorded: not checked (the business day changed during the run)'
      : `sales recorded: ${r.salesSent} sent, ${r.recordedCheck ? 'all' : 'NOT all'} found in the bench locations' todayOrders`,
  );
  out('ratios use p95 of GraphQL over p95 of the raw statement alone; the dashboards were sent with Cache-Control: no-cache.');
  if (r.controlPlane) printControlPlaneReport(settings, r.controlPlane, v);
}

function printControlPlaneReport(settings, cp, v) {
  const rows = [];
  const latencyRow = (label, s, format = ms, target = '', result = '') =>
    rows.push([label, String(s.n), format(s.p50), format(s.p95), format(s.p99), target, result]);
  const { router, tokenVerification: tokens, otp } = cp;
  latencyRow(`location dashboard via the router (Host ${router.host})`, router.routed);
  latencyRow('  same request straight to the cell (X-Tenant)', router.direct);
  rows.push([
    '  added by the router (p50, p99 differences)',
    '',
    ms(router.addedP50Ms),
    '',
    ms(router.addedP99Ms),
    `p99 added < ${TARGETS.routerAddedP99Ms} ms`,
    mark(v.routerAddedP99),
  ]);
  latencyRow('  router − cell, request by request', router.pairedDifference);
  latencyRow('token verification, first use: ES256 (µs)', tokens.uncached, micros);
  latencyRow('  same token again, cached (µs)', tokens.cached, micros);
  rows.push([
    '  mean per verification, first use / cached',
    '',
    '',
    `${micros(tokens.uncached.meanMicros)} / ${micros(tokens.cached.meanMicros)} µs`,
    '',
    '',
    '',
  ]);
  latencyRow(`OTP request, ${otp.clients} clients`, otp.request);
  latencyRow(`OTP verify, ${otp.clients} clients`, otp.verify);
  rows.push([
    `OTP sign-ins (request + verify), ${otp.clients} clients, ${otp.elapsedSeconds} s`,
    String(otp.pairs),
    '',
    `${otp.pairsPerSecond} pairs/s`,
    '',
    '',
    '',
  ]);
  const limit = otp.perPhoneLimit;
  rows.push(['  same phone again within 60 s', '', '', `HTTP ${limit.secondStatus}`, '', 'HTTP 429', limit.pass ? 'PASS' : 'FAIL']);

  out('');
  out(
    `control plane: router and OTP on directory schema ${cp.environment.directorySchema}, ephemeral store ${cp.environment.ephemeralStore}; ` +
      `OTP limits per phone ${BENCH_OTP_LIMITS.perPhonePerMinute}/min and ${BENCH_OTP_LIMITS.perPhonePerHour}/h (defaults), ` +
      `per address raised to ${BENCH_OTP_LIMITS.perIpPerHour.toLocaleString('en')}/h (default 30: every bench request comes from 127.0.0.1)`,
  );
  out('');
  printTable(rows);
  out('');
  out(
    `failed requests: router ${router.errors}, OTP ${otp.errors}${otp.errors + router.errors ? ` (${[...router.firstErrors, ...otp.firstErrors].slice(0, 3).join('; ')})` : ''}`,
  );
  if (!limit.pass)
    out(`PER-PHONE LIMIT NOT HELD: two requests for ${limit.phone} answered ${limit.firstStatus} then ${limit.secondStatus}`);
  if (cp.cpu.router) {
    out('');
    const disturbed = printCpu(
      `CPU, % of one core (busy before this phase: ${cp.environment.machineBusyBeforeStartPercent}% of the machine)`,
      [
        ['router overhead series', cp.cpu.router],
        [`OTP, ${otp.clients} clients`, cp.cpu.otp],
      ],
    );
    if (disturbed.length > 0 || cp.environment.machineBusyBeforeStartPercent > 20) {
      out(
        `WARNING: other work was running (${disturbed.join(', ') || 'before the phase'}): these figures are disturbed, run again on a quiet machine.`,
      );
    }
  }
  out('token verification ran in the bench process on AccessTokenVerifier from common/dist, with nothing else running.');
}

function printRealtimePhase(realtime) {
  if (realtime) printRealtimeReport(realtime);
}

function printOperatorPhase(operator) {
  if (!operator) return;
  if (operator.failed) {
    out('');
    out(`operator: FAILED — ${operator.failed}`);
    return;
  }
  printOperatorReport(operator);
}

// ─── main ───────────────────────────────────────────────────────────────────────────────

async function main() {
  const cleanup = [];
  let cleaned = false;
  const cleanUp = async () => {
    if (cleaned) return;
    cleaned = true;
    for (const step of cleanup.reverse()) await Promise.resolve(step()).catch(() => undefined);
  };
  let interrupted = false;
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      interrupted = true;
      log(`${signal}: stopping the servers the bench started`);
      cleanUp().finally(() => process.exit(130));
    });
  }
  let settings;
  try {
    settings = readSettings(process.env);
    const results = await run(settings, cleanup);
    const v = verdicts(results);
    await cleanUp();
    printReport(settings, results, v);
    printRealtimePhase(results.realtime);
    printOperatorPhase(results.operator);
    const realtimeChecks = realtimeVerdicts(results.realtime);
    const realtimeProblems = realtimeFailures(results.realtime);
    const operatorChecks = results.operator?.failed ? {} : operatorVerdicts(results.operator);
    const operatorProblems = results.operator?.failed ? [results.operator.failed] : operatorFailures(results.operator);
    const failed = failures(results);
    const perPhoneLimitHeld = results.controlPlane ? results.controlPlane.otp.perPhoneLimit.pass : null;
    const allPass = [...Object.values(v), ...Object.values(realtimeChecks), ...Object.values(operatorChecks)].every((check) => check.pass);
    out(
      JSON.stringify({
        bench: 'localstore-cell-api',
        at: new Date().toISOString(),
        environment: results.environment,
        targets: { ...TARGETS, realtime: REALTIME_TARGETS, operator: OPERATOR_TARGETS },
        locationDashboard: results.locationSeries,
        chainDashboard: results.chainSeries,
        recordSale: results.saleSeries.graphql,
        load: { clients: settings.clients, ...results.load },
        cpu: results.cpu,
        cpuMsPerSaleUnderLoad: results.cpu.load
          ? Object.fromEntries(
              ['cell', 'client', 'postgres'].map((k) => [k, Math.round((results.cpu.load[k] * 1000) / results.load.salesPerSecond) / 100]),
            )
          : null,
        controlPlane: results.controlPlane,
        realtime: results.realtime,
        operator: results.operator,
        verdicts: v,
        salesRecordedCheck: results.recordedCheck,
        otpPerPhoneLimitHeld: perPhoneLimitHeld,
        realtimeVerdicts: realtimeChecks,
        realtimeProblems,
        operatorVerdicts: operatorChecks,
        operatorProblems,
        failedRequests: failed.count,
        pass:
          allPass && failed.count === 0 && perPhoneLimitHeld !== false && realtimeProblems.length === 0 && operatorProblems.length === 0,
      }),
    );
    if (
      failed.count > 0 ||
      results.recordedCheck === false ||
      perPhoneLimitHeld === false ||
      realtimeProblems.length > 0 ||
      operatorProblems.length > 0
    )
      process.exitCode = 1;
    else if (!allPass && settings.strict) process.exitCode = 1;
  } catch (error) {
    // After Ctrl-C the requests in flight fail as the servers go away: that is no news.
    if (interrupted) return;
    // Give a crashed server's exit a moment to be reported before we stop it ourselves.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await cleanUp();
    log(error instanceof BenchError ? error.message : (error?.stack ?? String(error)));
    process.exitCode = 2;
  }
}

await main();
