#!/usr/bin/env node
// The real-time figures: how long a sale takes to reach 1,000 screens of one location held
// by two cell processes (Socket.IO, the Redis adapter between them), how long a VNPay
// payment notification takes to reach them (the control plane's ingress → JetStream → a
// cell's payments consumer → Socket.IO), how many notifications a second the ingress takes,
// and the floors of both paths measured in the same run: a bare Socket.IO emit to 1,000
// clients and a bare JetStream publish-ack. Runs after the control plane's phase from
// run.mjs (BENCH_REALTIME=0 skips it), or on its own:
//
//   node bench/realtime-phase.mjs
//
// What is real: two compiled cell API processes (`cell-api/dist/src/main.js`) on one schema,
// the compiled control plane, the shared Redis (the adapter's channels under a prefix of the
// run's own) and NATS (a payments stream and checkout subject of the run's own, through
// NATS_NAMESPACE), PostgreSQL. What stands in: VNPay, played by the bench, which signs its
// IPNs as VNPay documents it (as control-plane/test/wallet-providers.ts does, written out on
// its own, not shared with the code under test); and the screens, socket.io-client sockets
// on a worker thread of this process (realtime-screens.mjs). The demo data is never touched:
// the cell schema, the directory schema, the tenant, its merchant account and the token key
// pair are the run's own and are removed at the end, also after an error or Ctrl-C. See
// bench/README.md, "The real-time figures".
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { jetstream, jetstreamManager, StorageType } from '@nats-io/jetstream';
import { connect as connectNats } from '@nats-io/transport-node';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import Redis from 'ioredis';
import pg from 'pg';
import { Server as SocketServer } from 'socket.io';
import {
  BenchError,
  ChildServer,
  epochMs,
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
  wholeNumberReader,
  withCpu,
} from './lib.mjs';

const require = createRequire(import.meta.url);

/** The targets asked for. The ingress throughput has none: it is reported. */
export const REALTIME_TARGETS = {
  /** recordSale answered → the last of the screens got its `dashboard.delta`. */
  saleToLastScreenP99Ms: 50,
  /** The IPN sent → the last of the screens got its `payment.received`. */
  paymentToLastScreenP99Ms: 100,
};

const CELL_DIST = join(REPO_ROOT, 'cell-api/dist');
const CP_DIST = join(REPO_ROOT, 'control-plane/dist');
const CELL_MAIN = join(CELL_DIST, 'src/main.js');
const CP_MAIN = join(CP_DIST, 'src/main.js');
const LOCAL_DIR = process.env.LOCALSTORE_LOCAL_DIR || join(REPO_ROOT, '.local');

const VNPAY_WEBHOOK = '/api/v1/webhooks/payment/vnpay';
/** What the ingress answers VNPay for a notification it took (after the JetStream ack). */
const VNPAY_ACCEPTED = '00';

/** How long one event may take to reach every screen before the bench calls it lost. */
const FAN_OUT_TIMEOUT_MS = 10_000;
/** The first payment also waits for the cells' consumers to start (they look every 2 s). */
const FIRST_PAYMENT_TIMEOUT_MS = 20_000;
/** Sockets opened at once: each handshake costs the cell a token check and a transaction. */
const CONNECT_BATCH = 50;
/** How long the cells may take to record the load's payments after it ends. */
const DRAIN_TIMEOUT_MS = 180_000;

const RECORD_SALE = `mutation RecordSale($input: RecordSaleInput!) { recordSale(input: $input) { id total } }`;
const REQUEST_PAYMENT = `mutation RequestPayment($orderId: ID!, $provider: String!) { requestPayment(orderId: $orderId, provider: $provider) { payUrl orderRef } }`;
const CREATE_LOCATION = `mutation BenchLocation($input: CreateLocationInput!) { createLocation(input: $input) { id } }`;
const UPSERT_CATEGORY = `mutation BenchCategory($input: UpsertMenuCategoryInput!) { upsertMenuCategory(input: $input) { id } }`;
const UPSERT_ITEM = `mutation BenchItem($input: UpsertMenuItemInput!) { upsertMenuItem(input: $input) { id price } }`;

// ─── settings ───────────────────────────────────────────────────────────────────────────

/** The phase's settings from the environment (see bench/README.md); throws BenchError on a bad value. */
export function readRealtimeSettings(env = process.env) {
  const problems = [];
  const int = wholeNumberReader(env, problems);
  const settings = {
    /** Screens in the one location room, spread evenly over the two cells. */
    clients: int('BENCH_REALTIME_CLIENTS', 1_000, 2, 5_000),
    /**
     * Worker threads the screens' sockets are spread over. One thread reads every frame of
     * every screen in turn, which real screens (a device each) never do: more threads show
     * how much of a figure that is, at the price of their CPU on a small machine.
     */
    screenThreads: int('BENCH_REALTIME_SCREEN_THREADS', 1, 1, 8),
    /** Sales sent one at a time for the sale → screens figure. */
    sales: int('BENCH_REALTIME_SALES', 200, 10, 10_000),
    /** Notifications sent one at a time for the payment → screens figure. */
    payments: int('BENCH_REALTIME_PAYMENTS', 200, 10, 10_000),
    /** Unmeasured sales, payments and emits before each series. */
    warmup: int('BENCH_REALTIME_WARMUP', 20, 0, 1_000),
    /** Concurrent VNPay senders of the ingress load. */
    senders: int('BENCH_REALTIME_SENDERS', 20, 1, 200),
    webhookSeconds: int('BENCH_REALTIME_WEBHOOK_SECONDS', 10, 1, 120),
    /** Notifications prepared (sale + checkout each) for the load: it stops early when they run out. */
    webhooks: int('BENCH_REALTIME_WEBHOOKS', 10_000, 100, 200_000),
    /** JetStream publishes of the floor. */
    publishes: int('BENCH_REALTIME_PUBLISHES', 1_000, 10, 100_000),
    quietWaitSeconds: int('BENCH_QUIET_WAIT_SECONDS', 60, 0, 600),
    databaseUrl: env.DATABASE_URL || 'postgres://localstore_app:localstore_app@127.0.0.1:55432/localstore',
    ownerUrl: env.DATABASE_OWNER_URL || 'postgres://localstore_owner:localstore_owner@127.0.0.1:55432/localstore',
    directoryUrl: env.DIRECTORY_DATABASE_URL || 'postgres://localstore_control:localstore_control@127.0.0.1:55432/localstore',
    directoryOwnerUrl: env.DIRECTORY_OWNER_URL || 'postgres://localstore_owner:localstore_owner@127.0.0.1:55432/localstore',
    redisUrl: env.REDIS_URL || 'redis://127.0.0.1:56379',
    natsUrl: env.NATS_URL || 'nats://127.0.0.1:54222',
  };
  const urls = [
    ['DATABASE_URL', settings.databaseUrl],
    ['DATABASE_OWNER_URL', settings.ownerUrl],
    ['DIRECTORY_DATABASE_URL', settings.directoryUrl],
    ['DIRECTORY_OWNER_URL', settings.directoryOwnerUrl],
    ['REDIS_URL', settings.redisUrl],
    ['NATS_URL', settings.natsUrl],
  ];
  for (const [name, url] of urls) {
    let host;
    try {
      host = new URL(url).hostname;
    } catch {
      problems.push(`${name} is not a URL`);
      continue;
    }
    if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) problems.push(`${name} must point at loopback (got ${host})`);
  }
  if (settings.clients % 2 !== 0) problems.push(`BENCH_REALTIME_CLIENTS="${settings.clients}" must be even (half on each cell)`);
  if (problems.length > 0) throw new BenchError(`Invalid real-time bench settings:\n  - ${problems.join('\n  - ')}`);
  return settings;
}

