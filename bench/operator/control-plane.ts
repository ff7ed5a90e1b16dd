// The control plane on the database copy: its directory migrated (idempotent; `make bench`
// alone never migrates it), the demo tenants registered with routes to the demo pooled cell,
// the compiled control plane started (its router carries the promotion's sales), and the
// demo owners' tokens.
import { join } from 'node:path';
import { CONTROL_PLANE_DIST, CONTROL_PLANE_MAIN, CompiledServer, runScript } from '@localstore/flows/harness/compiled-servers';
import { BenchError } from '../lib/output';
import { DEMO_POOLED_CELL } from './resources';
import type { UndoList } from '../lib/cleanup';

/** A demo owner's token, as `demo-directory.js tokens` prints them. */
export interface DemoToken {
  slug: string;
  token: string;
}

/** The harness's plain errors as the bench's, which it prints as a message. */
const asBenchError = (error: unknown): never => {
  throw new BenchError((error as Error).message);
};

export async function startControlPlane({
  port,
  pooledCellPort,
  urls,
  undo,
}: {
  port: number;
  pooledCellPort: number;
  urls: { owner: string; control: string };
  undo: UndoList;
}): Promise<{ controlPlane: CompiledServer; tokens: DemoToken[] }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CONTROL_PLANE_PORT: String(port),
    CONTROL_PLANE_HOST: '127.0.0.1',
    PLATFORM_DOMAIN: 'localhost',
    DIRECTORY_DATABASE_URL: urls.control,
    DIRECTORY_OWNER_URL: urls.owner,
    DIRECTORY_SCHEMA: 'directory',
    POOLED_CELL_NAME: DEMO_POOLED_CELL,
    POOLED_CELL_URL: `http://127.0.0.1:${pooledCellPort}`,
    LOG_LEVEL: 'warn',
  };
  delete env.REDIS_URL;
  delete env.TENANCY_MODE;
  const script = (file: string) => join(CONTROL_PLANE_DIST, 'scripts', file);
  await runScript('the directory migration', [script('migrate.js')], env).catch(asBenchError);
  await runScript('demo-directory.js register', [script('demo-directory.js'), 'register'], env).catch(asBenchError);
  const controlPlane = new CompiledServer({ name: 'control-plane', args: [CONTROL_PLANE_MAIN], env });
  undo.push('stopping the control plane', () => controlPlane.stop());
  await controlPlane.waitReady(port).catch(asBenchError);
  const tokens = JSON.parse(await runScript('demo-directory.js tokens', [script('demo-directory.js'), 'tokens'], env).catch(asBenchError));
  return { controlPlane, tokens };
}
