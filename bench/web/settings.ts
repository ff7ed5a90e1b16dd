// `make bench-web`'s settings, read once from the environment (all optional; see
// bench/README.md); a wrong value stops the bench before anything starts.
import { POSTGRES_SCHEMA_NAME } from '@localstore/common';
import { BenchError, wholeNumberReader } from '../lib/output';
import { localServers } from '../lib/local-servers';

export interface WebBenchSettings {
  /** The demo business whose owner dashboard is measured. */
  tenantSlug: string;
  /** First visits (each followed by a repeat visit) per screen. */
  loads: number;
  /** Sales tapped on the tablet. */
  sales: number;
  cpuSlowdown: number;
  quietWaitSeconds: number;
  databaseUrl: string;
  schema: string;
  /** The bench's own directory schema: never the demo's `directory`. */
  directorySchema: string;
  directoryOwnerUrl: string;
}

export function readWebSettings(env: NodeJS.ProcessEnv): WebBenchSettings {
  const problems: string[] = [];
  const int = wholeNumberReader(env, problems);
  const settings: WebBenchSettings = {
    tenantSlug: env.BENCH_TENANT ?? 'pho-bo-hanoi',
    loads: int('BENCH_WEB_LOADS', 5, 1, 50),
    sales: int('BENCH_WEB_SALES', 20, 1, 500),
    cpuSlowdown: int('BENCH_WEB_CPU_SLOWDOWN', 4, 1, 20),
    quietWaitSeconds: int('BENCH_QUIET_WAIT_SECONDS', 60, 0, 600),
    databaseUrl: localServers(env).databaseUrl,
    schema: env.DATABASE_SCHEMA || 'cell_pooled',
    directorySchema: env.BENCH_WEB_DIRECTORY_SCHEMA || 'directory_bench_web',
    directoryOwnerUrl: localServers(env).directoryOwnerUrl,
  };
  if (!/^[a-z0-9-]{1,63}$/.test(settings.tenantSlug)) problems.push(`BENCH_TENANT="${settings.tenantSlug}" is not a tenant slug`);
  if (!POSTGRES_SCHEMA_NAME.test(settings.directorySchema))
    problems.push(`BENCH_WEB_DIRECTORY_SCHEMA="${settings.directorySchema}" is not a schema name`);
  if (settings.directorySchema === (env.DIRECTORY_SCHEMA || 'directory'))
    problems.push(
      `BENCH_WEB_DIRECTORY_SCHEMA="${settings.directorySchema}" is the demo's directory: the bench needs a scratch schema of its own`,
    );
  if (problems.length > 0) throw new BenchError(`Invalid bench settings:\n  - ${problems.join('\n  - ')}`);
  return settings;
}
