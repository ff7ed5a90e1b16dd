#!/usr/bin/env node
// The operator's figures (issue 5): how long a `kubectl apply` of a dedicated Tenant takes to
// be Ready, how long promoting the demo chain from the pooled cell to its own takes and how
// long its writes pause meanwhile, and how fast 500 Tenants applied at once become Active.
// Runs after the other phases from run.mjs (BENCH_OPERATOR=0 skips it), or on its own:
//
//   node bench/operator-phase.mjs
//
// What is real: the API server of `scripts/k8s.sh up` with the CRDs, the compiled operator
// (`operator/dist/src/main.js`) as a process, the compiled control plane and its router, a
// real cell API process per cell, PostgreSQL. What stands in: the kubelet (there is none):
// for each Deployment the operator creates, this bench starts a cell API process and, once
// it answers its readiness probe, reports the Deployment available through its status, as
// operator/test/operator-harness.ts does.
//
// The demo data is never touched: everything runs on a throw-away copy of the demo database
// (`CREATE DATABASE … TEMPLATE localstore`, which needs no one connected to it), dropped at
// the end, also after an error or Ctrl-C. See bench/README.md, "The operator's figures".
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import https from 'node:https';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { KubeConfig } from '@kubernetes/client-node';
import pg from 'pg';
import {
  BenchError,
  ChildServer,
  freePort,
  HttpClient,
  log,
  mark,
  out,
  printTable,
  REPO_ROOT,
  runScript,
  summarize,
  waitForQuietMachine,
  wholeNumberReader,
} from './lib.mjs';

const require = createRequire(import.meta.url);

/** Issue 5's targets. The reconcile throughput has none: it is reported. */
export const OPERATOR_TARGETS = {
  dedicatedTenantReadySeconds: 30,
  promotionSeconds: 60,
  writePauseSeconds: 2,
};

const LOCAL_DIR = process.env.LOCALSTORE_LOCAL_DIR || join(REPO_ROOT, '.local');
const KUBECTL = join(LOCAL_DIR, 'bin/kubectl');
const KUBECONFIG = join(LOCAL_DIR, 'k8s/kubeconfig');
const SHARED_CRDS = join(REPO_ROOT, '../shared/crds');
const OPERATOR_MAIN = join(REPO_ROOT, 'operator/dist/src/main.js');
const CELL_MAIN = join(REPO_ROOT, 'cell-api/dist/src/main.js');
const CP_DIST = join(REPO_ROOT, 'control-plane/dist');

const GROUP = 'localstore.vn';
const VERSION = 'v1alpha1';
const API_VERSION = `${GROUP}/${VERSION}`;
const MANAGED_BY = 'app.kubernetes.io/managed-by=localstore-operator';
/** The demo pooled cell, as the directory and `make demo` name it. */
const DEMO_POOLED_CELL = 'pooled-1';
/** What a promotion's `status.migration.step` goes through, in order. */
const PROMOTION_STEPS = ['CreatingCell', 'Copying', 'Draining', 'Switching', 'CleaningUp'];
/** How often the kubelet stand-in looks for new Deployments and probes the cells it started. */
const STAND_IN_POLL_MS = 100;

const RECORD_SALE = `mutation RecordSale($input: RecordSaleInput!) { recordSale(input: $input) { id total } }`;
const MENU = `query BenchMenu { menu { id active } }`;

const epochMs = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms) => Math.round(ms) / 1000;

// ─── settings ───────────────────────────────────────────────────────────────────────────

/** The phase's settings from the environment (see bench/README.md); throws BenchError on a bad value. */
export function readOperatorSettings(env = process.env) {
  const problems = [];
  const int = wholeNumberReader(env, problems);
  const { DEMO_TENANTS } = require('@localstore/common');
  const chainSlug = env.BENCH_OPERATOR_CHAIN || DEMO_TENANTS.find((t) => t.kind === 'pho_chain')?.slug;
  const chain = DEMO_TENANTS.find((t) => t.slug === chainSlug);
  if (!chain) problems.push(`BENCH_OPERATOR_CHAIN="${chainSlug}" is not a demo tenant (${DEMO_TENANTS.map((t) => t.slug).join(', ')})`);
  const databaseUrl = env.DATABASE_URL || 'postgres://localstore_app:localstore_app@127.0.0.1:55432/localstore';
  const settings = {
    /** The demo tenant promoted (on the copy): the phở chain. */
    chain,
    /** Tenants applied at once for the reconcile throughput. */
    tenants: int('BENCH_OPERATOR_TENANTS', 500, 1, 5_000),
    /** Bound of each wait (a tenant Ready, the promotion, the clean-up, the bulk apply). */
    timeoutSeconds: int('BENCH_OPERATOR_TIMEOUT_SECONDS', 600, 10, 3_600),
    /** The seller honours Retry-After but waits at most this long, so the pause is measured finely. */
    retryCapMs: int('BENCH_OPERATOR_RETRY_CAP_MS', 100, 10, 5_000),
    /** Log level of the operator process; its lines go to a file under .local/log/. */
    operatorLogLevel: env.BENCH_OPERATOR_LOG_LEVEL || 'info',
    quietWaitSeconds: int('BENCH_QUIET_WAIT_SECONDS', 60, 0, 600),
    databaseUrl,
    ownerUrl: env.DATABASE_OWNER_URL || 'postgres://localstore_owner:localstore_owner@127.0.0.1:55432/localstore',
    controlUrl: env.DIRECTORY_DATABASE_URL || 'postgres://localstore_control:localstore_control@127.0.0.1:55432/localstore',
  };
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(settings.operatorLogLevel)) {
    problems.push(`BENCH_OPERATOR_LOG_LEVEL="${settings.operatorLogLevel}" is not a pino level`);
  }
  for (const [name, url] of [
    ['DATABASE_URL', settings.databaseUrl],
    ['DATABASE_OWNER_URL', settings.ownerUrl],
    ['DIRECTORY_DATABASE_URL', settings.controlUrl],
  ]) {
    let parsed;
    try {
      parsed = new URL(url);
    } catch {
      problems.push(`${name} is not a URL`);
      continue;
    }
    if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(parsed.hostname))
      problems.push(`${name} must point at loopback (got ${parsed.hostname})`);
  }
  settings.sourceDatabase = safeDatabaseName(settings.databaseUrl);
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(settings.sourceDatabase))
    problems.push(`the database of DATABASE_URL ("${settings.sourceDatabase}") is not a plain identifier`);
  if (problems.length > 0) throw new BenchError(`Invalid operator bench settings:\n  - ${problems.join('\n  - ')}`);
  return settings;
}

function safeDatabaseName(url) {
  try {
    return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  } catch {
    return '';
  }
}

