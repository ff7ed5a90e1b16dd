// The operator phase's settings, read once from the environment (bench/README.md, "The
// operator's figures"): the demo tenant promoted, how many Tenants are applied at once, the
// bound of each wait, and the databases the throw-away copy is made from.
import { DEMO_TENANTS, type DemoTenant, POSTGRES_SCHEMA_NAME } from '@localstore/common';
import { BenchError, wholeNumberReader } from '../lib/output';
import { localServers } from '../lib/local-servers';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export interface OperatorSettings {
  /** The demo tenant promoted (on the copy): the phở chain. */
  chain: DemoTenant;
  /** Tenants applied at once for the reconcile throughput. */
  tenants: number;
  /** Bound of each wait (a tenant Ready, the promotion, the clean-up, the bulk apply). */
  timeoutSeconds: number;
  /** The seller honours Retry-After but waits at most this long, so the pause is measured finely. */
  retryCapMs: number;
  /** Log level of the operator process; its lines go to a file under .local/log/. */
  operatorLogLevel: string;
  quietWaitSeconds: number;
  databaseUrl: string;
  ownerUrl: string;
  controlUrl: string;
  /** The database of DATABASE_URL, which the copy is made from. */
  sourceDatabase: string;
}

/** The phase's settings from the environment (see bench/README.md); throws BenchError on a bad value. */
export function readOperatorSettings(env: NodeJS.ProcessEnv = process.env): OperatorSettings {
  const problems: string[] = [];
  const int = wholeNumberReader(env, problems);
  const chainSlug = env.BENCH_OPERATOR_CHAIN || DEMO_TENANTS.find((t) => t.kind === 'pho_chain')?.slug;
  const chain = DEMO_TENANTS.find((t) => t.slug === chainSlug);
  if (!chain) problems.push(`BENCH_OPERATOR_CHAIN="${chainSlug}" is not a demo tenant (${DEMO_TENANTS.map((t) => t.slug).join(', ')})`);
  const { databaseUrl, ownerUrl, directoryUrl } = localServers(env);
  const settings: OperatorSettings = {
    chain: chain!,
    tenants: int('BENCH_OPERATOR_TENANTS', 500, 1, 5_000),
    timeoutSeconds: int('BENCH_OPERATOR_TIMEOUT_SECONDS', 600, 10, 3_600),
    retryCapMs: int('BENCH_OPERATOR_RETRY_CAP_MS', 100, 10, 5_000),
    operatorLogLevel: env.BENCH_OPERATOR_LOG_LEVEL || 'info',
    quietWaitSeconds: int('BENCH_QUIET_WAIT_SECONDS', 60, 0, 600),
    databaseUrl,
    ownerUrl,
    controlUrl: directoryUrl,
    sourceDatabase: databaseOf(databaseUrl),
  };
  if (!LOG_LEVELS.includes(settings.operatorLogLevel))
    problems.push(`BENCH_OPERATOR_LOG_LEVEL="${settings.operatorLogLevel}" is not a pino level`);
  for (const [name, url] of [
    ['DATABASE_URL', settings.databaseUrl],
    ['DATABASE_OWNER_URL', settings.ownerUrl],
    ['DIRECTORY_DATABASE_URL', settings.controlUrl],
  ] as const) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      problems.push(`${name} is not a URL`);
      continue;
    }
    if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(parsed.hostname))
      problems.push(`${name} must point at loopback (got ${parsed.hostname})`);
  }
  if (!POSTGRES_SCHEMA_NAME.test(settings.sourceDatabase))
    problems.push(`the database of DATABASE_URL ("${settings.sourceDatabase}") is not a plain identifier`);
  if (problems.length > 0) throw new BenchError(`Invalid operator bench settings:\n  - ${problems.join('\n  - ')}`);
  return settings;
}

function databaseOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  } catch {
    return '';
  }
}

/** The same URL on another database. */
export function onDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