// ─── the phase ──────────────────────────────────────────────────────────────────────────

/**
 * Runs the phase and returns its figures. `cleanup` (an array of functions, run.mjs's) gets
 * one step that undoes whatever is still up after a Ctrl-C; the phase undoes everything
 * itself before it returns.
 */
export async function measureRealtime(settings, cleanup) {
  for (const file of [
    CELL_MAIN,
    CP_MAIN,
    join(REPO_ROOT, 'cell-db/dist/migrate.js'),
    join(CP_DIST, 'src/database/data-source.js'),
    join(CP_DIST, 'src/payments/payment-accounts.repository.js'),
  ]) {
    if (!existsSync(file)) throw new BenchError(`${relative(REPO_ROOT, file)} is missing: run \`make build\``);
  }
  const undo = undoList();
  cleanup.push(() => undo.run());
  try {
    return await measure(settings, randomBytes(3).toString('hex'), undo);
  } finally {
    await undo.run();
  }
}

/** Steps undone in reverse order, once; a failed step is logged and does not stop the others. */
function undoList() {
  const steps = [];
  let running = null;
  return {
    push: (what, step) => steps.push({ what, step }),
    run: () =>
      (running ??= (async () => {
        while (steps.length > 0) {
          const { what, step } = steps.pop();
          await Promise.resolve()
            .then(step)
            .catch((error) => log(`real-time clean-up: ${what} failed: ${error?.message ?? error}`));
        }
      })()),
  };
}