/** The same URL on another database. */
function onDatabase(url, database) {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

// ─── clean-up ───────────────────────────────────────────────────────────────────────────

/** Steps undone in reverse order, once, each bounded; a failed step does not stop the others. */
class Undo {
  constructor() {
    this.steps = [];
    this.running = null;
  }

  push(what, step) {
    this.steps.push({ what, step });
  }

  run() {
    this.running ??= (async () => {
      while (this.steps.length > 0) {
        const { what, step } = this.steps.pop();
        try {
          await Promise.race([
            Promise.resolve().then(step),
            sleep(60_000).then(() => Promise.reject(new Error('still running after 60 s'))),
          ]);
        } catch (error) {
          log(`operator phase clean-up: ${what} failed: ${error?.message ?? error}`);
        }
      }
    })();
    return this.running;
  }
}

// ─── kubectl and the API server ─────────────────────────────────────────────────────────

/** kubectl of the harness, asynchronously (the stand-in and the seller keep running meanwhile). */
function kubectl(args, input) {
  return new Promise((resolve) => {
    const child = spawn(KUBECTL, ['--kubeconfig', KUBECONFIG, ...args], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (text += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (text += chunk));
    child.once('error', (error) => resolve({ code: 1, out: error.message }));
    child.once('exit', (code) => resolve({ code: code ?? 1, out: text }));
    child.stdin.end(input ?? '');
  });
}

async function mustKubectl(what, args, input) {
  const result = await kubectl(args, input);
  if (result.code !== 0) throw new BenchError(`${what} failed: ${result.out.trim().slice(0, 2_000)}`);
  return result.out;
}

/**
 * JSON over keep-alive HTTPS to the API server with the kubeconfig's client certificate:
 * reads, patches and watches without a process per call (kubectl costs ~100 ms of CPU each).
 */
class KubeApi {
  static async connect(kubeconfigPath) {
    const config = new KubeConfig();
    config.loadFromFile(kubeconfigPath);
    const tls = {};
    await config.applyToHTTPSOptions(tls);
    const server = new URL(config.getCurrentCluster().server);
    const agentOptions = {
      ca: tls.ca,
      cert: tls.cert,
      key: tls.key,
      ...(tls.rejectUnauthorized === undefined ? {} : { rejectUnauthorized: tls.rejectUnauthorized }),
    };
    return new KubeApi(server, agentOptions);
  }

  constructor(server, agentOptions) {
    this.server = server;
    this.agentOptions = agentOptions;
    this.agent = new https.Agent({ ...agentOptions, keepAlive: true, maxSockets: 32 });
    this.watchAgent = new https.Agent({ ...agentOptions, keepAlive: false });
  }

  request(method, path, body, contentType = 'application/json') {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = https.request(
        {
          method,
          hostname: this.server.hostname,
          port: this.server.port,
          path,
          agent: this.agent,
          headers: {
            accept: 'application/json',
            ...(payload ? { 'content-type': contentType, 'content-length': Buffer.byteLength(payload) } : {}),
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => {
            let parsed;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              parsed = { unparsable: text.slice(0, 500) };
            }
            resolve({ status: res.statusCode, body: parsed });
          });
          res.on('error', reject);
        },
      );
      req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${path}: no answer within 30 s`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  async json(method, path, body, contentType) {
    const { status, body: answer } = await this.request(method, path, body, contentType);
    if (status < 200 || status >= 300)
      throw new BenchError(`${method} ${path} answered ${status}: ${JSON.stringify(answer).slice(0, 500)}`);
    return answer;
  }

  /** The object, or undefined when it does not exist. */
  async read(path) {
    const { status, body } = await this.request('GET', path);
    if (status === 404) return undefined;
    if (status !== 200) throw new BenchError(`GET ${path} answered ${status}: ${JSON.stringify(body).slice(0, 500)}`);
    return body;
  }

  /**
   * A watch from `resourceVersion`: `onEvent(type, object)` per event; resolves when the
   * server ends it; rejects with `{ gone: true }` when the version is too old. `abort()` ends it.
   */
  watch(path, params, onEvent) {
    let req;
    const done = new Promise((resolve, reject) => {
      const query = new URLSearchParams({ ...params, watch: '1', allowWatchBookmarks: 'true', timeoutSeconds: '300' });
      req = https.request(
        {
          method: 'GET',
          hostname: this.server.hostname,
          port: this.server.port,
          path: `${path}?${query}`,
          agent: this.watchAgent,
          headers: { accept: 'application/json' },
        },
        (res) => {
          if (res.statusCode !== 200) {
            res.resume();
            reject(new BenchError(`watch ${path} answered ${res.statusCode}`));
            return;
          }
          let rest = '';
          res.setEncoding('utf8');
          res.on('data', (chunk) => {
            const lines = (rest + chunk).split('\n');
            rest = lines.pop();
            for (const line of lines) {
              if (!line.trim()) continue;
              let event;
              try {
                event = JSON.parse(line);
              } catch {
                req.destroy();
                reject(new Error(`watch ${path}: unreadable event ${line.slice(0, 100)}`));
                return;
              }
              if (event.type === 'ERROR') {
                req.destroy();
                reject(Object.assign(new Error(`watch ${path}: ${event.object?.message}`), { gone: event.object?.code === 410 }));
                return;
              }
              onEvent(event.type, event.object);
            }
          });
          res.on('end', resolve);
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end();
    });
    return { done, abort: () => req.destroy() };
  }

  close() {
    this.agent.destroy();
    this.watchAgent.destroy();
  }
}

/**
 * The objects of one kind with our label, as the API server reports them: list, then watch,
 * relisting when the watch ends. Each change is timestamped on arrival and offered to the
 * waiters, so "when did it become Ready" is known to a few milliseconds.
 */
class ObjectWatch {
  constructor(api, path, labelSelector) {
    this.api = api;
    this.path = path;
    this.labelSelector = labelSelector;
    this.objects = new Map();
    this.listeners = new Set();
    this.stopped = false;
    this.current = null;
  }

  async start() {
    await this.relist();
    this.loop = (async () => {
      while (!this.stopped) {
        try {
          this.current = this.api.watch(
            this.path,
            { labelSelector: this.labelSelector, resourceVersion: this.resourceVersion },
            (type, object) => this.take(type, object),
          );
          await this.current.done;
        } catch (error) {
          if (this.stopped) return;
          if (!error.gone) log(`watch of ${this.path} broke (${error.message}); listing again`);
        }
        if (this.stopped) return;
        await this.relist().catch(() => sleep(500));
      }
    })();
  }

  async relist() {
    const list = await this.api.json('GET', `${this.path}?${new URLSearchParams({ labelSelector: this.labelSelector })}`);
    this.resourceVersion = list.metadata.resourceVersion;
    const seen = new Set();
    for (const object of list.items) {
      seen.add(object.metadata.name);
      this.take('MODIFIED', object, false);
    }
    for (const name of [...this.objects.keys()]) if (!seen.has(name)) this.take('DELETED', this.objects.get(name), false);
  }

  take(type, object, fromWatch = true) {
    if (type === 'BOOKMARK') {
      this.resourceVersion = object.metadata.resourceVersion;
      return;
    }
    if (fromWatch) this.resourceVersion = object.metadata.resourceVersion;
    const at = epochMs();
    if (type === 'DELETED') this.objects.delete(object.metadata.name);
    else this.objects.set(object.metadata.name, object);
    for (const listener of this.listeners) listener(type, object, at);
  }

  /** Calls `listener(type, object, at)` for every change from now on; returns the remover. */
  listen(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves with `check()`'s value as soon as it is truthy (checked now and after every change). */
  until(what, check, timeoutMs) {
    return new Promise((resolve, reject) => {
      let remove = () => undefined;
      const timer = setTimeout(() => {
        remove();
        reject(new BenchError(`timed out after ${timeoutMs / 1000} s waiting for ${what}`));
      }, timeoutMs);
      const probe = () => {
        let value;
        try {
          value = check(this.objects);
        } catch (error) {
          clearTimeout(timer);
          remove();
          reject(error);
          return;
        }
        if (value) {
          clearTimeout(timer);
          remove();
          resolve(value);
        }
      };
      remove = this.listen(probe);
      probe();
    });
  }

  stop() {
    this.stopped = true;
    this.current?.abort();
  }
}

const conditionTrue = (object, type) => (object?.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');
const tenantActive = (tenant, cell) =>
  tenant?.status?.phase === 'Active' &&
  conditionTrue(tenant, 'Ready') &&
  !tenant.status.migration &&
  (cell === undefined || tenant.status.cell === cell);

// ─── the kubelet stand-in ───────────────────────────────────────────────────────────────

/**
 * There is no kubelet: for each cell Deployment the operator creates (label managed-by and
 * the run's label), start a real cell API process, and once it answers the Deployment's
 * readiness probe, report the Deployment available through its status subresource, as a
 * kubelet and the Deployment controller would together. Polls every 100 ms, so it adds
 * about that to each cell's start. A cell process that exits is started again after 1 s.
 */
class KubeletStandIn {
  constructor({ api, runLabel, ports, databaseUrl }) {
    this.api = api;
    this.selector = `${MANAGED_BY},${runLabel}`;
    this.ports = ports;
    this.databaseUrl = databaseUrl;
    /** cell name → { server, port, client, seenAt, startedAt, readyAt, availableAt } */
    this.cells = new Map();
    this.stopped = false;
    this.errors = [];
  }

  start() {
    this.loop = (async () => {
      while (!this.stopped) {
        const started = performance.now();
        try {
          await this.pass();
        } catch (error) {
          if (this.errors.length < 5) this.errors.push(error.message);
        }
        await sleep(Math.max(0, STAND_IN_POLL_MS - (performance.now() - started)));
      }
    })();
  }

  async pass() {
    const { items } = await this.api.json('GET', `/apis/apps/v1/deployments?${new URLSearchParams({ labelSelector: this.selector })}`);
    for (const deployment of items) {
      const container = deployment.spec?.template?.spec?.containers?.[0];
      const env = Object.fromEntries((container?.env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value]));
      const name = env.CELL_NAME;
      if (!name) continue;
      let cell = this.cells.get(name);
      if (!cell) {
        cell = { seenAt: epochMs(), env, probePath: container?.readinessProbe?.httpGet?.path ?? '/readyz' };
        this.cells.set(name, cell);
        await this.run(name, cell);
      }
      if (cell.server?.exited && !this.stopped && !cell.restarting) {
        cell.restarting = true;
        log(`kubelet stand-in: the cell API of ${name} exited (${JSON.stringify(cell.server.exited)}); starting it again in 1 s`);
        setTimeout(() => this.run(name, cell).finally(() => (cell.restarting = false)), 1_000);
      }
      if ((deployment.status?.availableReplicas ?? 0) >= 1 || !cell.readyAt) continue;
      await this.api.json(
        'PATCH',
        `/apis/apps/v1/namespaces/${deployment.metadata.namespace}/deployments/${deployment.metadata.name}/status`,
        {
          status: {
            observedGeneration: deployment.metadata.generation,
            replicas: 1,
            readyReplicas: 1,
            availableReplicas: 1,
            updatedReplicas: 1,
          },
        },
        'application/merge-patch+json',
      );
      cell.availableAt ??= epochMs();
    }
  }

  /** The cell's process on its reserved port, and its readiness probe until it answers 200. */
  async run(name, cell) {
    let port = this.ports.get(name);
    if (!port) {
      port = await freePort();
      log(`kubelet stand-in: cell ${name} has no reserved port (the operator cannot reach it through CELL_ENDPOINTS); using ${port}`);
    }
    cell.port = port;
    cell.server = new ChildServer({
      name: `cell ${name}`,
      args: [CELL_MAIN],
      env: cellEnv({
        CELL_NAME: name,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: this.databaseUrl,
        DATABASE_SCHEMA: cell.env.DATABASE_SCHEMA,
        AUTH_JWKS_URL: cell.env.AUTH_JWKS_URL,
      }),
    });
    cell.startedAt ??= epochMs();
    cell.client ??= new HttpClient(port);
    const server = cell.server;
    (async () => {
      while (!this.stopped && !server.exited) {
        try {
          const { status } = await cell.client.get(cell.probePath);
          if (status === 200) {
            cell.readyAt ??= epochMs();
            return;
          }
        } catch {
          // not listening yet
        }
        await sleep(STAND_IN_POLL_MS);
      }
    })();
  }

  /** Times of the cell's start, relative to `from` (ms since epoch), in seconds. */
  timeline(name, from) {
    const cell = this.cells.get(name);
    if (!cell) return null;
    const rel = (at) => (at === undefined ? null : seconds(at - from));
    return {
      deploymentSeen: rel(cell.seenAt),
      processStarted: rel(cell.startedAt),
      readinessProbeOk: rel(cell.readyAt),
      reportedAvailable: rel(cell.availableAt),
    };
  }

  pids() {
    return [...this.cells.values()].map((c) => c.server?.pid).filter(Boolean);
  }

  async stop() {
    this.stopped = true;
    await this.loop;
    await Promise.all(
      [...this.cells.values()].map(async (cell) => {
        cell.client?.close();
        await cell.server?.stop();
      }),
    );
  }
}

/** A cell API's environment: ours without what would point it elsewhere, plus `env`. */
function cellEnv(env) {
  const base = { ...process.env, LOG_LEVEL: 'warn', ...env };
  // Embedded fallbacks (in-process cache, bus, Socket.IO adapter), as the other phases run;
  // the demo key file would make the cell ignore AUTH_JWKS_URL.
  for (const name of ['REDIS_URL', 'NATS_URL', 'AUTH_JWKS_FILE', 'DATABASE_OWNER_URL']) delete base[name];
  return base;
}

// ─── the database copy ──────────────────────────────────────────────────────────────────

/**
 * `CREATE DATABASE <copy> TEMPLATE <source>` as the superuser. PostgreSQL refuses it while
 * anyone is connected to the source: then the phase is skipped (returns a reason), never
 * the demo disturbed. FILE_COPY copies the files (with a checkpoint before and after): about
 * half the time of the default WAL_LOG strategy, which writes the whole database to the WAL.
 */
async function copyDemoDatabase(settings, copyName, undo) {
  const passwordFile = join(LOCAL_DIR, 'pg/superuser.pw');
  if (!existsSync(passwordFile))
    return {
      skipped: `no PostgreSQL superuser password at ${passwordFile} (scripts/services.sh up postgres makes it): cannot copy the demo database`,
    };
  const source = new URL(settings.databaseUrl);
  const superUrl = (database) => {
    const url = new URL(source);
    url.username = 'postgres';
    url.password = readFileSync(passwordFile, 'utf8').trim();
    url.pathname = `/${database}`;
    return url.toString();
  };
  const admin = new pg.Client({ connectionString: superUrl('postgres'), application_name: 'localstore-bench:operator' });
  await admin.connect();
  try {
    const {
      rows: [info],
    } = await admin.query(
      `SELECT (SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = $1) AS owner,
              (SELECT count(*)::int FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend') AS connections,
              (SELECT string_agg(DISTINCT coalesce(nullif(application_name, ''), usename), ', ') FROM pg_stat_activity
                WHERE datname = $1 AND backend_type = 'client backend') AS who`,
      [settings.sourceDatabase],
    );
    if (!info.owner) return { skipped: `database ${settings.sourceDatabase} does not exist: run \`make seed-demo\` first` };
    const busy = `${info.connections} open connection(s) to database ${settings.sourceDatabase} (${info.who}): it can only be copied when no one uses it. Is \`make demo\` running? Stop it and run \`node bench/operator-phase.mjs\`.`;
    if (info.connections > 0) return { skipped: busy };
    const startedAt = performance.now();
    try {
      await admin.query(`CREATE DATABASE "${copyName}" TEMPLATE "${settings.sourceDatabase}" OWNER "${info.owner}" STRATEGY FILE_COPY`);
    } catch (error) {
      // 55006: someone connected between the check and the copy.
      if (error.code === '55006') return { skipped: busy.replace(/^\d+/, 'new') };
      throw error;
    }
    undo.push(`dropping database ${copyName}`, async () => {
      const dropper = new pg.Client({ connectionString: superUrl('postgres'), application_name: 'localstore-bench:operator' });
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS "${copyName}" WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    });
    return { copySeconds: seconds(performance.now() - startedAt) };
  } finally {
    await admin.end();
  }
}

// ─── the seller ─────────────────────────────────────────────────────────────────────────

/**
 * One client recording sales back to back through the router, as the owner: a refused
 * sale (503 from the router while the route drains or from the cell while its rows are
 * frozen, 502, or no answer) is sent again with the same id after Retry-After, capped at
 * `retryCapMs` so the pause is measured to about that; anything else counts as an error and
 * the next sale starts.
 */
class Seller {
  constructor({ client, locationId, itemIds, retryCapMs }) {
    this.client = client;
    this.locationId = locationId;
    this.itemIds = itemIds;
    this.retryCapMs = retryCapMs;
    this.acks = [];
    this.refusals = [];
    this.errors = [];
    this.stopping = false;
  }

  start() {
    this.running = (async () => {
      for (let n = 0; !this.stopping; n++) await this.sell(n);
    })();
  }

  async stop() {
    this.stopping = true;
    await this.running;
  }

  async sell(n) {
    const input = {
      id: randomUUID(),
      locationId: this.locationId,
      items: [{ itemId: this.itemIds[n % this.itemIds.length], quantity: 1 + (n % 3), modifiers: [] }],
      paymentMethod: n % 2 ? 'MOMO' : 'CASH',
    };
    const firstTryAt = epochMs();
    for (let retries = 0; ; retries++) {
      const sentAt = epochMs();
      let answer;
      try {
        answer = await this.client.postJson('/graphql', { query: RECORD_SALE, variables: { input } });
      } catch (error) {
        answer = { status: 0, headers: {}, body: { code: 'NO_ANSWER', detail: error.message } };
      }
      const at = epochMs();
      const sale = answer.body?.data?.recordSale;
      if (answer.status === 200 && sale) {
        this.acks.push({ id: sale.id, total: Number(sale.total), firstTryAt, ackAt: at, lastTryMs: at - sentAt, retries });
        return;
      }
      if ([0, 502, 503].includes(answer.status)) {
        const by = answer.body?.code ?? answer.body?.errors?.[0]?.extensions?.reason ?? `HTTP ${answer.status}`;
        this.refusals.push({ at, status: answer.status, by });
        if (at - firstTryAt > 120_000) {
          this.errors.push(`sale ${input.id} not acknowledged after 120 s of retries (last: ${by})`);
          return;
        }
        const retryAfter = Number(answer.headers?.['retry-after'] ?? 1);
        await sleep(Math.min(Number.isFinite(retryAfter) ? retryAfter * 1000 : 1000, this.retryCapMs));
        continue;
      }
      const first = answer.body?.errors?.[0];
      this.errors.push(
        `HTTP ${answer.status} ${first ? `${first.extensions?.code ?? ''} ${first.extensions?.reason ?? ''} ${first.message}` : JSON.stringify(answer.body).slice(0, 200)}`.trim(),
      );
      return;
    }
  }
}

// ─── where the database time goes ───────────────────────────────────────────────────────

/** What an operator statement does, from its text (tenant-row-copier.ts), and on which table. */
function classifyStatement(query) {
  const table = (pattern) => pattern.exec(query)?.[1] ?? '?';
  if (/^\s*WITH batch AS/.test(query)) return `copy ${table(/FROM "[^"]+"\."([^"]+)"/)}`;
  if (/md5\(/.test(query)) return `verify ${table(/FROM "[^"]+"\."([^"]+)"/)}`;
  if (/^\s*WITH k AS/.test(query)) return `catch-up read ${table(/FROM "[^"]+"\."([^"]+)" s JOIN k/)}`;
  if (/json_populate_recordset/.test(query) && /ON CONFLICT/.test(query))
    return `catch-up write ${table(/INSERT INTO "[^"]+"\."([^"]+)"/)}`;
  if (/^\s*WITH doomed AS/.test(query)) return `remove ${table(/FROM "[^"]+"\."([^"]+)"/)}`;
  if (/json_array_elements/.test(query)) return `catch-up delete ${table(/DELETE FROM "[^"]+"\."([^"]+)"/)}`;
  return query.replace(/\s+/g, ' ').trim().slice(0, 40);
}

/**
 * Samples the operator's statements on the copy every 200 ms (pg_stat_activity, seen by the
 * schema owner, the role the operator moves rows as): which statement of which step runs,
 * and what it waits for (no wait event: on CPU). Samples × 200 ms ≈ database time.
 */
class StatementSampler {
  constructor(pool, database, stepNow) {
    this.pool = pool;
    this.database = database;
    this.stepNow = stepNow;
    this.byStep = new Map();
    this.stopped = false;
  }

  start() {
    this.loop = (async () => {
      while (!this.stopped) {
        const started = performance.now();
        try {
          const { rows } = await this.pool.query(
            `SELECT query, coalesce(wait_event_type, 'CPU') AS wait FROM pg_stat_activity
              WHERE datname = $1 AND application_name = 'localstore-operator' AND state = 'active' AND pid <> pg_backend_pid()`,
            [this.database],
          );
          const step = this.stepNow() ?? 'before CreatingCell';
          let figures = this.byStep.get(step);
          if (!figures) this.byStep.set(step, (figures = { statements: new Map(), waits: new Map(), samples: 0 }));
          for (const row of rows) {
            const what = classifyStatement(row.query);
            figures.statements.set(what, (figures.statements.get(what) ?? 0) + 1);
            figures.waits.set(row.wait, (figures.waits.get(row.wait) ?? 0) + 1);
            figures.samples++;
          }
        } catch {
          // a missed sample
        }
        await sleep(Math.max(0, 200 - (performance.now() - started)));
      }
    })();
  }

  async stop() {
    this.stopped = true;
    await this.loop;
  }

  /** Per step: statement → seconds (sampled), the top five, and the share of each wait. */
  summary() {
    const result = {};
    for (const [step, figures] of this.byStep) {
      const top = [...figures.statements].sort((a, b) => b[1] - a[1]).slice(0, 5);
      result[step] = {
        statements: Object.fromEntries(top.map(([what, n]) => [what, Math.round(n * 2) / 10])),
        waits: Object.fromEntries(
          [...figures.waits].sort((a, b) => b[1] - a[1]).map(([wait, n]) => [wait, Math.round((n / figures.samples) * 100)]),
        ),
      };
    }
    return result;
  }
}

// ─── CPU ────────────────────────────────────────────────────────────────────────────────

const CLOCK_TICKS = 100; // USER_HZ on every Linux this runs on

/** comm, CPU ticks (user + system) and start time (ticks since boot) from /proc/<pid>/stat. */
function processStat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return {
      comm: text.slice(text.indexOf('(') + 1, text.lastIndexOf(')')),
      ticks: Number(fields[11]) + Number(fields[12]),
      startedAt: Number(fields[19]),
    };
  } catch {
    return null; // it ended while we looked
  }
}

