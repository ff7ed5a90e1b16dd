// The servers the web bench drives: the compiled control plane serving web/out on a scratch
// directory schema, and a cell that trusts its keys, with the bench tenant (its locations, its
// menu, its owner with a phone, its route) made ready first.
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '@localstore/common/testing';
import { CompiledServer, CONTROL_PLANE_DIST, CONTROL_PLANE_MAIN, REPO_ROOT, runScript } from '@localstore/flows/harness/compiled-servers';
import { BENCH_TENANT, type NamedLocation, prepareBenchTenant } from '../bench-tenant';
import { startCell } from '../cell/cell-server';
import { controlPlaneEnv } from '../control-plane/env';
import { SmsInbox } from '../control-plane/sms-inbox';
import type { Cleanup } from '../lib/cleanup';
import { cellDemoTokens } from '../lib/compiled';
import { demoSigner } from '../lib/demo-keys';
import { asBenchError } from '../lib/harness-errors';
import { HttpClient } from '../lib/http-client';
import { log } from '../lib/output';
import type { WebBenchSettings } from './settings';

export const WEB_OUT = join(REPO_ROOT, 'web/out');
/** The bench tenant's owner signs in with this phone (a mobile number no demo owner has). */
export const BENCH_OWNER_PHONE = '+84961000001';

/** The running product: the control plane's port, a client of its platform host, and the codes it "sends". */
export interface WebServers {
  cpPort: number;
  platform: HttpClient;
  inbox: SmsInbox;
}

/** The screens measured read no model output: the nightly insights stay off, as no model server runs here. */
function startWebCell(settings: WebBenchSettings, port: number, extra: NodeJS.ProcessEnv, name?: string): CompiledServer {
  return startCell(settings, port, { INSIGHTS_NIGHTLY: 'false', ...extra }, { name });
}

/**
 * The bench tenant (locations and menu) is made by a cell trusting the demo keys, as the
 * other phases do; a cell trusts one key source only, so that one stops before the cell
 * behind the control plane starts. Returns the location the sales go to.
 */
export async function prepareSalesTenant(settings: WebBenchSettings, cleanup: Cleanup): Promise<NamedLocation> {
  // The demo tokens write the key file this cell reads, so they come first.
  await cellDemoTokens().demoOwnerTokens();
  const port = await freePort();
  const cell = startWebCell(settings, port, {}, 'cell (set-up)');
  cleanup.push(() => cell.stop());
  try {
    await asBenchError(cell.waitReady(port));
    const signer = await demoSigner();
    const { client, locations } = await prepareBenchTenant({ port, signer, locationCount: 1, maxSockets: 1 });
    client.close();
    return locations[0]!;
  } finally {
    await cell.stop();
  }
}

export async function startServers(settings: WebBenchSettings, cleanup: Cleanup): Promise<WebServers> {
  const [cpPort, cellPort] = [await freePort(), await freePort()];
  // The control plane's phase's environment (loopback, the scratch directory, codes in the log), serving the web app.
  const env = { ...controlPlaneEnv(settings, cpPort, cellPort), WEB_APP_DIR: WEB_OUT };
  const script = (name: string, file: string, ...args: string[]) =>
    asBenchError(runScript(name, [join(CONTROL_PLANE_DIST, file), ...args], env));
  log(`directory: migrating schema ${settings.directorySchema}, registering the demo businesses and ${BENCH_TENANT.slug}…`);
  await script('the directory migration', 'scripts/migrate.js');
  await script('demo-directory.js register', 'scripts/demo-directory.js', 'register');
  await registerSalesTenant(settings);

  const inbox = new SmsInbox();
  const controlPlane = new CompiledServer({ name: 'control-plane', args: [CONTROL_PLANE_MAIN], env, onLine: (line) => inbox.take(line) });
  cleanup.push(() => controlPlane.stop());
  const platform = new HttpClient(cpPort, { headers: { host: `app.localhost:${cpPort}` } });
  cleanup.push(() => platform.close());
  await asBenchError(controlPlane.waitReady(cpPort));
  const cell = startWebCell(settings, cellPort, { AUTH_JWKS_URL: `http://127.0.0.1:${cpPort}/.well-known/jwks.json` });
  cleanup.push(() => cell.stop());
  await asBenchError(cell.waitReady(cellPort));
  log(`control plane pid ${controlPlane.pid} on 127.0.0.1:${cpPort} (serving ${WEB_OUT}), cell pid ${cell.pid} on :${cellPort}`);
  return { cpPort, platform, inbox };
}

/** The bench tenant, its owner (with a phone to sign in by code) and its route, in the scratch directory. */
async function registerSalesTenant(settings: WebBenchSettings): Promise<void> {
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