async function measure(settings, run, undo) {
  const names = {
    cellSchema: `bench_rt_${run}_cell`,
    directorySchema: `bench_rt_${run}_directory`,
    redisKeyPrefix: `bench-rt-${run}:`,
    cellName: `bench-rt-${run}`,
    // The cells' and the control plane's names on NATS (NATS_NAMESPACE): a payments stream
    // and a checkout subject of the run's own, so that a demo or a test on the same server
    // never answers the bench's checkouts, nor the bench theirs.
    natsNamespace: `bench-rt-${run}`,
    floorStream: `BENCH_RT_${run.toUpperCase()}_FLOOR`,
    floorSubject: `bench-rt-${run}.floor`,
  };
  const tenant = {
    id: randomUUID(),
    slug: `bench-rt-${run}`,
    name: `Quán thử tải thời gian thực (bench ${run})`,
    ownerUserId: randomUUID(),
  };
  // A terminal of the run's own: the ingress deduplicates on provider, merchant and transaction.
  const merchant = { tmnCode: `BRT${run.toUpperCase()}`, hashSecret: randomBytes(16).toString('hex').toUpperCase() };
  const { natsUrl } = settings;
  const { paymentsBus } = require('@localstore/common');
  if (typeof paymentsBus !== 'function') throw new BenchError('common/dist has no paymentsBus (NATS_NAMESPACE): run `make build`');
  const bus = paymentsBus(names.natsNamespace);
  const environment = {
    run,
    cpus: os.cpus().length,
    clients: settings.clients,
    screenThreads: settings.screenThreads,
    webhookSeconds: settings.webhookSeconds,
    ...names,
    paymentsStream: bus.stream,
    tenant: tenant.slug,
    tenantId: tenant.id,
    natsUrl,
    redisUrl: settings.redisUrl,
  };

  // The floors first, with none of the servers up.
  log(`floors: a bare Socket.IO emit to ${settings.clients} clients in this process, then ${settings.publishes} JetStream publish-acks…`);
  const socketFloors = await measureSocketFloor(settings);
  const jetStreamFloor = await measureJetStreamFloor(settings, natsUrl, names, undo);

  const signer = await tokenSigner(undo);
  const cellEnv = {
    LOG_LEVEL: 'warn',
    DATABASE_URL: settings.databaseUrl,
    DATABASE_OWNER_URL: settings.ownerUrl,
    DATABASE_SCHEMA: names.cellSchema,
    AUTH_JWKS_FILE: signer.jwksFile,
    AUTH_ISSUER: signer.issuer,
    AUTH_AUDIENCE: signer.audience,
    REDIS_URL: settings.redisUrl,
    REDIS_KEY_PREFIX: names.redisKeyPrefix,
    NATS_URL: natsUrl,
    NATS_NAMESPACE: names.natsNamespace,
  };
  const [cpPort, portA, portB] = [await freePort(), await freePort(), await freePort()];
  const credentialsKey = randomBytes(32);
  const cpEnv = {
    CONTROL_PLANE_PORT: String(cpPort),
    CONTROL_PLANE_HOST: '127.0.0.1',
    PLATFORM_DOMAIN: 'localhost',
    DIRECTORY_DATABASE_URL: settings.directoryUrl,
    DIRECTORY_OWNER_URL: settings.directoryOwnerUrl,
    DIRECTORY_SCHEMA: names.directorySchema,
    POOLED_CELL_NAME: names.cellName,
    POOLED_CELL_URL: `http://127.0.0.1:${portA}`,
    LOG_LEVEL: 'warn',
    SMS_PROVIDER: 'log',
    NATS_URL: natsUrl,
    NATS_NAMESPACE: names.natsNamespace,
    PAYMENT_CREDENTIALS_KEY: credentialsKey.toString('base64'),
    PAYMENT_WEBHOOK_BASE_URL: `http://127.0.0.1:${cpPort}`,
    // The bench's payments are all notified within minutes: nothing to ask VNPay about.
    PAYMENT_RECONCILE_AFTER_SECONDS: '86400',
    PAYMENT_RECONCILE_INTERVAL_SECONDS: '3600',
  };

  log(`schemas: migrating ${names.cellSchema} (cell) and ${names.directorySchema} (directory)…`);
  const { loadCellConfig } = require(join(CELL_DIST, 'src/config/cell-config.js'));
  const { migrateCellSchema } = require(join(REPO_ROOT, 'cell-db/dist/migrate.js'));
  undo.push(`dropping schema ${names.cellSchema}`, () => dropSchema(settings.ownerUrl, names.cellSchema));
  await migrateCellSchema(loadCellConfig(cellEnv));
  undo.push(`dropping schema ${names.directorySchema}`, () => dropSchema(settings.directoryOwnerUrl, names.directorySchema));
  await registerInDirectory({ cpEnv, credentialsKey, names, tenant, merchant, cellUrl: cpEnv.POOLED_CELL_URL });
  // After the cells are gone (undone before this), so that none of them makes them again.
  undo.push(`deleting the stream ${bus.stream}`, () => deleteStream(natsUrl, bus.stream));
  undo.push(`deleting the Redis keys ${names.redisKeyPrefix}*`, () => deleteRedisKeys(settings.redisUrl, names.redisKeyPrefix));

  const controlPlane = startServer('control-plane', CP_MAIN, { ...cpEnv }, ['REDIS_URL', 'REDIS_KEY_PREFIX']);
  undo.push('stopping the control plane', () => controlPlane.stop());
  const cells = [
    startServer('cell-a', CELL_MAIN, { ...cellEnv, CELL_NAME: `${names.cellName}-a`, PORT: String(portA), HOST: '127.0.0.1' }, [
      'AUTH_JWKS_URL',
    ]),
    startServer('cell-b', CELL_MAIN, { ...cellEnv, CELL_NAME: `${names.cellName}-b`, PORT: String(portB), HOST: '127.0.0.1' }, [
      'AUTH_JWKS_URL',
    ]),
  ];
  for (const cell of cells) undo.push(`stopping the ${cell.name}`, () => cell.stop());
  const ingress = new HttpClient(cpPort, { headers: { host: 'app.localhost' }, maxSockets: settings.senders });
  undo.push('closing the ingress client', () => ingress.close());
  await controlPlane.waitReady(ingress);
  const ports = [portA, portB];
  for (const [i, cell] of cells.entries()) {
    const probe = new HttpClient(ports[i]);
    await cell.waitReady(probe).finally(() => probe.close());
  }
  await checkNamespaceServed(natsUrl, bus.checkoutSubject);
  log(
    `control plane pid ${controlPlane.pid} on 127.0.0.1:${cpPort}; cells pid ${cells[0].pid} on :${portA} and ${cells[1].pid} on :${portB}, schema ${names.cellSchema}, Redis prefix ${names.redisKeyPrefix}`,
  );

  const ownerToken = await signer.sign({ tid: tenant.id, role: 'owner', locs: '*' }, tenant.ownerUserId);
  const graphql = ports.map(
    (port) =>
      new HttpClient(port, { headers: { authorization: `Bearer ${ownerToken}`, 'x-tenant': tenant.slug }, maxSockets: settings.senders }),
  );
  for (const client of graphql) undo.push('closing a GraphQL client', () => client.close());
  const shop = await provisionTenant({ ports, signer, tenant, graphql: graphql[0] });
  const sale = (cell, paymentMethod) => {
    const id = randomUUID();
    return {
      id,
      send: () =>
        graphql[cell].gql(RECORD_SALE, {
          input: {
            id,
            locationId: shop.locationId,
            items: [{ itemId: shop.item.id, quantity: 1, modifiers: [] }],
            channel: 'DINE_IN',
            paymentMethod,
            discount: 0,
          },
        }),
    };
  };

  log(`screens: opening ${settings.clients} sockets (${settings.clients / 2} on each cell), each joining the location's room…`);
  const screens = await openScreens({ settings, ports, signer, tenant, locationId: shop.locationId });
  undo.push('closing the screens', () => screens.close());

  const parties = { cellA: cells[0].pid, cellB: cells[1].pid, controlPlane: controlPlane.pid, ...sharedServerPids() };
  environment.machineBusyBeforeSeriesPercent = await waitForQuietMachine(settings.quietWaitSeconds);

  log(`sale → screens: ${settings.warmup} + ${settings.sales} sales one at a time, alternately on each cell…`);
  const saleFanOut = await withCpu(parties, () => measureSaleFanOut(settings, { sale, screens }));

  log(`payment → screens: ${settings.payments} VNPay payments (sale, requestPayment) prepared, then their IPNs sent one at a time…`);
  const prepared = await preparePayments(Math.max(1, settings.warmup) + settings.payments, 1, { sale, graphql, merchant, screens });
  const paymentFanOut = await withCpu(parties, () => measurePaymentFanOut(settings, { prepared, ingress, screens }));

  // The load's payments would each go to every screen: 1,000 × hundreds a second would
  // measure this process's sockets, not the ingress. The screens have done their part.
  const screenCheck = await screens.close();

  log(`webhooks: preparing up to ${settings.webhooks} VNPay payments with ${settings.senders} clients…`);
  const preparedAt = nowMs();
  const load = await preparePayments(settings.webhooks, settings.senders, { sale, graphql, merchant, screens: null });
  const preparedSeconds = (nowMs() - preparedAt) / 1000;
  const raw = new pg.Pool({
    connectionString: settings.databaseUrl,
    max: 1,
    options: `-c search_path=${names.cellSchema},public`,
    application_name: 'localstore-bench:realtime',
  });
  undo.push('closing the bench pool', () => raw.end());
  await waitForQuietMachine(Math.min(15, settings.quietWaitSeconds));
  log(`webhooks: ${settings.senders} senders, 1 s unmeasured then ${settings.webhookSeconds} s…`);
  const webhookLoad = await withCpu(parties, () => measureWebhookLoad(settings, { load, ingress }));
  const accepted = paymentFanOut.result.accepted + webhookLoad.result.acceptedInAll;
  const recorded = await waitForRecordedPayments(raw, tenant.id, accepted);

  return {
    environment,
    floors: { socketEmit: socketFloors.oneEvent, socketSaleEvents: socketFloors.saleEvents, jetStreamAck: jetStreamFloor },
    saleFanOut: saleFanOut.result,
    paymentFanOut: paymentFanOut.result,
    webhooks: {
      ...webhookLoad.result,
      prepared: load.length,
      preparedSeconds: round(preparedSeconds),
      preparedFirstErrors: load.firstErrors,
      recorded,
    },
    screens: screenCheck,
    cpu: { saleFanOut: saleFanOut.cpu, paymentFanOut: paymentFanOut.cpu, webhooks: webhookLoad.cpu },
  };
}

const round = (x, decimals = 3) => Math.round(x * 10 ** decimals) / 10 ** decimals;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A compiled server of the repo with `env` on top of ours, minus `unset`. */
function startServer(name, main, env, unset) {
  const childEnv = { ...process.env, ...env };
  for (const key of unset) delete childEnv[key];
  return new ChildServer({ name, args: [main], env: childEnv });
}

/** CPU of the shared Redis and NATS servers, from the pid files `scripts/services.sh` writes. */
function sharedServerPids() {
  const pids = {};
  for (const [name, file] of [
    ['redis', 'redis/redis.pid'],
    ['nats', 'nats/nats.pid'],
  ]) {
    try {
      const pid = Number(readFileSync(join(LOCAL_DIR, file), 'utf8').trim());
      if (Number.isInteger(pid) && existsSync(`/proc/${pid}/stat`)) pids[name] = pid;
    } catch {
      // Not started by services.sh: its share shows up as "other".
    }
  }
  return pids;
}

/** What the cells keep in Redis under the run's prefix (the live journal, cache versions, queues). */
async function deleteRedisKeys(redisUrl, prefix) {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2, lazyConnect: true });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1_000);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

