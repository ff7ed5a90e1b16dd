// The control plane's figures (issue 4): what a token check costs per request, what the router
// adds to a GraphQL request, and how many OTP sign-ins go through under the rate limits. Runs
// after the cell's figures, with the cell they used already stopped:
//
// - token verification is timed in this process on `AccessTokenVerifier` itself, with
//   nothing else running;
// - then the control plane is started on a scratch directory schema (BENCH_DIRECTORY_SCHEMA,
//   never the demo's `directory`: registering the demo tenants there would point the demo's
//   routes at this bench's cell port), and a new cell process that trusts the control
//   plane's JWKS (AUTH_JWKS_URL), as `make demo` runs them. A cell verifies against one key
//   source only, so the cell of the first phase (embedded demo keys) cannot serve here.
import { join } from 'node:path';
import { freePort } from '@localstore/common/testing';
import { CompiledServer, CONTROL_PLANE_DIST, CONTROL_PLANE_MAIN, runScript } from '@localstore/flows/harness/compiled-servers';
import { startCell } from '../cell/cell-server';
import { LOCATION_DASHBOARD } from '../cell/queries';
import type { Cleanup } from '../lib/cleanup';
import { waitForQuietMachine, withCpu } from '../lib/cpu';
import { asBenchError } from '../lib/harness-errors';
import { HttpClient } from '../lib/http-client';
import { BenchError, log, type CpuShares } from '../lib/output';
import type { BenchSettings } from '../settings';
import { BENCH_OTP_LIMITS, controlPlaneEnv } from './env';
import { measureOtp, type OtpFigures } from './otp-sign-ins';
import { measureRouterOverhead, type RouterFigures } from './router-overhead';
import { SmsInbox } from './sms-inbox';
import { measureTokenVerification, type TokenVerificationFigures } from './token-verification';

export interface ControlPlaneFigures {
  tokenVerification: TokenVerificationFigures;
  router: RouterFigures;
  otp: OtpFigures;
  cpu: { router: CpuShares | null; otp: CpuShares | null };
  environment: {
    directorySchema: string;
    ephemeralStore: string;
    otpLimits: typeof BENCH_OTP_LIMITS;
    machineBusyBeforeStartPercent: number | null;
  };
}

/** A demo owner's token as the scratch directory signs it, with the location the router request reads. */
interface DirectoryToken {
  slug: string;
  token: string;
  locationId: string;
}

export async function measureControlPlane(settings: BenchSettings, cleanup: Cleanup): Promise<ControlPlaneFigures> {
  const busy = await waitForQuietMachine(settings.quietWaitSeconds);
  const tokenVerification = await measureTokenVerification(settings);

  const [cpPort, cellPort] = [await freePort(), await freePort()];
  const env = controlPlaneEnv(settings, cpPort, cellPort);
  const script = (name: string, file: string, ...args: string[]) =>
    asBenchError(runScript(name, [join(CONTROL_PLANE_DIST, file), ...args], env));
  log(`directory: migrating and registering the demo tenants in schema ${settings.directorySchema} (routes → 127.0.0.1:${cellPort})…`);
  await script('the directory migration', 'scripts/migrate.js');
  await script('demo-directory.js register', 'scripts/demo-directory.js', 'register');

  const inbox = new SmsInbox();
  const controlPlane = new CompiledServer({ name: 'control-plane', args: [CONTROL_PLANE_MAIN], env, onLine: (line) => inbox.take(line) });
  cleanup.push(() => controlPlane.stop());
  const platform = new HttpClient(cpPort, { headers: { host: `app.localhost:${cpPort}` }, maxSockets: settings.otpClients });
  cleanup.push(() => platform.close());
  log(`control plane pid ${controlPlane.pid} on 127.0.0.1:${cpPort}`);
  await asBenchError(controlPlane.waitReady(cpPort));

  const cell = startCell(settings, cellPort, { AUTH_JWKS_URL: `http://127.0.0.1:${cpPort}/.well-known/jwks.json` });
  cleanup.push(() => cell.stop());
  log(`cell API pid ${cell.pid} on 127.0.0.1:${cellPort}, trusting the control plane's JWKS`);
  await asBenchError(cell.waitReady(cellPort));

  const tokens = JSON.parse(await script('demo-directory.js tokens', 'scripts/demo-directory.js', 'tokens')) as DirectoryToken[];
  const owner = tokens.find((t) => t.slug === settings.tenantSlug);
  if (!owner) throw new BenchError(`the directory has no demo token for ${settings.tenantSlug}`);
  const processes = { cell: cell.pid, controlPlane: controlPlane.pid };

  const router = await withCpu(processes, () =>
    measureRouterOverhead(settings, { cpPort, cellPort, owner, query: LOCATION_DASHBOARD, variables: { id: owner.locationId } }, cleanup),
  );
  const otp = await withCpu(processes, () => measureOtp(settings, platform, inbox));
  return {
    tokenVerification,
    router: router.result,
    otp: otp.result,
    cpu: { router: router.cpu, otp: otp.cpu },
    environment: {
      directorySchema: settings.directorySchema,
      ephemeralStore: 'in-process (no REDIS_URL)',
      otpLimits: BENCH_OTP_LIMITS,
      machineBusyBeforeStartPercent: busy,
    },
  };
}
