// The cell under test: the compiled cell API as a child process on a loopback port, on the
// bench's database settings. Every phase that needs a cell starts it here.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CELL_DIST, CELL_MAIN, CompiledServer } from '@localstore/flows/harness/compiled-servers';
import type { BenchSettings } from '../settings';

/**
 * The compiled cell API on `port`, with `env` on top of ours; its log lines go to our
 * stderr, prefixed with `[name]`. With `cpuProfDir` it writes a V8 profile there on exit.
 */
export function startCell(
  settings: Pick<BenchSettings, 'databaseUrl' | 'schema'>,
  port: number,
  env: NodeJS.ProcessEnv = {},
  { cpuProfDir = null, name = 'cell' }: { cpuProfDir?: string | null; name?: string } = {},
): CompiledServer {
  // A profile is written only on a normal exit; the shutdown hooks of Nest re-raise
  // SIGTERM, so a profiled cell is started from a wrapper that exits on SIGUSR2.
  const args = cpuProfDir
    ? [
        '--cpu-prof',
        `--cpu-prof-dir=${cpuProfDir}`,
        '-e',
        `process.on('SIGUSR2', () => process.exit(0));
         const { loadCellConfig } = require(${JSON.stringify(join(CELL_DIST, 'src/config/cell-config.js'))});
         require(${JSON.stringify(CELL_MAIN)}).startCell(loadCellConfig()).catch((e) => { console.error(e); process.exit(1); });`,
      ]
    : [CELL_MAIN];
  if (cpuProfDir) mkdirSync(cpuProfDir, { recursive: true });
  return new CompiledServer({
    name,
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