async function dropSchema(ownerUrl, schema) {
  const client = new pg.Client({ connectionString: ownerUrl, application_name: 'localstore-bench:realtime' });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

// ─── tokens ─────────────────────────────────────────────────────────────────────────────

/**
 * An ES256 key pair of the run's own: the public half is the JWKS file both cells read
 * (AUTH_JWKS_FILE), in a temporary folder removed at the end; the private half signs the
 * tokens with the cells' default issuer and audience, as the demo keys do.
 */
async function tokenSigner(undo) {
  const { loadCellConfig } = require(join(CELL_DIST, 'src/config/cell-config.js'));
  // The cells' own defaults (or what our environment sets them to); the cells are told these too.
  const { issuer, audience } = loadCellConfig({
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

// ─── the tenant ─────────────────────────────────────────────────────────────────────────

/**
 * The directory of the run: its cell, the tenant with a route to it, and the tenant's VNPay
 * terminal, sealed and written by the control plane's own repository with the key the
 * control plane is started with (what `connectPaymentProvider` does for an owner).
 */
async function registerInDirectory({ cpEnv, credentialsKey, names, tenant, merchant, cellUrl }) {
  const { loadControlPlaneConfig } = require(join(CP_DIST, 'src/config/control-plane-config.js'));
  const { createDirectoryDataSource, migrateDirectory } = require(join(CP_DIST, 'src/database/data-source.js'));
  const { PaymentAccountsRepository } = require(join(CP_DIST, 'src/payments/payment-accounts.repository.js'));
  const { SecretSealer } = require(join(CP_DIST, 'src/payments/secret-sealer.js'));
  const config = loadControlPlaneConfig(cpEnv);
  await migrateDirectory(config);
  const owner = createDirectoryDataSource(config, 'owner');
  await owner.initialize();
  try {
    await owner.query(
      `INSERT INTO cells (name, mode, endpoint) VALUES ($1, 'pooled', $2) ON CONFLICT (name) DO UPDATE SET endpoint = excluded.endpoint`,
      [names.cellName, cellUrl],
    );
    await owner.query('INSERT INTO tenants (id, slug, name) VALUES ($1, $2, $3)', [tenant.id, tenant.slug, tenant.name]);
    await owner.query(`INSERT INTO routes (tenant_id, cell_name, state) VALUES ($1, $2, 'active')`, [tenant.id, names.cellName]);
    const accounts = new PaymentAccountsRepository(owner, new SecretSealer(credentialsKey));
    const connected = await accounts.connect(
      { tenantId: tenant.id, provider: 'vnpay', merchantCode: merchant.tmnCode, secrets: { hashSecret: merchant.hashSecret } },
      tenant.ownerUserId,
    );
    if (!connected) throw new BenchError(`the VNPay terminal ${merchant.tmnCode} is held by another tenant of ${names.directorySchema}`);
  } finally {
    await owner.destroy();
  }
}

/**
 * The tenant in the cell schema through the cells' provisioning endpoint (as the control
 * plane does at signup; on both, so both start consuming its payments at once), then, as its
 * owner, one location and one dish.
 */
async function provisionTenant({ ports, signer, tenant, graphql }) {
  const serviceToken = await signer.sign({ scope: 'cell:provision' }, 'control-plane');
  for (const port of ports) {
    const internal = new HttpClient(port, { headers: { authorization: `Bearer ${serviceToken}` } });
    try {
      const { status, body } = await internal.request('PUT', `/internal/tenants/${tenant.id}`, {
        slug: tenant.slug,
        name: tenant.name,
        plan: 'pooled',
      });
      if (status !== 200)
        throw new BenchError(`provisioning ${tenant.slug} on the cell at :${port} answered ${status} ${JSON.stringify(body)}`);
    } finally {
      internal.close();
    }
  }
  const locationId = must(await graphql.gql(CREATE_LOCATION, { input: { name: 'Điểm bán thời gian thực 1' } }), 'creating the location')
    .createLocation.id;
  const categoryId = must(await graphql.gql(UPSERT_CATEGORY, { input: { name: 'Món thử tải' } }), 'creating the menu category')
    .upsertMenuCategory.id;
  const item = must(
    await graphql.gql(UPSERT_ITEM, { input: { categoryId, name: 'Phở bò tái', price: 65_000, sortOrder: 0 } }),
    'adding the dish',
  ).upsertMenuItem;
  return { locationId, item };
}

/**
 * Our control plane must answer checkouts on the run's subject: a build that ignores
 * NATS_NAMESPACE would serve, and ask on, the shared names, beside a demo's or a test's.
 */
async function checkNamespaceServed(natsUrl, checkoutSubject) {
  const connection = await connectNats({ servers: natsUrl, name: 'localstore-bench:realtime', timeout: 5_000 }).catch((error) => {
    throw new BenchError(`NATS at ${natsUrl} is not reachable (${error.message}): run \`scripts/services.sh up nats\``);
  });
  try {
    // An empty request: the control plane answers INVALID_REQUEST, and nothing is written.
    await connection.request(checkoutSubject, '{}', { timeout: 5_000 });
  } catch (error) {
    throw new BenchError(
      `the control plane does not answer ${checkoutSubject} (${error.message}): its build ignores NATS_NAMESPACE? run \`make build\``,
    );
  } finally {
    await connection.close();
  }
}

// ─── the screens ────────────────────────────────────────────────────────────────────────

/**
 * The screens, split over `threads` worker threads, each holding its share of both cells'
 * sockets; an event has reached the screens when it has reached them on every thread.
 */
class Screens {
  static async open(screens, threads) {
    const opened = [];
    try {
      for (let t = 0; t < threads; t++) opened.push(await ScreenThread.open(screens.filter((_, i) => Math.floor(i / 2) % threads === t)));
    } catch (error) {
      await Promise.all(opened.map((thread) => thread.close()));
      throw error;
    }
    return new Screens(opened);
  }

  constructor(threads) {
    this.threads = threads;
  }

  /** Each thread's clock offset from this one's, and the round trip it was measured over. */
  get clocks() {
    return this.threads.map((thread) => `${round(thread.offsetMs)} ms ± ${round(thread.roundTripMs / 2)}`).join(', ');
  }

  expect(event, orderId, timeoutMs = FAN_OUT_TIMEOUT_MS) {
    // Posted to every thread now, before the caller's request goes out.
    const parts = this.threads.map((thread) => thread.expect(event, orderId, timeoutMs));
    return Promise.all(parts).then((delivered) => {
      const times = (pick) => delivered.map(pick).filter((at) => at !== null && at !== undefined);
      return {
        complete: delivered.every((d) => d.complete),
        count: delivered.reduce((sum, d) => sum + d.count, 0),
        firstAt: Math.min(...times((d) => d.firstAt)),
        lastAt: Math.max(...times((d) => d.lastAt)),
        lastOnCell: [0, 1].map((cell) => Math.max(...times((d) => d.lastOnCell?.[cell]))),
        first: delivered.find((d) => d.first)?.first ?? null,
      };
    });
  }

  forget(event, orderId) {
    for (const thread of this.threads) thread.forget(event, orderId);
  }

  async close() {
    const checks = await Promise.all(this.threads.map((thread) => thread.close()));
    return {
      connected: checks.reduce((sum, c) => sum + (c.connected ?? 0), 0),
      unexpectedDisconnects: checks.reduce((sum, c) => sum + (c.unexpectedDisconnects ?? 0), 0),
      firstDisconnects: checks.flatMap((c) => c.firstDisconnects ?? []).slice(0, 3),
      strayEvents: checks.reduce((sum, c) => sum + (c.strayEvents ?? 0), 0),
      threads: checks.length,
      clockOffsetsMs: checks.map((c) => c.clockOffsetMs),
    };
  }
}

/**
 * One screens' worker thread (realtime-screens.mjs), seen from the main thread. Its times
 * are put on this thread's clock with the offset `calibrate()` measures: the reply to a
 * clock request with the shortest round trip, whose middle is taken as the worker's instant.
 */
class ScreenThread {
  static async open(screens) {
    const worker = new Worker(new URL('./realtime-screens.mjs', import.meta.url));
    const opened = new ScreenThread(worker, screens.length);
    try {
      await opened.call({ type: 'open', screens, batch: CONNECT_BATCH });
      await opened.calibrate();
    } catch (error) {
      await worker.terminate();
      throw error;
    }
    return opened;
  }

  constructor(worker, total) {
    this.worker = worker;
    this.total = total;
    this.offsetMs = 0;
    this.roundTripMs = null;
    /** Replies to call(), in order; deliveries by key. */
    this.replies = [];
    this.waiting = new Map();
    this.check = null;
    worker.on('message', (message) => this.received(message));
    const gone = (error) => {
      for (const reply of this.replies.splice(0))
        reply.reject(new BenchError(`the screens' thread failed: ${error?.message ?? 'it exited'}`));
      for (const [key, resolve] of this.waiting) resolve({ complete: false, count: 0, key });
      this.waiting.clear();
    };
    worker.on('error', gone);
    worker.on('exit', () => gone(null));
  }

  received(message) {
    if (message.type === 'delivered') {
      const resolve = this.waiting.get(message.key);
      this.waiting.delete(message.key);
      const local = (at) => (at === null ? null : at - this.offsetMs);
      resolve?.({ ...message, firstAt: local(message.firstAt), lastAt: local(message.lastAt), lastOnCell: message.lastOnCell.map(local) });
      return;
    }
    const reply = this.replies.shift();
    if (message.type === 'failed') reply?.reject(new BenchError(message.message));
    else reply?.resolve(message);
  }

  call(message) {
    return new Promise((resolve, reject) => {
      this.replies.push({ resolve, reject });
      this.worker.postMessage(message);
    });
  }

  async calibrate() {
    for (let i = 0; i < 50; i++) {
      const sentAt = epochMs();
      const { at } = await this.call({ type: 'clock' });
      const roundTrip = epochMs() - sentAt;
      if (this.roundTripMs === null || roundTrip < this.roundTripMs) {
        this.roundTripMs = roundTrip;
        this.offsetMs = at - (sentAt + roundTrip / 2);
      }
    }
  }

  /** Resolves when every screen has `event` for `orderId`, or after `timeoutMs` with what arrived. */
  expect(event, orderId, timeoutMs = FAN_OUT_TIMEOUT_MS) {
    const key = `${event}/${orderId}`;
    const delivered = new Promise((resolve) => this.waiting.set(key, resolve));
    this.worker.postMessage({ type: 'expect', key, timeoutMs });
    return delivered;
  }

  /** Stops waiting (the request failed). */
  forget(event, orderId) {
    const key = `${event}/${orderId}`;
    this.waiting.get(key)?.({ complete: false, count: 0, key });
    this.waiting.delete(key);
    this.worker.postMessage({ type: 'forget', key });
  }

  /** Closes the sockets and ends the thread; returns what the screens saw (disconnects, strays). */
  async close() {
    if (!this.check) {
      this.check = await Promise.race([this.call({ type: 'close' }).then((m) => m.check), sleep(10_000).then(() => ({}))]).catch(
        () => ({}),
      );
      this.check.clockOffsetMs = round(this.offsetMs);
      this.check.clockRoundTripMs = round(this.roundTripMs ?? NaN);
      await this.worker.terminate();
    }
    return this.check;
  }
}

/**
 * `clients` screens, half on each cell, each signed in as a manager of the one location
 * (so in its room only, not the owners' tenant room), each with a token of its own.
 */
async function openScreens({ settings, ports, signer, tenant, locationId }) {
  const screens = [];
  for (let i = 0; i < settings.clients; i++) {
    const cell = i % 2;
    const token = await signer.sign({ tid: tenant.id, role: 'manager', locs: [locationId] }, randomUUID());
    screens.push({ url: `http://127.0.0.1:${ports[cell]}`, cell, token, tenantSlug: tenant.slug, locationId });
  }
  const startedAt = nowMs();
  const opened = await Screens.open(screens, settings.screenThreads);
  log(
    `screens: ${settings.clients} connected and joined in ${round((nowMs() - startedAt) / 1000, 1)} s on ${settings.screenThreads} thread(s) (clock offsets ${opened.clocks})`,
  );
  return opened;
}

// ─── the figures ────────────────────────────────────────────────────────────────────────

/**
 * Sales one at a time, alternately on each cell: from the moment recordSale's answer is
 * here to the moment the last screen has the sale's `dashboard.delta`. Half the screens
 * are on the cell that recorded the sale; the other half get it through Redis.
 */
async function measureSaleFanOut(settings, { sale, screens }) {
  const samples = { toLast: [], toFirst: [], recordingCell: [], otherCell: [], fromSent: [], recordSale: [] };
  const errors = [];
  for (let i = 0; i < settings.warmup + settings.sales; i++) {
    const cell = i % 2;
    const { id, send } = sale(cell, 'CASH');
    const delivered = screens.expect('dashboard.delta', id);
    const sentAt = epochMs();
    const answer = await send();
    const answeredAt = epochMs();
    if (answer.error) {
      screens.forget('dashboard.delta', id);
      errors.push(`recordSale: ${answer.error}`);
      continue;
    }
    const got = await delivered;
    if (!got.complete) {
      errors.push(`sale ${id}: ${got.count} of ${settings.clients} screens got dashboard.delta within ${FAN_OUT_TIMEOUT_MS / 1000} s`);
      continue;
    }
    if (i < settings.warmup) continue;
    samples.toLast.push(got.lastAt - answeredAt);
    samples.toFirst.push(got.firstAt - answeredAt);
    samples.recordingCell.push(got.lastOnCell[cell] - answeredAt);
    samples.otherCell.push(got.lastOnCell[1 - cell] - answeredAt);
    samples.fromSent.push(got.lastAt - sentAt);
    samples.recordSale.push(answer.ms);
  }
  return {
    ...Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, summarize(values)])),
    errors: errors.length,
    firstErrors: [...new Set(errors)].slice(0, 3),
  };
}

/**
 * `count` payments to be paid by VNPay: each a sale recorded with VNPAY, alternately on
 * each cell, then `requestPayment` on the same cell (the cell asks the control plane over
 * NATS, which records the intent and signs the pay URL). With `screens`, each sale's
 * delta is awaited before the next, so no fan-out overlaps the figures. The IPN for each
 * is signed now: during the series the bench only sends.
 */
async function preparePayments(count, workers, { sale, graphql, merchant, screens }) {
  const prepared = [];
  const errors = [];
  const checkoutMs = [];
  let next = 0;
  let transaction = 1_000_000_000 + Math.floor(Math.random() * 8_000_000_000);
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < count && errors.length < 20) {
        const cell = next++ % 2;
        const { id, send } = sale(cell, 'VNPAY');
        const delivered = screens?.expect('dashboard.delta', id);
        const recorded = await send();
        if (recorded.error) {
          if (screens) screens.forget('dashboard.delta', id);
          errors.push(`recordSale: ${recorded.error}`);
          continue;
        }
        await delivered;
        const checkout = await graphql[cell].gql(REQUEST_PAYMENT, { orderId: id, provider: 'vnpay' });
        if (checkout.error) {
          errors.push(`requestPayment: ${checkout.error}`);
          continue;
        }
        checkoutMs.push(checkout.ms);
        const { payUrl, orderRef } = checkout.data.requestPayment;
        prepared.push({ orderId: id, orderRef, path: vnpayIpnPath(merchant, payUrl, orderRef, String(transaction++)) });
      }
    }),
  );
  if (errors.length >= 20 || prepared.length === 0)
    throw new BenchError(`preparing VNPay payments failed: ${[...new Set(errors)].slice(0, 3).join('; ')}`);
  return Object.assign(prepared, { checkout: summarize(checkoutMs), errors: errors.length, firstErrors: [...new Set(errors)].slice(0, 3) });
}