/**
 * CPU per party over a measurement, in percent of one core, sampled every 500 ms from /proc
 * (Linux only; null elsewhere). Unlike a snapshot at both ends (lib.mjs), a process that ends
 * meanwhile keeps what it used until its last sample: the operator's pool closes its idle
 * PostgreSQL sessions after 10 s, and the backend that copied for two minutes must not vanish
 * into "other". Parties: processes by pid (functions, so a cell started meanwhile counts),
 * every `postgres` and `kubectl` process, this process, and the rest of the machine.
 */
class CpuTracker {
  constructor(parties) {
    this.parties = parties;
    this.seen = new Map(); // pid → { party, first, last }
  }

  start() {
    try {
      this.uptimeTicksAtStart = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]) * CLOCK_TICKS;
      this.machineAtStart = machineBusyTicks();
    } catch {
      return this;
    }
    this.clientAtStart = process.cpuUsage();
    this.startedAt = performance.now();
    this.sample();
    this.timer = setInterval(() => this.sample(), 500);
    return this;
  }

  sample() {
    const named = new Map();
    for (const [party, pids] of Object.entries(this.parties))
      for (const pid of [].concat(pids() ?? [])) if (pid) named.set(String(pid), party);
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
      const party = named.get(entry);
      if (!party && !this.seen.has(entry)) {
        // Cheap filter first: only postgres and kubectl are counted by name.
        const stat = processStat(entry);
        if (!stat || (stat.comm !== 'postgres' && stat.comm !== 'kubectl')) continue;
        this.record(entry, stat.comm === 'postgres' ? 'postgres' : 'kubectl', stat);
        continue;
      }
      const stat = processStat(entry);
      if (stat) this.record(entry, party ?? this.seen.get(entry).party, stat);
    }
  }

  record(pid, party, stat) {
    const known = this.seen.get(pid);
    if (known) {
      known.last = stat.ticks;
      return;
    }
    // Started after the measurement began: everything it used counts.
    const first = stat.startedAt > this.uptimeTicksAtStart ? 0 : stat.ticks;
    this.seen.set(pid, { party, first, last: stat.ticks });
  }

  stop() {
    if (!this.timer) return null;
    clearInterval(this.timer);
    this.timer = null;
    this.sample();
    const wallSeconds = (performance.now() - this.startedAt) / 1000;
    const percent = (ticks) => Math.max(0, Math.round((ticks / CLOCK_TICKS / wallSeconds) * 100));
    const byParty = {};
    for (const party of [...Object.keys(this.parties), 'postgres', 'kubectl']) byParty[party] = 0;
    for (const { party, first, last } of this.seen.values()) byParty[party] += last - first;
    const client = process.cpuUsage(this.clientAtStart);
    byParty.client = ((client.user + client.system) / 1e6) * CLOCK_TICKS;
    const machine = machineBusyTicks() - this.machineAtStart;
    const accounted = Object.values(byParty).reduce((a, b) => a + b, 0);
    const usage = Object.fromEntries(Object.entries(byParty).map(([party, ticks]) => [party, percent(ticks)]));
    return { ...usage, other: percent(machine - accounted), machinePercent: Math.round(percent(machine) / os.cpus().length) };
  }
}

