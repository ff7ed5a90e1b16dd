// `make bench`'s settings: one typed object read from the environment at start-up (all
// optional; see bench/README.md). A wrong value stops the bench before anything starts,
// every wrong variable named. The real-time and operator phases read their own
// (BENCH_REALTIME_*, BENCH_OPERATOR_*) here too, for the same reason.
import { POSTGRES_SCHEMA_NAME } from '@localstore/common';
import { BENCH_TENANT } from './bench-tenant';
import { BenchError, wholeNumberReader } from './lib/output';
import { strictTargets } from './lib/entry';
import { readOperatorSettings } from './operator/phase';
import { readRealtimeSettings } from './realtime/phase';
import { localServers } from './lib/local-servers';

export interface BenchSettings {
  /** Demo tenant whose dashboards are measured (its data is only read). */
  tenantSlug: string;
  /** Requests per sequential series (each series also stops at seriesMaxSeconds). */
  samples: number;
  seriesMaxSeconds: number;
  /** Unmeasured requests of each kind before the series: JIT, pools and plans settle. */
  warmup: number;
  clients: number;
  /**
   * Locations of the bench tenant the load spreads its sales over (client i sells at
   * location i mod n). One, the default, is the worst case: every sale updates the same
   * rollup rows.
   */
  benchLocations: number;
  loadSeconds: number;
  loadWarmupSeconds: number;
  strict: boolean;
  /** How long to wait for other work on the machine to finish before each phase. */
  quietWaitSeconds: number;
  /** Folder for a V8 CPU profile of the cell process of the first phase, when set. */
  cpuProfDir: string | null;
  databaseUrl: string;
  schema: string;
  /** The control plane's phase (router, tokens, OTP); off with BENCH_CONTROL_PLANE=0. */
  controlPlane: boolean;
  /** The bench's own directory schema: never the demo's `directory`. */
  directorySchema: string;
  /** Fresh tokens verified once uncached and once cached (the verifier caches 10,000). */
  tokens: number;
  otpClients: number;
  otpSeconds: number;
  /** The real-time phase (issue 6): sales and payments to 1,000 screens; off with BENCH_REALTIME=0. */
  realtime: boolean;
  /** The operator's phase (issue 5), on a copy of the demo database; off with BENCH_OPERATOR=0. */
  operator: boolean;
  realtimeSettings: ReturnType<typeof readRealtimeSettings> | null;
  operatorSettings: ReturnType<typeof readOperatorSettings> | null;
}

const isOff = (value: string | undefined) => ['0', 'false', 'no'].includes(value ?? '');

export function readSettings(env: NodeJS.ProcessEnv): BenchSettings {
  const problems: string[] = [];
  const int = wholeNumberReader(env, problems);
  const realtime = !isOff(env.BENCH_REALTIME);
  const operator = !isOff(env.BENCH_OPERATOR);
  const settings: BenchSettings = {
    tenantSlug: env.BENCH_TENANT ?? 'pho-bo-hanoi',
    samples: int('BENCH_SAMPLES', 1_000, 20, 100_000),
    seriesMaxSeconds: int('BENCH_SERIES_MAX_SECONDS', 30, 1, 600),
    warmup: int('BENCH_WARMUP', 200, 0, 10_000),
    clients: int('BENCH_CLIENTS', 20, 1, 200),
    benchLocations: int('BENCH_LOCATIONS', 1, 1, 50),
    loadSeconds: int('BENCH_LOAD_SECONDS', 10, 1, 300),
    loadWarmupSeconds: int('BENCH_LOAD_WARMUP_SECONDS', 2, 0, 60),
    strict: strictTargets(env),
    quietWaitSeconds: int('BENCH_QUIET_WAIT_SECONDS', 60, 0, 600),
    cpuProfDir: env.BENCH_CPU_PROF || null,
    databaseUrl: localServers(env).databaseUrl,
    schema: env.DATABASE_SCHEMA || 'cell_pooled',
    controlPlane: !isOff(env.BENCH_CONTROL_PLANE),
    directorySchema: env.BENCH_DIRECTORY_SCHEMA || 'directory_bench',
    tokens: int('BENCH_TOKENS', 2_000, 100, 9_000),
    otpClients: int('BENCH_OTP_CLIENTS', 10, 1, 100),
    otpSeconds: int('BENCH_OTP_SECONDS', 10, 1, 120),
    realtime,
    operator,
    // Checked now, so a wrong one stops the bench before it starts.
    realtimeSettings: realtime ? readRealtimeSettings(env) : null,
    operatorSettings: operator ? readOperatorSettings(env) : null,
  };
  if (!POSTGRES_SCHEMA_NAME.test(settings.schema)) problems.push(`DATABASE_SCHEMA="${settings.schema}" is not a schema name`);
  if (!/^[a-z0-9-]{1,63}$/.test(settings.tenantSlug)) problems.push(`BENCH_TENANT="${settings.tenantSlug}" is not a tenant slug`);
  if (settings.tenantSlug === BENCH_TENANT.slug)
    problems.push(`BENCH_TENANT must be a demo tenant, not the bench's own ${BENCH_TENANT.slug}`);
  if (!POSTGRES_SCHEMA_NAME.test(settings.directorySchema))
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
    const host = safeHost(name === 'DATABASE_URL' ? settings.databaseUrl : env[name]!);
    if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) problems.push(`${name} must point at loopback (got ${host})`);
  }
  if (problems.length > 0) throw new BenchError(`Invalid bench settings:\n  - ${problems.join('\n  - ')}`);
  return settings;
}

function safeHost(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '(unparsable URL)';
  }
}