/**
 * The IPNs one at a time: from just before the bench sends the notification to the
 * moment the last screen has the order's `payment.received`. In between: the ingress
 * verifies, publishes to JetStream and answers once the stream has it; one of the two
 * cells pulls it from the tenant's consumer, records it and emits it.
 */
async function measurePaymentFanOut(settings, { prepared, ingress, screens }) {
  const warmup = prepared.length - settings.payments;
  const samples = { toLast: [], toFirst: [], ingress: [] };
  const errors = [];
  let accepted = 0;
  for (const [i, payment] of prepared.entries()) {
    const delivered = screens.expect('payment.received', payment.orderId, i === 0 ? FIRST_PAYMENT_TIMEOUT_MS : FAN_OUT_TIMEOUT_MS);
    const sentAt = epochMs();
    const answer = await ingress.get(payment.path).catch((error) => ({ status: 0, body: { error: error.message } }));
    const answeredAt = epochMs();
    if (answer.status !== 200 || answer.body?.RspCode !== VNPAY_ACCEPTED) {
      screens.forget('payment.received', payment.orderId);
      errors.push(`IPN answered ${answer.status} ${JSON.stringify(answer.body)}`);
      continue;
    }
    accepted++;
    const got = await delivered;
    if (!got.complete) {
      errors.push(
        `payment of ${payment.orderId}: ${got.count} of ${settings.clients} screens got payment.received within ${(i === 0 ? FIRST_PAYMENT_TIMEOUT_MS : FAN_OUT_TIMEOUT_MS) / 1000} s`,
      );
      continue;
    }
    if (!got.first.succeeded || got.first.discrepancy !== null)
      errors.push(`payment of ${payment.orderId} recorded with succeeded=${got.first.succeeded}, discrepancy ${got.first.discrepancy}`);
    if (i < warmup) continue;
    samples.toLast.push(got.lastAt - sentAt);
    samples.toFirst.push(got.firstAt - sentAt);
    samples.ingress.push(answeredAt - sentAt);
  }
  return {
    ...Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, summarize(values)])),
    requestPayment: prepared.checkout,
    accepted,
    errors: errors.length + prepared.errors,
    firstErrors: [...new Set([...prepared.firstErrors, ...errors])].slice(0, 3),
  };
}