/** Busy CPU ticks of the whole machine since boot (all but idle and iowait). */
function machineBusyTicks() {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  return ticks.reduce((a, b) => a + b, 0) - ticks[3] - ticks[4];
}

/** Runs `work` and returns its result with the CPU each party used meanwhile (see CpuTracker). */
async function withCpuTracked(parties, work) {
  const tracker = new CpuTracker(parties).start();
  try {
    const result = await work();
    return { result, cpu: tracker.stop() };
  } finally {
    tracker.stop();
  }
}

// ─── the phase ──────────────────────────────────────────────────────────────────────────

/**
 * Runs the phase: set-up, the three measurements, clean-up. Returns the figures, or
 * `{ skipped }` with the reason when the demo database cannot be copied now. `cleanup` (an
 * array of functions, run.mjs's) gets one step that undoes whatever is still up after a
 * Ctrl-C; the phase undoes everything itself before it returns.
 */
export async function measureOperator({ settings, cleanup }) {
  for (const file of [
    OPERATOR_MAIN,
    CELL_MAIN,
    join(CP_DIST, 'src/main.js'),
    join(CP_DIST, 'scripts/migrate.js'),
    join(CP_DIST, 'scripts/demo-directory.js'),
  ]) {
    if (!existsSync(file)) throw new BenchError(`${relative(REPO_ROOT, file)} is missing: run \`make build\``);
  }
  const run = randomBytes(3).toString('hex');
  const undo = new Undo();
  cleanup.push(() => undo.run());
  try {
    return await measure(settings, run, undo);
  } finally {
    await undo.run();
  }
}

