// What every phase of `make bench` shares: percentiles, CPU accounting from /proc, the wait
// for a quiet machine, child processes of the repo's compiled servers, and a keep-alive
// HTTP client that times GraphQL and JSON calls. See bench/README.md.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A condition that stops the bench with a message, not a stack trace. */
export class BenchError extends Error {}

export const out = (text) => process.stdout.write(`${text}\n`);
export const log = (text) => process.stderr.write(`[bench] ${text}\n`);

/**
 * `int(name, fallback, min, max)` over `env`: a whole number within bounds, or the fallback
 * with the problem added to `problems` (a bench refuses to start naming every bad variable).
 */
export function wholeNumberReader(env, problems) {
  return (name, fallback, min, max) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name}="${raw}" must be a whole number from ${min} to ${max}`);
      return fallback;
    }
    return value;
  };
}

export const mark = (check) => (check.pass ? 'PASS' : 'MISS');

/** The table every phase prints: figure, n, p50, p95, p99, target, result. */
export function printTable(rows) {
  const header = ['figure (ms unless said)', 'n', 'p50', 'p95', 'p99', 'target', 'result'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 || i === 5 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  out(line(header));
  out(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const row of rows) out(line(row));
}

/**
 * CPU per series, in percent of one core, one column per party (the keys of `withCpu`'s
 * result); returns the series during which other work used more than a quarter of a core.
 */
export function printCpu(title, phases) {
  out(title);
  const cols = Object.keys(phases[0][1]).filter((k) => k !== 'machinePercent');
  const label = (k) => (k === 'controlPlane' ? 'ctl plane' : k);
  out(`  ${'phase'.padEnd(26)}${cols.map((c) => label(c).padStart(10)).join('')}  machine`);
  for (const [name, c] of phases) out(`  ${name.padEnd(26)}${cols.map((k) => `${c[k]}%`.padStart(10)).join('')}  ${c.machinePercent}%`);
  return phases.filter(([, c]) => c.other > 25).map(([name]) => name);
}

// ─── measuring ──────────────────────────────────────────────────────────────────────────

export const nowMs = () => performance.now();

/** Epoch milliseconds, sub-millisecond: the same clock on every thread (nowMs() counts from each thread's start). */
export const epochMs = () => performance.timeOrigin + performance.now();

/** Nearest-rank percentile of ascending-sorted samples. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** n, p50, p95, p99 and max of samples, rounded to `decimals`. */
export function summarize(samples, decimals = 3) {
  const sorted = Float64Array.from(samples).sort();
  const scale = 10 ** decimals;
  const round = (x) => Math.round(x * scale) / scale;
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted[sorted.length - 1] ?? NaN),
  };
}

const CLOCK_TICKS = 100; // USER_HZ on every Linux this runs on

/** User + system CPU seconds from the text of /proc/<pid>/stat. */
function cpuSecondsOfStat(text) {
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/**
 * CPU seconds used so far by each of `processes` (name → pid: the cell, the control plane),
 * this process, every PostgreSQL process and the whole machine, from /proc (Linux only; null
 * elsewhere). The machine is shared: what is left over is other work, and a large share of
 * it means the figures are disturbed.
 */
function cpuSnapshot(processes) {
  try {
    const postgres = new Map();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
        if (text.includes(' (postgres) ')) postgres.set(entry, cpuSecondsOfStat(text));
      } catch {
        // The process ended while we looked.
      }
    }
    const own = {};
    for (const [name, pid] of Object.entries(processes)) {
      try {
        own[name] = pid ? cpuSecondsOfStat(readFileSync(`/proc/${pid}/stat`, 'utf8')) : 0;
      } catch {
        own[name] = null; // it exited: its share shows up as "other"
      }
    }
    const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
    const self = process.cpuUsage();
    return {
      processes: own,
      client: (self.user + self.system) / 1e6,
      postgres,
      machine: (ticks.reduce((a, b) => a + b, 0) - ticks[3] - ticks[4]) / CLOCK_TICKS,
      at: nowMs(),
    };
  } catch {
    return null;
  }
}

/**
 * Percent of one core each party used between two snapshots (one key per watched process,
 * then `client`, `postgres`, `other`); `machinePercent` is of all cores.
 */
function cpuUsage(before, after) {
  if (!before || !after) return null;
  const wall = (after.at - before.at) / 1000;
  const percent = (seconds) => Math.max(0, Math.round((seconds / wall) * 100));
  // Per process, so a backend that started meanwhile counts from zero; one that ended
  // meanwhile is lost and its share shows up as "other".
  let postgresSeconds = 0;
  for (const [pid, seconds] of after.postgres) postgresSeconds += seconds - (before.postgres.get(pid) ?? 0);
  const usage = {};
  let accounted = postgresSeconds + (after.client - before.client);
  for (const name of Object.keys(after.processes)) {
    const seconds = after.processes[name] === null || before.processes[name] === null ? 0 : after.processes[name] - before.processes[name];
    usage[name] = percent(seconds);
    accounted += seconds;
  }
  const machineSeconds = after.machine - before.machine;
  return {
    ...usage,
    client: percent(after.client - before.client),
    postgres: percent(postgresSeconds),
    /** Busy time no process above accounts for: other work on the machine. */
    other: percent(machineSeconds - accounted),
    machinePercent: percent(machineSeconds / os.cpus().length),
  };
}

/** Runs `work` and returns its result with the CPU each party (`processes`: name → pid) used meanwhile. */
export async function withCpu(processes, work) {
  const before = cpuSnapshot(processes);
  const result = await work();
  return { result, cpu: cpuUsage(before, cpuSnapshot(processes)) };
}

/**
 * The machine is shared (tests, seeds, builds): before adding anything, wait a bounded
 * time for it to be mostly idle, and return how busy it was in the last second (percent).
 */
export async function waitForQuietMachine(maxSeconds) {
  const QUIET_PERCENT = 20;
  const deadline = nowMs() + maxSeconds * 1000;
  let busy = null;
  do {
    const { cpu } = await withCpu({}, () => new Promise((resolve) => setTimeout(resolve, 1_000)));
    busy = cpu?.machinePercent ?? null;
    if (busy === null || busy < QUIET_PERCENT) return busy;
    log(`the machine is ${busy}% busy with other work; waiting for it to settle…`);
  } while (nowMs() < deadline);
  log(`still ${busy}% busy after ${maxSeconds} s: measuring anyway, the figures will be disturbed`);
  return busy;
}

/** Unmeasured calls, bounded by count and time. */
export async function warmUp(count, maxSeconds, call) {
  const deadline = nowMs() + maxSeconds * 1000;
  for (let i = 0; i < count && nowMs() < deadline; i++) await call(i);
}

// ─── child processes ────────────────────────────────────────────────────────────────────

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * One of the repo's compiled servers as a child process. Each line it prints goes to
 * `onLine` first; lines it does not take go to our stderr, prefixed with `[name]`.
 */
export class ChildServer {
  constructor({ name, args, env, stopSignal = 'SIGTERM', onLine = () => false }) {
    this.name = name;
    this.stopSignal = stopSignal;
    this.exited = null;
    this.stopping = false;
    this.child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    // Last resort when the bench dies without its clean-up (an uncaught error): no server
    // outlives it. `exit` handlers run synchronously, so a plain kill is all there is time for.
    const killOnExit = () => this.child.kill('SIGKILL');
    process.once('exit', killOnExit);
    this.child.once('exit', () => process.off('exit', killOnExit));
    this.exitedPromise = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exited = { code, signal };
        if (!this.stopping) log(`the ${name} exited unexpectedly (code ${code}, signal ${signal}); see [${name}] lines above`);
        resolve(this.exited);
      });
    });
    for (const stream of [this.child.stdout, this.child.stderr]) {
      let rest = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop();
        for (const line of lines) if (line.trim() && !onLine(line)) process.stderr.write(`[${name}] ${line}\n`);
      });
    }
  }

  get pid() {
    return this.child.pid;
  }

  /** Polls `path` (200 = ready) with `client`, bounded; fails early when the process exits. */
  async waitReady(client, path = '/readyz', timeoutMs = 30_000) {
    const deadline = nowMs() + timeoutMs;
    let last = 'no answer';
    while (nowMs() < deadline) {
      if (this.exited)
        throw new BenchError(`the ${this.name} exited during start-up (${JSON.stringify(this.exited)}); see [${this.name}] lines above`);
      try {
        const { status, body } = await client.get(path);
        if (status === 200) return;
        last = `${status} ${JSON.stringify(body)}`;
      } catch (error) {
        last = error.message;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new BenchError(`the ${this.name} was not ready within ${timeoutMs / 1000} s (last: ${last})`);
  }

  /** Stops the process and waits (bounded) for it to go; safe to call more than once. */
  async stop() {
    if (this.exited || !this.child.pid) return;
    this.stopping = true;
    this.child.kill(this.stopSignal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.exitedPromise;
    clearTimeout(timer);
  }
}

/** Runs a compiled script to completion (bounded), returning its stdout; its stderr is passed on. */
export function runScript(name, args, env, timeoutMs = 120_000) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new BenchError(`${name} could not run: ${error.message}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else reject(new BenchError(`${name} failed (code ${code}, signal ${signal}):\n${(stderr || stdout).trim().slice(0, 2_000)}`));
    });
  });
}