/**
 * `senders` clients each sending the prepared IPNs back to back (each one once, none
 * twice): 1 s unmeasured (a tenth of the IPNs at most), then `webhookSeconds`. An IPN
 * counts when answered RspCode 00.
 */
async function measureWebhookLoad(settings, { load, ingress }) {
  let next = 0;
  let acceptedInAll = 0;
  const send = async (seconds, upTo, latencies, errors) => {
    const startedAt = nowMs();
    const deadline = startedAt + seconds * 1000;
    let accepted = 0;
    await Promise.all(
      Array.from({ length: settings.senders }, async () => {
        while (nowMs() < deadline && next < upTo) {
          const { path } = load[next++];
          const sentAt = nowMs();
          const answer = await ingress.get(path).catch((error) => ({ status: 0, body: { error: error.message } }));
          if (answer.status === 200 && answer.body?.RspCode === VNPAY_ACCEPTED) {
            accepted++;
            latencies?.push(nowMs() - sentAt);
          } else {
            errors?.push(`IPN answered ${answer.status} ${JSON.stringify(answer.body)}`);
          }
        }
      }),
    );
    acceptedInAll += accepted;
    return { accepted, elapsedSeconds: (nowMs() - startedAt) / 1000 };
  };
  const warmupErrors = [];
  await send(1, Math.floor(load.length / 10), null, warmupErrors);
  const latencies = [];
  const errors = [...warmupErrors];
  const measured = await send(settings.webhookSeconds, load.length, latencies, errors);
  return {
    senders: settings.senders,
    accepted: measured.accepted,
    elapsedSeconds: round(measured.elapsedSeconds),
    perSecond: Math.round(measured.accepted / measured.elapsedSeconds),
    latency: summarize(latencies),
    /** The prepared IPNs ran out before the time was up: the rate is over a shorter run. */
    ranOut: next >= load.length && measured.elapsedSeconds < settings.webhookSeconds - 0.05,
    acceptedInAll,
    errors: errors.length,
    firstErrors: [...new Set(errors)].slice(0, 3),
  };
}

/** Every accepted IPN must become one payment row in the cell schema: waits (bounded) until it has. */
async function waitForRecordedPayments(pool, tenantId, expected) {
  const startedAt = nowMs();
  let found = 0;
  while (nowMs() - startedAt < DRAIN_TIMEOUT_MS) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
      found = (await client.query(`SELECT count(*)::int AS n FROM payments WHERE provider = 'vnpay'`)).rows[0].n;
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    if (found >= expected) break;
    await sleep(250);
  }
  return { expected, found, seconds: round((nowMs() - startedAt) / 1000, 2), pass: found === expected };
}

// ─── floors ─────────────────────────────────────────────────────────────────────────────

/**
 * A plain Socket.IO server on this thread (no Redis, no auth, no database), `clients`
 * sockets in one room on the screens' thread(s), and an event shaped like a
 * `dashboard.delta`: from `io.to(room).emit()` to the last client having it. Then the two
 * events a sale sends, as the cell sends them (`sale.recorded`, then its `dashboard.delta`),
 * to the last client having the delta. The same threads as the other figures: what is left
 * above these is the cells, Redis and the bus.
 */