async function measure(settings, run, undo) {
  const runLabel = `localstore.vn/bench=${run}`;
  const labels = { 'localstore.vn/bench': run };
  const namespace = `bench-operator-${run}`;
  const copyName = `bench_operator_${run}`;
  const chain = settings.chain;
  const dedicatedName = `bench-${run}-dedicated`;
  const templatePrefix = `bench-${run}`;
  const timeoutMs = settings.timeoutSeconds * 1000;
  const phaseStartedAt = epochMs();
  const results = { environment: { run } };

  // The API server and the CRDs first: no point copying the database if they cannot come up.
  log('operator: starting the API server (scripts/k8s.sh up) and installing the CRDs…');
  await runCommand('scripts/k8s.sh up', join(REPO_ROOT, 'scripts/k8s.sh'), ['up'], 20 * 60_000);
  await mustKubectl('installing the CRDs', [
    'apply',
    '--server-side',
    '--force-conflicts',
    '-f',
    join(REPO_ROOT, 'charts/localstore/crds'),
    '-f',
    join(SHARED_CRDS, 'monitoring.coreos.com'),
  ]);
  await mustKubectl('waiting for the CRDs', [
    'wait',
    '--for=condition=Established',
    '--timeout=60s',
    'crd/tenants.localstore.vn',
    'crd/cells.localstore.vn',
    'crd/servicemonitors.monitoring.coreos.com',
  ]);
  const api = await KubeApi.connect(KUBECONFIG);
  undo.push('closing the API connections', () => api.close());
  await refuseLeftovers(api, [DEMO_POOLED_CELL, chain.slug]);

  log(`operator: copying database ${settings.sourceDatabase} to ${copyName} (the phase never writes to the demo data)…`);
  const copy = await copyDemoDatabase(settings, copyName, undo);
  if (copy.skipped) return { skipped: copy.skipped };
  log(`operator: copied in ${copy.copySeconds} s`);
  const urls = {
    app: onDatabase(settings.databaseUrl, copyName),
    owner: onDatabase(settings.ownerUrl, copyName),
    control: onDatabase(settings.controlUrl, copyName),
  };

  // Ports fixed ahead, so the operator (another process) can be told every cell's endpoint.
  const cellNames = [DEMO_POOLED_CELL, dedicatedName, chain.slug, ...[1, 2, 3].map((n) => `${templatePrefix}-${n}`)];
  const taken = new Set();
  const reservePort = async () => {
    for (;;) {
      const port = await freePort();
      if (taken.has(port)) continue;
      taken.add(port);
      return port;
    }
  };
  const ports = new Map();
  for (const name of cellNames) ports.set(name, await reservePort());
  const cpPort = await reservePort();
  const metricsPort = await reservePort();

  // The Kubernetes side: a namespace for the operator (its Lease, the cells' database Secret).
  await mustKubectl('creating the namespace', ['create', 'namespace', namespace]);
  undo.push(`removing namespace ${namespace}`, () => removeNamespaces(api, [namespace]));
  await mustKubectl('creating the cell database Secret', [
    '-n',
    namespace,
    'create',
    'secret',
    'generic',
    'cell-database',
    `--from-literal=DATABASE_URL=${urls.app}`,
    `--from-literal=DATABASE_OWNER_URL=${urls.owner}`,
  ]);

  // The control plane on the copy: its directory migrated (idempotent; `make bench` alone
  // never migrates it) and the demo tenants registered with routes to pooled-1.
  const cpEnv = {
    ...process.env,
    CONTROL_PLANE_PORT: String(cpPort),
    CONTROL_PLANE_HOST: '127.0.0.1',
    PLATFORM_DOMAIN: 'localhost',
    DIRECTORY_DATABASE_URL: urls.control,
    DIRECTORY_OWNER_URL: urls.owner,
    DIRECTORY_SCHEMA: 'directory',
    POOLED_CELL_NAME: DEMO_POOLED_CELL,
    POOLED_CELL_URL: `http://127.0.0.1:${ports.get(DEMO_POOLED_CELL)}`,
    LOG_LEVEL: 'warn',
  };
  delete cpEnv.REDIS_URL;
  delete cpEnv.TENANCY_MODE;
  await runScript('the directory migration', [join(CP_DIST, 'scripts/migrate.js')], cpEnv);
  await runScript('demo-directory.js register', [join(CP_DIST, 'scripts/demo-directory.js'), 'register'], cpEnv);
  const controlPlane = new ChildServer({ name: 'control-plane', args: [join(CP_DIST, 'src/main.js')], env: cpEnv });
  undo.push('stopping the control plane', () => controlPlane.stop());
  const platform = new HttpClient(cpPort, { headers: { host: `app.localhost:${cpPort}` } });
  undo.push('closing a client', () => platform.close());
  await controlPlane.waitReady(platform);
  const tokens = JSON.parse(await runScript('demo-directory.js tokens', [join(CP_DIST, 'scripts/demo-directory.js'), 'tokens'], cpEnv));
  const owner = tokens.find((t) => t.slug === chain.slug);
  if (!owner) throw new BenchError(`the copied directory has no demo token for ${chain.slug}`);

  const standIn = new KubeletStandIn({ api, runLabel, ports, databaseUrl: urls.app });
  standIn.start();
  undo.push('stopping the cell API processes', () => standIn.stop());
  // Before the operator goes: with it stopped nothing puts a finalizer back.
  undo.push('deleting the Tenants, Cells and cell namespaces', () => removeRunObjects(api, runLabel));

  const tenants = new ObjectWatch(api, `/apis/${GROUP}/${VERSION}/tenants`, runLabel);
  const cells = new ObjectWatch(api, `/apis/${GROUP}/${VERSION}/cells`, runLabel);
  await Promise.all([tenants.start(), cells.start()]);
  undo.push('stopping the watches', () => {
    tenants.stop();
    cells.stop();
  });

  const operatorLog = join(LOCAL_DIR, `log/bench-operator-${run}.log`);
  mkdirSync(join(LOCAL_DIR, 'log'), { recursive: true });
  const logFile = createWriteStream(operatorLog);
  const operatorProblems = new Map();
  const operator = new ChildServer({
    name: 'operator',
    args: [OPERATOR_MAIN],
    env: {
      ...process.env,
      OPERATOR_NAMESPACE: namespace,
      POD_NAME: `bench-${run}`,
      KUBECONFIG,
      DIRECTORY_DATABASE_URL: urls.control,
      DIRECTORY_SCHEMA: 'directory',
      MANAGED_SELECTOR: runLabel,
      POOLED_CELL_PREFIX: templatePrefix,
      POOLED_CELL_SECRET: 'cell-database',
      PROMOTION_GRACE_SECONDS: '0',
      CELL_ENDPOINTS: JSON.stringify(Object.fromEntries([...ports].map(([name, port]) => [name, `http://127.0.0.1:${port}`]))),
      CELL_AUTH_JWKS_URL: `http://127.0.0.1:${cpPort}/.well-known/jwks.json`,
      METRICS_PORT: String(metricsPort),
      LOG_LEVEL: settings.operatorLogLevel,
    },
    // Every line to the log file; warnings and errors counted, the first few echoed.
    onLine: (line) => {
      logFile.write(`${line}\n`);
      let entry;
      try {
        entry = JSON.parse(line);
      } catch {
        return false;
      }
      if ((entry.level ?? 0) < 40) return true;
      const key = `${entry.msg}${entry.err?.message ? `: ${entry.err.message.split('\n')[0].slice(0, 300)}` : ''}`;
      operatorProblems.set(key, (operatorProblems.get(key) ?? 0) + 1);
      return operatorProblems.get(key) > 3;
    },
  });
  undo.push('stopping the operator', async () => {
    await operator.stop();
    // A SIGTERM'd operator should hand its lease over and exit 0: recorded, and said when not.
    results.environment.operatorExitOnStop = operator.exited;
    if (operator.exited && operator.exited.code !== 0)
      log(`operator: exited with ${JSON.stringify(operator.exited)} on SIGTERM (see the end of ${relative(REPO_ROOT, operatorLog)})`);
    await new Promise((resolve) => logFile.end(resolve));
  });
  log(
    `operator: pid ${operator.pid}, namespace ${namespace}, label ${runLabel}, database ${copyName}; its log: ${relative(REPO_ROOT, operatorLog)}`,
  );
  const apply = (manifest) =>
    mustKubectl('kubectl apply', ['apply', '--server-side', '--field-manager=bench', '-f', '-'], JSON.stringify(manifest));
  const tenantManifest = (name, spec, extraLabels = {}) => ({
    apiVersion: API_VERSION,
    kind: 'Tenant',
    metadata: { name, labels: { ...labels, ...extraLabels } },
    spec,
  });

  // Adopt the demo pooled cell (its schema is the copy's cell_pooled: migrating it is a
  // no-op) and the chain, found by slug in the directory with its existing route.
  log(`operator: adopting the demo pooled cell ${DEMO_POOLED_CELL} and tenant ${chain.slug}…`);
  await apply({
    apiVersion: API_VERSION,
    kind: 'Cell',
    metadata: { name: DEMO_POOLED_CELL, labels },
    spec: {
      mode: 'pooled',
      version: '0.1.0',
      capacity: { maxTenants: 1000 },
      database: { secretName: 'cell-database', schema: 'cell_pooled' },
    },
  });
  await cells.until(`cell ${DEMO_POOLED_CELL} Ready`, (all) => conditionTrue(all.get(DEMO_POOLED_CELL), 'Ready'), timeoutMs);
  await apply(tenantManifest(chain.slug, { displayName: chain.name, plan: 'pooled' }));
  const adopted = await tenants.until(
    `tenant ${chain.slug} Active in ${DEMO_POOLED_CELL}`,
    (all) => tenantActive(all.get(chain.slug), DEMO_POOLED_CELL) && all.get(chain.slug),
    timeoutMs,
  );
  if (adopted.status.tenantId !== chain.id)
    throw new BenchError(
      `tenant ${chain.slug} got id ${adopted.status.tenantId}, not the demo's ${chain.id}: the directory entry was not found by slug`,
    );

  // CPU per party while each figure is taken; the cells started during a measurement (the
  // dedicated ones) are not in the list: their share shows up as "other".
  const apiServerPid = Number(readFileSync(join(LOCAL_DIR, 'k8s/k8s-harness.pid'), 'utf8').trim()) || null;
  const parties = () => ({
    operator: () => operator.pid,
    apiServer: () => apiServerPid,
    controlPlane: () => controlPlane.pid,
    cells: () => standIn.pids(),
  });
  Object.assign(results.environment, {
    namespace,
    database: copyName,
    copySeconds: copy.copySeconds,
    operatorLog: relative(REPO_ROOT, operatorLog),
    chain: chain.slug,
  });

  // 1. A dedicated Tenant from nothing to Ready.
  log(`operator: 1/3 kubectl apply of dedicated tenant ${dedicatedName} → Ready…`);
  let metricsBefore = await operatorMetrics(metricsPort);
  const dedicatedStart = epochMs();
  await apply(tenantManifest(dedicatedName, { displayName: `Quán riêng ${run} (bench)`, plan: 'dedicated' }));
  const appliedAt = epochMs();
  const cellReady = cells.until(
    `cell ${dedicatedName} Ready`,
    (all) => conditionTrue(all.get(dedicatedName), 'Ready') && epochMs(),
    timeoutMs,
  );
  cellReady.catch(() => undefined); // awaited below, unless the tenant's wait fails first
  await tenants.until(`tenant ${dedicatedName} Ready`, (all) => tenantActive(all.get(dedicatedName), dedicatedName), timeoutMs);
  const dedicatedReadyAt = epochMs();
  results.dedicatedTenant = {
    name: dedicatedName,
    seconds: seconds(dedicatedReadyAt - dedicatedStart),
    kubectlApplySeconds: seconds(appliedAt - dedicatedStart),
    cellReadySeconds: seconds((await cellReady) - dedicatedStart),
    cellStart: standIn.timeline(dedicatedName, dedicatedStart),
    reconciles: metricsDelta(metricsBefore, await operatorMetrics(metricsPort)),
  };
  log(`operator: ${dedicatedName} Ready after ${results.dedicatedTenant.seconds} s`);

  // 2. The chain promoted while a client keeps selling.
  const promotion = await withCpuTracked(parties(), () =>
    measurePromotion({ settings, chain, cpPort, owner, urls, tenants, cells, apply, tenantManifest, metricsPort, standIn, timeoutMs }),
  );
  results.promotion = { ...promotion.result, cpu: promotion.cpu };

  // 3. Many pooled Tenants at once.
  log(`operator: 3/3 ${settings.tenants} pooled tenants in one kubectl apply…`);
  metricsBefore = await operatorMetrics(metricsPort);
  const bulk = await withCpuTracked(parties(), () => measureBulk({ settings, run, labels, tenants, timeoutMs }));
  results.bulk = { ...bulk.result, cpu: bulk.cpu };
  results.bulk.reconciles = metricsDelta(metricsBefore, await operatorMetrics(metricsPort));

  results.environment.operatorProblems = Object.fromEntries(operatorProblems);
  results.environment.standInErrors = standIn.errors;
  results.environment.phaseSeconds = seconds(epochMs() - phaseStartedAt);
  return results;
}