// ─── HTTP ───────────────────────────────────────────────────────────────────────────────

/**
 * JSON and GraphQL over keep-alive HTTP/1.1 to a server on loopback. `headers` go with every
 * request: the token, and `X-Tenant` (straight to a cell) or a `Host` (through the router).
 */
export class HttpClient {
  constructor(port, { headers = {}, maxSockets = 1 } = {}) {
    this.port = port;
    this.agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
    this.headers = { 'content-type': 'application/json', ...headers };
  }

  /** One request; resolves with the status, the headers and the parsed body. */
  request(method, path, payload, extraHeaders = {}) {
    return new Promise((resolve, reject) => {
      const body = payload === undefined ? undefined : JSON.stringify(payload);
      const req = http.request(
        {
          host: '127.0.0.1',
          port: this.port,
          method,
          path,
          agent: this.agent,
          headers: { ...this.headers, ...extraHeaders, ...(body ? { 'content-length': Buffer.byteLength(body) } : {}) },
        },
        (res) => {
          const chunks = [];
          res.on('data', (chunk) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed;
            try {
              parsed = JSON.parse(text);
            } catch {
              parsed = { unparsable: text.slice(0, 200) };
            }
            resolve({ status: res.statusCode, headers: res.headers, body: parsed });
          });
          res.on('error', reject);
        },
      );
      req.setTimeout(30_000, () => req.destroy(new Error('no answer within 30 s')));
      req.on('error', (error) => reject(new BenchError(`${method} ${path} failed: ${error.message}`)));
      req.end(body);
    });
  }

  get(path) {
    return this.request('GET', path);
  }

  /** A timed JSON POST: from the first byte sent to the last byte received and parsed. */
  async postJson(path, payload, extraHeaders = {}) {
    const startedAt = nowMs();
    const answer = await this.request('POST', path, payload, extraHeaders);
    return { ms: nowMs() - startedAt, ...answer };
  }

  /**
   * One GraphQL operation, timed from the first byte sent to the last byte received and
   * parsed. `uncached` asks any cache in front of the resolver to stay out of the way:
   * the cell has none yet, the header keeps the figure honest once it has.
   */
  async gql(query, variables, { uncached = false } = {}) {
    const { ms, status, body } = await this.postJson('/graphql', { query, variables }, uncached ? { 'cache-control': 'no-cache' } : {});
    if (status !== 200 || body.errors || !body.data) {
      const first = body.errors?.[0];
      const detail = first
        ? `${first.extensions?.code ?? ''} ${first.extensions?.reason ?? ''} ${first.message}`
        : JSON.stringify(body).slice(0, 200);
      return { ms, data: null, error: `HTTP ${status}: ${detail.trim()}` };
    }
    return { ms, data: body.data, error: null };
  }

  close() {
    this.agent.destroy();
  }
}

/** The data of a GraphQL result, or a BenchError naming what failed. */
export function must(result, what) {
  if (result.error) throw new BenchError(`${what} failed: ${result.error}`);
  return result.data;
}