async function measureSocketFloor(settings) {
  const server = http.createServer();
  const socketServer = new SocketServer(server, { path: '/socket.io', serveClient: false });
  socketServer.on('connection', (socket) => void socket.join('floor'));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  let screens = null;
  try {
    screens = await Screens.open(
      Array.from({ length: settings.clients }, () => ({ url: `http://127.0.0.1:${port}`, cell: 0 })),
      settings.screenThreads,
    );
    // Joined on connection, server side: wait until the room holds everyone.
    while ((socketServer.of('/').adapter.rooms.get('floor')?.size ?? 0) < settings.clients) await sleep(10);
    const locationId = randomUUID();
    const series = async (withSale) => {
      const samples = [];
      for (let i = 0; i < settings.warmup + settings.sales; i++) {
        const orderId = randomUUID();
        const delivered = screens.expect('dashboard.delta', orderId);
        const emittedAt = epochMs();
        if (withSale) {
          socketServer.to('floor').emit('sale.recorded', {
            orderId,
            locationId,
            total: 65_000,
            itemCount: 1,
            paymentMethod: 'CASH',
            channel: 'DINE_IN',
            businessDate: '2026-01-01',
            hour: 12,
            createdAt: new Date().toISOString(),
          });
        }
        socketServer.to('floor').emit('dashboard.delta', {
          locationId,
          businessDate: '2026-01-01',
          hour: 12,
          paymentMethod: 'CASH',
          revenue: 65_000,
          orders: 1,
          items: 1,
          cause: 'sale.recorded',
          orderId,
        });
        const got = await delivered;
        if (!got.complete) throw new BenchError(`the Socket.IO floor lost an event: ${got.count} of ${settings.clients} clients got it`);
        if (i >= settings.warmup) samples.push(got.lastAt - emittedAt);
      }
      return summarize(samples);
    };
    return { oneEvent: await series(false), saleEvents: await series(true) };
  } finally {
    await screens?.close();
    await socketServer.close();
    server.closeAllConnections?.();
  }
}

/**
 * The JetStream publish the ingress waits for, alone: a stream of the run's own, file
 * storage, one replica, on the same server; each publish with a message id (the ingress's
 * deduplication) awaited before the next. The stream is deleted afterwards.
 */
async function measureJetStreamFloor(settings, natsUrl, names, undo) {
  const connection = await connectNats({ servers: natsUrl, name: 'localstore-bench:realtime', timeout: 5_000 }).catch((error) => {
    throw new BenchError(`NATS at ${natsUrl} is not reachable (${error.message}): run \`scripts/services.sh up nats\``);
  });
  try {
    const jsm = await jetstreamManager(connection);
    // An hour's age limit, in case the delete below never runs (kill -9).
    await jsm.streams.add({
      name: names.floorStream,
      subjects: [names.floorSubject],
      storage: StorageType.File,
      num_replicas: 1,
      max_age: 3_600 * 1_000_000_000,
      duplicate_window: 60 * 1_000_000_000,
    });
    undo.push(`deleting the stream ${names.floorStream}`, () => deleteStream(natsUrl, names.floorStream));
    const js = jetstream(connection);
    const payload = JSON.stringify({
      v: 1,
      provider: 'vnpay',
      transactionId: '0',
      tenantId: randomUUID(),
      orderId: randomUUID(),
      amount: 65_000,
      paidAt: new Date().toISOString(),
    });
    const samples = [];
    for (let i = 0; i < settings.warmup * 5 + settings.publishes; i++) {
      const startedAt = nowMs();
      await js.publish(names.floorSubject, payload, { msgID: `floor-${i}` });
      if (i >= settings.warmup * 5) samples.push(nowMs() - startedAt);
    }
    return summarize(samples);
  } finally {
    await connection.close();
  }
}

async function deleteStream(natsUrl, stream) {
  const connection = await connectNats({ servers: natsUrl, name: 'localstore-bench:realtime', timeout: 5_000 });
  try {
    await (await jetstreamManager(connection)).streams.delete(stream);
  } finally {
    await connection.close();
  }
}

// ─── VNPay, played by the bench ─────────────────────────────────────────────────────────

/** PHP's urlencode, byte by byte (VNPay's reference code is PHP): only A-Za-z0-9._- stay as they are. */
function phpUrlencode(text) {
  let encoded = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9._-]/.test(c)) encoded += c;
    else if (c === ' ') encoded += '+';
    else encoded += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}

/** The `vnp_*` parameters sorted by name, `name=value` urlencoded, joined by `&`: the query and the signed text. */
const vnpayQuery = (params) =>
  Object.keys(params)
    .sort()
    .map((name) => `${phpUrlencode(name)}=${phpUrlencode(params[name])}`)
    .join('&');

/** `yyyyMMddHHmmss` in Vietnam's time (UTC+7, no daylight saving). */
function vietnamTime(at) {
  const local = new Date(at.getTime() + 7 * 3_600_000);
  const p = (n) => String(n).padStart(2, '0');
  return `${local.getUTCFullYear()}${p(local.getUTCMonth() + 1)}${p(local.getUTCDate())}${p(local.getUTCHours())}${p(local.getUTCMinutes())}${p(local.getUTCSeconds())}`;
}

/**
 * VNPay's IPN for a paid order, as the path and query the ingress is called on: the
 * amount and order info VNPay was given in the signed pay URL, a new transaction number,
 * `vnp_SecureHash` = HMAC-SHA512 with the terminal's hash secret over the sorted query.
 */
function vnpayIpnPath(merchant, payUrl, orderRef, transactionNo) {
  const asked = new URL(payUrl).searchParams;
  if (asked.get('vnp_TxnRef') !== orderRef || asked.get('vnp_TmnCode') !== merchant.tmnCode) {
    throw new BenchError(
      `the pay URL names order ${asked.get('vnp_TxnRef')} of terminal ${asked.get('vnp_TmnCode')}, not ${orderRef} of ${merchant.tmnCode}`,
    );
  }
  const params = {
    vnp_Amount: asked.get('vnp_Amount'),
    vnp_BankCode: 'NCB',
    vnp_OrderInfo: asked.get('vnp_OrderInfo') ?? 'Thanh toan don hang',
    vnp_PayDate: vietnamTime(new Date()),
    vnp_ResponseCode: '00',
    vnp_TmnCode: merchant.tmnCode,
    vnp_TransactionNo: transactionNo,
    vnp_TransactionStatus: '00',
    vnp_TxnRef: orderRef,
  };
  const query = vnpayQuery(params);
  const hash = createHmac('sha512', merchant.hashSecret).update(query, 'utf8').digest('hex');
  return `${VNPAY_WEBHOOK}?${query}&vnp_SecureHashType=HmacSHA512&vnp_SecureHash=${hash}`;
}

// ─── report ─────────────────────────────────────────────────────────────────────────────

/** PASS/MISS per target; an unmeasured figure misses. */
export function realtimeVerdicts(r) {
  if (!r || r.failed) return {};
  const check = (value, target) => ({ value, target, pass: Number.isFinite(value) && value < target });
  return {
    saleToLastScreenP99: check(r.saleFanOut.toLast.p99, REALTIME_TARGETS.saleToLastScreenP99Ms),
    paymentToLastScreenP99: check(r.paymentFanOut.toLast.p99, REALTIME_TARGETS.paymentToLastScreenP99Ms),
  };
}