/**
 * Plan pooled → dedicated with a client selling through the router the whole time. The
 * route switch is timed by the directory itself: the bench LISTENs for `route_changed` on
 * the copy and reads the route's `updated_at` (the switching transaction's start) on each.
 */
async function measurePromotion({
  settings,
  chain,
  cpPort,
  owner,
  urls,
  tenants,
  cells,
  apply,
  tenantManifest,
  metricsPort,
  standIn,
  timeoutMs,
}) {
  log(`operator: 2/3 promoting ${chain.slug} to a dedicated cell while a client sells through the router…`);
  const routes = [];
  const listener = new pg.Client({
    connectionString: urls.control,
    application_name: 'localstore-bench:operator-routes',
    options: '-c search_path=directory',
  });
  await listener.connect();
  const ownerDb = new pg.Pool({ connectionString: urls.owner, max: 3, application_name: 'localstore-bench:operator-check' });
  const client = new HttpClient(cpPort, { headers: { authorization: `Bearer ${owner.token}`, host: `${chain.slug}.localhost:${cpPort}` } });
  let seller;
  try {
    const readRoute = async () => {
      const { rows } = await listener.query(
        `SELECT cell_name, state, (extract(epoch FROM updated_at) * 1000)::float8 AS at FROM routes WHERE tenant_id = $1`,
        [chain.id],
      );
      const route = rows[0];
      const last = routes[routes.length - 1];
      if (route && (!last || last.cell !== route.cell_name || last.state !== route.state))
        routes.push({ cell: route.cell_name, state: route.state, at: route.at, seenAt: epochMs() });
    };
    listener.on('notification', (message) => {
      if (message.payload === chain.id) readRoute().catch(() => undefined);
    });
    await listener.query('LISTEN route_changed');
    await readRoute();

    // The menu through the router: the first request of the phase there, so it also checks
    // that the router serves the adopted tenant.
    let menu;
    const askedAt = epochMs();
    for (;;) {
      menu = await client.postJson('/graphql', { query: MENU, variables: {} });
      if (menu.status === 200 || epochMs() - askedAt > 15_000) break;
      await sleep(200);
    }
    if (menu.status === 200 && epochMs() - askedAt > 500)
      log(`operator: the router served ${chain.slug} only after ${seconds(epochMs() - askedAt)} s`);
    const itemIds = (menu.body?.data?.menu ?? [])
      .filter((item) => item.active)
      .map((item) => item.id)
      .slice(0, 5);
    if (itemIds.length === 0) {
      const { rows } = await listener.query(
        `SELECT t.slug, t.status, r.cell_name, r.state, r.updated_at, c.endpoint FROM tenants t LEFT JOIN routes r ON r.tenant_id = t.id LEFT JOIN cells c ON c.name = r.cell_name WHERE t.slug = $1`,
        [chain.slug],
      );
      throw new BenchError(
        `reading the menu of ${chain.slug} through the router answered ${menu.status} ${JSON.stringify(menu.body).slice(0, 300)}; the directory says ${JSON.stringify(rows)}`,
      );
    }
    const countOrders = async (schema) => {
      const db = await ownerDb.connect();
      try {
        await db.query(`BEGIN; SELECT set_config('app.tenant_id', '${chain.id}', true)`);
        const { rows } = await db.query(`SELECT count(*)::int AS n FROM "${schema}".orders`);
        await db.query('COMMIT');
        return rows[0].n;
      } finally {
        db.release();
      }
    };
    const ordersBefore = await countOrders('cell_pooled');

    seller = new Seller({ client, locationId: chain.locations[0].id, itemIds, retryCapMs: settings.retryCapMs });
    seller.start();
    await sleep(2_000); // selling before the move: the baseline
    if (seller.acks.length === 0)
      throw new BenchError(
        `no sale acknowledged through the router before the move: ${seller.errors.slice(0, 3).join('; ') || 'no answer'}`,
      );

    const steps = new Map();
    let lastMigration = null;
    const stopWatching = tenants.listen((type, tenant, at) => {
      const migration = tenant.metadata.name === chain.slug ? tenant.status?.migration : undefined;
      if (migration) lastMigration = migration;
      if (migration?.step && !steps.has(migration.step)) steps.set(migration.step, at);
    });
    const sampler = new StatementSampler(ownerDb, new URL(urls.owner).pathname.slice(1), () => lastMigration?.step);
    sampler.start();
    const metricsBefore = await operatorMetrics(metricsPort);
    const startedAt = epochMs();
    await apply(tenantManifest(chain.slug, { displayName: chain.name, plan: 'dedicated' }));
    const switched = await waitFor(
      `the route of ${chain.slug} to switch`,
      () => routes.find((r) => r.cell === chain.slug && r.state === 'active'),
      timeoutMs,
    );
    log(
      `operator: ${chain.slug} switched to its dedicated cell after ${seconds(switched.at - startedAt)} s; waiting for the clean-up of the pooled copy…`,
    );
    // Selling goes on a little past the switch: the first sales the dedicated cell takes.
    const acksAtSwitch = seller.acks.length;
    while (epochMs() - switched.seenAt < 2_000 || seller.acks.length < acksAtSwitch + 20) {
      if (epochMs() - switched.seenAt > 30_000) break;
      await sleep(100);
    }
    await seller.stop();
    const stoppedAt = epochMs();
    let cleanedAt = null;
    try {
      await tenants.until(
        `tenant ${chain.slug} Active in its dedicated cell`,
        (all) => tenantActive(all.get(chain.slug), chain.slug),
        timeoutMs,
      );
      cleanedAt = epochMs();
    } catch (error) {
      log(`operator: ${error.message}; the figures before it stand`);
    }
    stopWatching();
    await sampler.stop();
    const metricsAfter = await operatorMetrics(metricsPort);

    // Every acknowledged sale in the dedicated schema, once; none lost, none twice.
    const cell = cells.objects.get(chain.slug);
    const dedicatedSchema = cell?.spec?.database?.schema ?? `cell_${chain.slug.replace(/-/g, '_')}`;
    const ids = seller.acks.map((a) => a.id);
    const db = await ownerDb.connect();
    let found;
    try {
      await db.query(`BEGIN; SELECT set_config('app.tenant_id', '${chain.id}', true)`);
      found = (
        await db.query(
          `SELECT count(*)::int AS n, count(DISTINCT id)::int AS distinct FROM "${dedicatedSchema}".orders WHERE id = ANY($1::uuid[])`,
          [ids],
        )
      ).rows[0];
      await db.query('COMMIT');
    } finally {
      db.release();
    }
    const ordersAfter = await countOrders(dedicatedSchema);
    const leftInPooled = cleanedAt ? await countOrders('cell_pooled') : null;

    // The pause: the longest gap between two acknowledged sales from the plan change until
    // the first sales after the switch; and how long the sales refused meanwhile waited.
    const acks = seller.acks;
    const inMove = acks.filter((a) => a.ackAt >= startedAt);
    let longestGap = { ms: 0, from: null, to: null };
    for (let i = 1; i < acks.length; i++) {
      if (acks[i].ackAt < startedAt) continue;
      const gap = acks[i].ackAt - acks[i - 1].ackAt;
      if (gap > longestGap.ms) longestGap = { ms: gap, from: acks[i - 1].ackAt, to: acks[i].ackAt };
    }
    const refusedSales = acks.filter((a) => a.retries > 0);
    const refusedMs = refusedSales.reduce((sum, a) => sum + (a.ackAt - a.firstTryAt), 0);
    const refusedBy = {};
    for (const refusal of seller.refusals) refusedBy[refusal.by] = (refusedBy[refusal.by] ?? 0) + 1;
    const draining = routes.find((r) => r.state === 'draining');
    const rel = (at) => (at === null || at === undefined ? null : seconds(at - startedAt));
    const stepTimes = [...PROMOTION_STEPS, 'Done']
      .map((step) => [step, step === 'Done' ? cleanedAt : steps.get(step)])
      .filter(([, at]) => at !== undefined && at !== null);
    const stepDurations = stepTimes.map(([step, at], i) => ({
      step,
      startedAfter: rel(at),
      seconds: i + 1 < stepTimes.length ? seconds(stepTimes[i + 1][1] - at) : null,
    }));
    const rolledBack = steps.has('RollingBack');

    return {
      tenant: chain.slug,
      ordersBefore,
      ordersAfter,
      tablesCopied: lastMigration?.tablesCopied ?? null,
      rowsCopied: lastMigration?.rowsCopied ?? null,
      dedicatedSchema,
      seconds: seconds(switched.at - startedAt),
      switchedAt: rel(switched.at),
      drainingAt: rel(draining?.at),
      routeDrainedSeconds: draining ? seconds(switched.at - draining.at) : null,
      cleanupSeconds: cleanedAt ? seconds(cleanedAt - switched.at) : null,
      steps: stepDurations,
      rolledBack,
      databaseTime: sampler.summary(),
      cellStart: standIn.timeline(chain.slug, startedAt),
      writePauseSeconds: seconds(longestGap.ms),
      writePauseAt: longestGap.from ? [rel(longestGap.from), rel(longestGap.to)] : null,
      writesRefusedSeconds: seconds(refusedMs),
      refusedAttempts: seller.refusals.length,
      refusedBy,
      salesRefusedAtLeastOnce: refusedSales.length,
      acknowledged: acks.length,
      acknowledgedDuringMove: inMove.length,
      saleLatency: summarize(inMove.filter((a) => a.retries === 0).map((a) => a.lastTryMs)),
      saleLatencyBefore: summarize(acks.filter((a) => a.ackAt < startedAt).map((a) => a.lastTryMs)),
      sellingSeconds: seconds(stoppedAt - acks[0].firstTryAt),
      errors: seller.errors.length,
      firstErrors: [...new Set(seller.errors)].slice(0, 3),
      check: {
        acknowledged: ids.length,
        distinctAcknowledged: new Set(ids).size,
        foundInDedicated: found.n,
        foundDistinct: found.distinct,
        ordersExpected: ordersBefore + acks.length,
        ordersInDedicated: ordersAfter,
        leftInPooled,
        pass:
          found.n === ids.length &&
          found.distinct === ids.length &&
          new Set(ids).size === ids.length &&
          ordersAfter === ordersBefore + acks.length,
      },
      reconciles: metricsDelta(metricsBefore, metricsAfter),
    };
  } finally {
    if (seller && !seller.stopping) await seller.stop().catch(() => undefined);
    client.close();
    await listener.end().catch(() => undefined);
    await ownerDb.end().catch(() => undefined);
  }
}

/** `tenants` pooled Tenants in one server-side apply of a v1 List, until every one is Active. */
async function measureBulk({ settings, run, labels, tenants, timeoutMs }) {
  const names = Array.from({ length: settings.tenants }, (_, i) => `bench-${run}-t${String(i + 1).padStart(4, '0')}`);
  const wanted = new Set(names);
  const activeAt = new Map();
  const stop = tenants.listen((type, tenant, at) => {
    const name = tenant.metadata.name;
    if (wanted.has(name) && !activeAt.has(name) && tenantActive(tenant)) activeAt.set(name, at);
  });
  const list = {
    apiVersion: 'v1',
    kind: 'List',
    items: names.map((name, i) => ({
      apiVersion: API_VERSION,
      kind: 'Tenant',
      metadata: { name, labels: { ...labels, 'localstore.vn/bench-set': 'bulk' } },
      spec: { displayName: `Quán thử tải ${i + 1} (bench)`, plan: 'pooled' },
    })),
  };
  const startedAt = epochMs();
  try {
    await mustKubectl('kubectl apply of the tenants', ['apply', '--server-side', '--field-manager=bench', '-f', '-'], JSON.stringify(list));
    const appliedAt = epochMs();
    try {
      await tenants.until(`${names.length} tenants Active`, () => activeAt.size === names.length, timeoutMs);
    } catch (error) {
      log(`operator: ${error.message} (${activeAt.size} were)`);
    }
    const doneAt = activeAt.size === names.length ? Math.max(...activeAt.values()) : null;
    const perTenant = [...activeAt.values()].map((at) => (at - startedAt) / 1000);
    const placedIn = {};
    for (const name of names) {
      const cell = tenants.objects.get(name)?.status?.cell ?? '(none)';
      placedIn[cell] = (placedIn[cell] ?? 0) + 1;
    }
    return {
      tenants: names.length,
      active: activeAt.size,
      seconds: doneAt ? seconds(doneAt - startedAt) : null,
      kubectlApplySeconds: seconds(appliedAt - startedAt),
      tenantsPerSecond: doneAt ? Math.round((names.length / ((doneAt - startedAt) / 1000)) * 10) / 10 : null,
      firstActiveSeconds: perTenant.length ? seconds(Math.min(...perTenant) * 1000) : null,
      applyToActive: summarize(perTenant),
      placedIn,
    };
  } finally {
    stop();
  }
}

// ─── helpers of the phase ───────────────────────────────────────────────────────────────

/** Resolves with `check()`'s value once truthy, polling every `everyMs`. */
async function waitFor(what, check, timeoutMs, everyMs = 20) {
  const deadline = epochMs() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (epochMs() > deadline) throw new BenchError(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(everyMs);
  }
}

function runCommand(what, file, args, timeoutMs) {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (text += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (text += chunk));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.once('error', (error) => reject(new BenchError(`${what} could not run: ${error.message}`)));
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(text);
      else reject(new BenchError(`${what} failed (code ${code}):\n${text.trim().slice(-2_000)}`));
    });
  });
}

/**
 * Cells and Tenants of another run (or of this bench interrupted hard) would be taken over
 * by our apply: refuse, and say how to remove them.
 */
async function refuseLeftovers(api, cellNames) {
  const found = [];
  for (const name of cellNames) {
    if (await api.read(`/apis/${GROUP}/${VERSION}/cells/${name}`)) found.push(`cell/${name}`);
    if (await api.read(`/apis/${GROUP}/${VERSION}/tenants/${name}`)) found.push(`tenant/${name}`);
    if (await api.read(`/api/v1/namespaces/cell-${name}`)) found.push(`namespace/cell-${name}`);
  }
  if (found.length > 0) {
    throw new BenchError(
      `the API server still holds ${found.join(', ')} (another operator bench is running, or one was killed before its clean-up). ` +
        `If none is running: kubectl --kubeconfig .local/k8s/kubeconfig patch <each tenant/cell> --type=merge -p '{"metadata":{"finalizers":null}}', then delete them and the namespaces.`,
    );
  }
}

/**
 * The run's Tenants and Cells (finalizers off first: the operator is stopped and nothing
 * else would remove them), then the cell namespaces the operator made.
 */
async function removeRunObjects(api, runLabel) {
  for (const plural of ['tenants', 'cells']) {
    const path = `/apis/${GROUP}/${VERSION}/${plural}`;
    const { items } = await api.json('GET', `${path}?${new URLSearchParams({ labelSelector: runLabel })}`);
    await inParallel(items, 16, async (object) => {
      if (object.metadata.finalizers?.length)
        await api.request('PATCH', `${path}/${object.metadata.name}`, { metadata: { finalizers: null } }, 'application/merge-patch+json');
    });
    await mustKubectl(`deleting the ${plural}`, ['delete', plural, '-l', runLabel, '--wait=false', '--ignore-not-found']);
  }
  const { items } = await api.json('GET', `/api/v1/namespaces?${new URLSearchParams({ labelSelector: runLabel })}`);
  await removeNamespaces(
    api,
    items.map((ns) => ns.metadata.name),
  );
}

/**
 * Namespaces, emptied first: without a controller manager nothing deletes what is in a
 * namespace being deleted, or finalizes it, so it would stay `Terminating` for good.
 */
async function removeNamespaces(api, names) {
  const kinds =
    'deployments,services,secrets,serviceaccounts,horizontalpodautoscalers,poddisruptionbudgets,networkpolicies,servicemonitors,leases,events,configmaps';
  for (const name of names) {
    await kubectl(['-n', name, 'delete', kinds, '--all', '--wait=false', '--ignore-not-found']);
    await kubectl(['delete', 'namespace', name, '--wait=false', '--ignore-not-found']);
    const ns = await api.read(`/api/v1/namespaces/${name}`);
    if (ns) {
      ns.spec = { ...ns.spec, finalizers: [] };
      await api.request('PUT', `/api/v1/namespaces/${name}/finalize`, ns);
    }
  }
}

async function inParallel(items, limit, work) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

/** Reconcile passes and their time so far, per kind and outcome, from the operator's /metrics. */
async function operatorMetrics(port) {
  const text = await new Promise((resolve) => {
    http
      .get({ host: '127.0.0.1', port, path: '/metrics' }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve(body));
      })
      .on('error', () => resolve(''));
  });
  const figures = {};
  for (const line of text.split('\n')) {
    let match = /^operator_reconciles_total\{kind="(\w+)",outcome="(\w+)"\} (\S+)/.exec(line);
    if (match) {
      figures[match[1]] ??= {};
      figures[match[1]][match[2]] = Number(match[3]);
      continue;
    }
    match = /^operator_reconcile_seconds_sum\{kind="(\w+)"\} (\S+)/.exec(line);
    if (match) {
      figures[match[1]] ??= {};
      figures[match[1]].seconds = Number(match[2]);
    }
  }
  return figures;
}

function metricsDelta(before, after) {
  const delta = {};
  for (const kind of Object.keys(after)) {
    const was = before[kind] ?? {};
    const now = after[kind];
    delta[kind] = {
      ok: (now.ok ?? 0) - (was.ok ?? 0),
      error: (now.error ?? 0) - (was.error ?? 0),
      seconds: Math.round(((now.seconds ?? 0) - (was.seconds ?? 0)) * 100) / 100,
    };
  }
  return delta;
}

// ─── report ─────────────────────────────────────────────────────────────────────────────