/** Whether the phase saw something wrong, not only slow: a lost event, a refused IPN, a payment not recorded. */
export function realtimeFailures(r) {
  if (!r || r.failed) return r?.failed ? [r.failed] : [];
  const problems = [];
  for (const [name, series] of [
    ['sale → screens', r.saleFanOut],
    ['payment → screens', r.paymentFanOut],
    ['webhooks', r.webhooks],
  ]) {
    if (series.errors > 0) problems.push(`${name}: ${series.errors} failure(s): ${series.firstErrors.join('; ')}`);
  }
  if (r.screens.unexpectedDisconnects > 0)
    problems.push(`${r.screens.unexpectedDisconnects} screen(s) disconnected: ${r.screens.firstDisconnects.join('; ')}`);
  if (!r.webhooks.recorded.pass)
    problems.push(`${r.webhooks.recorded.found} payments recorded by the cells, ${r.webhooks.recorded.expected} accepted by the ingress`);
  return problems;
}

const ms = (x) => (Number.isFinite(x) ? x.toFixed(2) : '—');

export function printRealtimeReport(r) {
  out('');
  if (r.failed) {
    out(`real-time: FAILED — ${r.failed}`);
    return;
  }
  const v = realtimeVerdicts(r);
  const e = r.environment;
  const half = e.clients / 2;
  const rows = [];
  const latency = (label, s, target = '', result = '') => rows.push([label, String(s.n), ms(s.p50), ms(s.p95), ms(s.p99), target, result]);
  const { saleFanOut: s, paymentFanOut: p, webhooks: w, floors: f } = r;
  latency(`floor: bare Socket.IO emit → last of ${e.clients} clients (in the bench, no Redis)`, f.socketEmit);
  latency("  same, a sale's two events (sale.recorded, dashboard.delta) → last delta", f.socketSaleEvents);
  latency('floor: JetStream publish → ack (file storage, one server)', f.jetStreamAck);
  latency(
    `recordSale answered → last of ${e.clients} screens got dashboard.delta`,
    s.toLast,
    `p99 < ${REALTIME_TARGETS.saleToLastScreenP99Ms} ms`,
    mark(v.saleToLastScreenP99),
  );
  latency('  → the first screen', s.toFirst);
  latency(`  → last screen on the recording cell (${half})`, s.recordingCell);
  latency(`  → last screen on the other cell, through Redis (${half})`, s.otherCell);
  latency('  recordSale sent → last screen', s.fromSent);
  latency('  recordSale itself (sent → answered)', s.recordSale);
  latency(
    `VNPay IPN sent → last of ${e.clients} screens got payment.received`,
    p.toLast,
    `p99 < ${REALTIME_TARGETS.paymentToLastScreenP99Ms} ms`,
    mark(v.paymentToLastScreenP99),
  );
  latency('  → the first screen', p.toFirst);
  latency('  IPN sent → ingress answered RspCode 00 (after the JetStream ack)', p.ingress);
  latency('  requestPayment beforehand (cell → NATS → control plane)', p.requestPayment);
  rows.push([
    `IPNs/s accepted by the ingress, ${w.senders} senders, ${w.elapsedSeconds} s`,
    String(w.accepted),
    '',
    `${w.perSecond} /s`,
    '',
    'none given',
    '',
  ]);
  latency('  IPN latency under that load', w.latency);
  rows.push([
    '  payments recorded by the cells (all accepted IPNs)',
    String(w.recorded.expected),
    '',
    `${w.recorded.found} after ${w.recorded.seconds} s`,
    '',
    'all',
    w.recorded.pass ? 'PASS' : 'FAIL',
  ]);

  out(
    `real-time: ${e.clients} screens (socket.io-client on ${e.screenThreads} worker thread(s) of the bench, ${half} on each of 2 cell processes, one location room), ` +
      `Redis adapter under ${e.redisKeyPrefix} on ${e.redisUrl}, NATS ${e.natsUrl} (namespace ${e.natsNamespace}: stream ${e.paymentsStream}); cell schema ${e.cellSchema}, directory ${e.directorySchema} ` +
      `(both dropped afterwards); run ${e.run}`,
  );
  out('');
  printTable(rows);
  out('');
  out(
    `webhooks: ${w.prepared} IPNs prepared (sale + requestPayment each) in ${w.preparedSeconds} s beforehand, each sent once` +
      `${w.ranOut ? ` — they RAN OUT after ${w.elapsedSeconds} s of the ${e.webhookSeconds} s: raise BENCH_REALTIME_WEBHOOKS` : ''}; the screens were closed first (every payment would go to each of them).`,
  );
  if (r.cpu.saleFanOut) {
    const disturbed = printCpu(
      `CPU, % of one core (${e.cpus} cores; busy before the series: ${e.machineBusyBeforeSeriesPercent}% of the machine; "client" is this process, the ${e.clients} screens' thread included)`,
      [
        ['sale → screens', r.cpu.saleFanOut],
        ['payment → screens', r.cpu.paymentFanOut],
        [`webhooks, ${w.senders} senders`, r.cpu.webhooks],
      ],
    );
    if (disturbed.length > 0 || e.machineBusyBeforeSeriesPercent > 20) {
      out(
        `WARNING: other work was running (${disturbed.join(', ') || 'before the series'}): these figures are disturbed, run again on a quiet machine.`,
      );
    }
  }
  if (r.screens.strayEvents > 0) out(`screens: ${r.screens.strayEvents} event(s) for no awaited order (late duplicates)`);
  for (const problem of realtimeFailures(r)) out(`PROBLEM: ${problem}`);
}

// ─── on its own ─────────────────────────────────────────────────────────────────────────

async function standalone() {
  const undoSteps = [];
  let interrupted = false;
  const cleanUp = async () => {
    while (undoSteps.length > 0) await Promise.resolve(undoSteps.pop()()).catch(() => undefined);
  };
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      interrupted = true;
      log(`${signal}: stopping what the real-time phase started and dropping its schemas`);
      cleanUp().finally(() => process.exit(130));
    });
  }
  try {
    const settings = readRealtimeSettings(process.env);
    const busy = await waitForQuietMachine(settings.quietWaitSeconds);
    const results = await measureRealtime(settings, undoSteps);
    await cleanUp();
    results.environment.machineBusyBeforeStartPercent = busy;
    printRealtimeReport(results);
    const verdicts = realtimeVerdicts(results);
    const failures = realtimeFailures(results);
    out(
      JSON.stringify({
        bench: 'localstore-realtime',
        at: new Date().toISOString(),
        targets: REALTIME_TARGETS,
        realtime: results,
        verdicts,
        failures,
        pass: failures.length === 0 && Object.values(verdicts).every((c) => c.pass),
      }),
    );
    if (failures.length > 0) process.exitCode = 1;
    else if (['1', 'true', 'yes'].includes(process.env.BENCH_STRICT ?? '') && !Object.values(verdicts).every((c) => c.pass))
      process.exitCode = 1;
  } catch (error) {
    if (interrupted) return;
    await sleep(200);
    await cleanUp();
    log(error instanceof BenchError ? error.message : (error?.stack ?? String(error)));
    process.exitCode = 2;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await standalone();