/** PASS/MISS per target; an unmeasured figure misses. */
export function operatorVerdicts(r) {
  if (!r || r.skipped) return {};
  const check = (value, target) => ({ value, target, pass: value !== null && value !== undefined && value < target });
  return {
    dedicatedTenantReady: check(r.dedicatedTenant.seconds, OPERATOR_TARGETS.dedicatedTenantReadySeconds),
    promotion: check(r.promotion.seconds, OPERATOR_TARGETS.promotionSeconds),
    writePause: check(r.promotion.writePauseSeconds, OPERATOR_TARGETS.writePauseSeconds),
  };
}

/** Whether the phase saw something wrong, not only slow: a lost or doubled sale, a failed request. */
export function operatorFailures(r) {
  if (!r || r.skipped) return [];
  const problems = [];
  if (!r.promotion.check.pass) problems.push(`acknowledged sales and the dedicated cell disagree: ${JSON.stringify(r.promotion.check)}`);
  if (r.promotion.errors > 0) problems.push(`${r.promotion.errors} sale(s) failed: ${r.promotion.firstErrors.join('; ')}`);
  if (r.promotion.rolledBack) problems.push('the promotion rolled back');
  if (r.bulk.active < r.bulk.tenants) problems.push(`only ${r.bulk.active} of ${r.bulk.tenants} tenants became Active`);
  return problems;
}

const sec = (x) => (x === null || x === undefined ? '—' : `${x.toFixed(2)} s`);
const msf = (x) => (Number.isFinite(x) ? x.toFixed(2) : '—');

const reconcileText = (delta) =>
  Object.entries(delta ?? {})
    .map(([kind, d]) => `${kind} ${d.ok}${d.error ? ` (+${d.error} failed)` : ''} in ${d.seconds} s`)
    .join(', ');

export function printOperatorReport(r) {
  out('');
  if (r.skipped) {
    out(`operator: SKIPPED — ${r.skipped}`);
    return;
  }
  const v = operatorVerdicts(r);
  const { dedicatedTenant: d, promotion: p, bulk: b } = r;
  const rows = [];
  const single = (label, value, target = '', result = '', n = '') => rows.push([label, String(n), '', value, '', target, result]);
  const latency = (label, s) => rows.push([label, String(s.n), msf(s.p50), msf(s.p95), msf(s.p99), '', '']);
  single(
    `kubectl apply → Ready, dedicated tenant`,
    sec(d.seconds),
    `< ${OPERATOR_TARGETS.dedicatedTenantReadySeconds} s`,
    mark(v.dedicatedTenantReady),
    1,
  );
  const start = d.cellStart ?? {};
  single('  its Cell Ready after', sec(d.cellReadySeconds));
  single('  cell process started / readiness probe OK after', `${sec(start.processStarted)} / ${sec(start.readinessProbeOk)}`);
  single(
    `promotion of ${p.tenant} (${p.ordersBefore.toLocaleString('en')} orders): plan change → route switch`,
    sec(p.seconds),
    `< ${OPERATOR_TARGETS.promotionSeconds} s`,
    mark(v.promotion),
    1,
  );
  for (const step of p.steps) {
    if (step.step === 'Done') continue; // the clean-up's end: its own row below
    single(`  step ${step.step} (from +${sec(step.startedAfter)})`, sec(step.seconds));
  }
  single(
    '  write pause: longest gap between acknowledged sales',
    sec(p.writePauseSeconds),
    `< ${OPERATOR_TARGETS.writePauseSeconds} s`,
    mark(v.writePause),
  );
  single('  writes refused (first refusal → acknowledgement)', `${sec(p.writesRefusedSeconds)}, ${p.refusedAttempts} retries`);
  single('  route draining → switched (directory)', sec(p.routeDrainedSeconds));
  latency('  recordSale via the router during the move (not refused)', p.saleLatency);
  latency('  recordSale via the router before the move', p.saleLatencyBefore);
  single(
    '  sales acknowledged (during the move) / found in the dedicated cell once',
    `${p.acknowledged} (${p.acknowledgedDuringMove}) / ${p.check.pass ? 'all' : 'NOT all'}`,
    '',
    p.check.pass ? 'PASS' : 'FAIL',
    p.acknowledged,
  );
  single(`  clean-up of the pooled copy after the switch`, sec(p.cleanupSeconds));
  single(`${b.tenants} pooled tenants, one kubectl apply → all Active`, sec(b.seconds), 'none given', '', b.tenants);
  single('  throughput', b.tenantsPerSecond === null ? '—' : `${b.tenantsPerSecond} tenants/s`);
  single('  kubectl apply returned after / first tenant Active after', `${sec(b.kubectlApplySeconds)} / ${sec(b.firstActiveSeconds)}`);
  rows.push([
    '  apply → Active per tenant (s)',
    String(b.applyToActive.n),
    msf(b.applyToActive.p50),
    msf(b.applyToActive.p95),
    msf(b.applyToActive.p99),
    '',
    '',
  ]);

  const e = r.environment;
  out(
    `operator: on a copy of the demo database (${e.database}, copied in ${e.copySeconds} s, dropped afterwards), the operator as a process, ` +
      `a kubelet stand-in polling every ${STAND_IN_POLL_MS} ms, the control plane's router; run ${e.run}, ${e.phaseSeconds} s in all`,
  );
  out('');
  printTable(rows);
  out('');
  out(
    `promotion: refused by ${
      Object.entries(p.refusedBy)
        .map(([by, n]) => `${by} ×${n}`)
        .join(', ') || 'no one'
    }; the route drained at +${sec(p.drainingAt)} and switched at +${sec(p.switchedAt)}; ` +
      `${p.check.ordersInDedicated.toLocaleString('en')} orders in ${p.dedicatedSchema} (expected ${p.check.ordersExpected.toLocaleString('en')})` +
      `${p.check.leftInPooled === null ? '' : `, ${p.check.leftInPooled} left in the pooled cell`}.`,
  );
  const cpuText = (cpu) =>
    cpu
      ? `${Object.entries(cpu)
          .filter(([k]) => k !== 'machinePercent')
          .map(([k, x]) => `${k} ${x}%`)
          .join(', ')}; machine ${cpu.machinePercent}%`
      : 'not measured';
  out(
    `promotion: ${p.rowsCopied === null ? '' : `${p.rowsCopied.toLocaleString('en')} rows in ${p.tablesCopied} tables copied; `}CPU (% of one core, from the plan change to the end of the clean-up) ${cpuText(p.cpu)}`,
  );
  out("promotion, database time of the operator's statements by step (sampled every 200 ms; several run at once while verifying):");
  for (const [step, figures] of Object.entries(p.databaseTime ?? {})) {
    const statements = Object.entries(figures.statements)
      .map(([what, s]) => `${what} ${s} s`)
      .join(', ');
    const waits = Object.entries(figures.waits)
      .map(([wait, share]) => `${wait} ${share}%`)
      .join(', ');
    if (statements) out(`  ${step}: ${statements} (waiting: ${waits})`);
  }
  out(`${b.tenants} tenants: CPU (% of one core) ${cpuText(b.cpu)}`);
  out(
    `reconciles: dedicated tenant ${reconcileText(d.reconciles)}; promotion ${reconcileText(p.reconciles)}; ${b.tenants} tenants ${reconcileText(b.reconciles)}; placed in ${Object.entries(
      b.placedIn,
    )
      .map(([c, n]) => `${c} ×${n}`)
      .join(', ')}.`,
  );
  const problems = Object.entries(e.operatorProblems ?? {});
  if (problems.length > 0)
    out(
      `operator warnings/errors: ${problems
        .slice(0, 5)
        .map(([msg, n]) => `${n} × ${msg}`)
        .join('; ')} (see ${e.operatorLog})`,
    );
  const exit = e.operatorExitOnStop;
  if (exit && exit.code !== 0)
    out(`operator process: exited with ${exit.code ?? exit.signal} on SIGTERM, not 0 (see the end of ${e.operatorLog}).`);
  const disturbed = [
    ['promotion', p.cpu],
    [`${b.tenants} tenants`, b.cpu],
  ]
    .filter(([, cpu]) => cpu && cpu.other > 25)
    .map(([name]) => name);
  if (disturbed.length > 0 || (e.machineBusyBeforeStartPercent ?? 0) > 20) {
    out(
      `WARNING: other work was running (${disturbed.join(', ') || 'before the phase'}): these figures are disturbed, run again on a quiet machine.`,
    );
  }
  for (const problem of operatorFailures(r)) out(`PROBLEM: ${problem}`);
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
      log(`${signal}: stopping what the operator phase started and dropping its database copy`);
      cleanUp().finally(() => process.exit(130));
    });
  }
  try {
    const settings = readOperatorSettings(process.env);
    const busy = await waitForQuietMachine(settings.quietWaitSeconds);
    const results = await measureOperator({ settings, cleanup: undoSteps });
    await cleanUp();
    if (!results.skipped) results.environment.machineBusyBeforeStartPercent = busy;
    printOperatorReport(results);
    const verdicts = operatorVerdicts(results);
    const failures = operatorFailures(results);
    out(
      JSON.stringify({
        bench: 'localstore-operator',
        at: new Date().toISOString(),
        targets: OPERATOR_TARGETS,
        operator: results,
        verdicts,
        failures,
        pass: !results.skipped && failures.length === 0 && Object.values(verdicts).every((c) => c.pass),
      }),
    );
    if (results.skipped) process.exitCode = 2;
    else if (failures.length > 0) process.exitCode = 1;
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
