// `make bench-web` (issue 9): the web app in Debian's Chromium on a CPU slowed down four times
// (CDP `Emulation.setCPUThrottlingRate`), the budget of a cheap Android tablet or phone. For
// the sales entry page (tablet size, on <slug>.<domain>) and the owner's dashboard (phone
// size, on app.<domain>) it measures JavaScript transferred and time to interactive, first
// and repeat visits (page-load.ts), and for the sales page tap to saved (tap-to-saved.ts). The
// network is loopback: the figures are the app's own cost, not a 4G link's.
//
// The servers are the compiled control plane (serving web/out) and a cell that trusts its
// keys, on a scratch directory schema (servers.ts). The owner's dashboard is the demo's phở
// chain (read only); the sales go to the bench's own tenant, never to a demo business.
import { DEMO_TENANTS } from '@localstore/common';
import { launchChromium, PHONE, TABLET } from '@localstore/flows/harness/chromium';
import { BENCH_TENANT } from '../bench-tenant';
import { type Cleanup, undoAll } from '../lib/cleanup';
import { requireBuilt } from '../lib/compiled';
import { waitForQuietMachine } from '../lib/cpu';
import { BenchError, log, out } from '../lib/output';
import { runBench, strictTargets } from '../lib/entry';
import { measureScreen } from './page-load';
import { report, WEB_TARGETS, type WebResults } from './report';
import { BENCH_OWNER_PHONE, prepareSalesTenant, startServers } from './servers';
import { sessionsFor, type StoredSession } from './sessions';
import { readWebSettings, type WebBenchSettings } from './settings';
import { measureSales } from './tap-to-saved';

async function run(settings: WebBenchSettings, cleanup: Cleanup): Promise<WebResults> {
  requireBuilt(['web/out/index.html', 'control-plane/dist/src/main.js', 'cell-api/dist/src/main.js']);
  const busy = await waitForQuietMachine(settings.quietWaitSeconds);
  const location = await prepareSalesTenant(settings, cleanup);
  const { cpPort, platform, inbox } = await startServers(settings, cleanup);
  const demo = DEMO_TENANTS.find((t) => t.slug === settings.tenantSlug);
  if (!demo) throw new BenchError(`BENCH_TENANT="${settings.tenantSlug}" is not a demo business`);
  const ownerSessions = await sessionsFor(platform, inbox, demo.ownerPhone, demo.slug, settings.loads);
  const salesSessions = await sessionsFor(platform, inbox, BENCH_OWNER_PHONE, BENCH_TENANT.slug, settings.loads + 1);

  const browser = await launchChromium();
  cleanup.push(() => browser.close());
  const salesOrigin = `http://${BENCH_TENANT.slug}.localhost:${cpPort}`;
  const appOrigin = `http://app.localhost:${cpPort}`;
  const salesInstrument = (session: StoredSession) => ({ origin: salesOrigin, session, readySelector: '[data-testid=menu-item]' });
  const ownerInstrument = (session: StoredSession) => ({ origin: appOrigin, session, readySelector: '[data-testid=kpi-revenue]' });

  log(`sales entry (${salesOrigin}/sales/, tablet size), ${settings.loads} first and repeat visits…`);
  const sales = await measureScreen(browser, settings, {
    size: TABLET,
    url: `${salesOrigin}/sales/`,
    instrumentFor: salesInstrument,
    sessions: salesSessions,
    name: 'sales',
  });
  log(`owner dashboard of ${demo.slug} (${appOrigin}/owner/, phone size), ${settings.loads} first and repeat visits…`);
  const owner = await measureScreen(browser, settings, {
    size: PHONE,
    url: `${appOrigin}/owner/`,
    instrumentFor: ownerInstrument,
    sessions: ownerSessions,
    name: 'dashboard',
  });
  log(`${settings.sales} sales tapped on the tablet…`);
  const salesSession = salesSessions.at(-1)!;
  const taps = await measureSales(browser, settings, {
    url: `${salesOrigin}/sales/`,
    instrument: salesInstrument(salesSession),
    platformHost: `${BENCH_TENANT.slug}.localhost:${cpPort}`,
    session: salesSession,
    locationId: location.id,
    cpPort,
  });
  return {
    sales,
    owner,
    taps,
    environment: { chromium: browser.version(), machineBusyBeforeStartPercent: busy, directorySchema: settings.directorySchema },
  };
}

runBench('the browser and the servers the bench started', async (cleanup) => {
  const settings = readWebSettings(process.env);
  const results = await run(settings, cleanup);
  await undoAll(cleanup);
  const verdicts = report(settings, results);
  out(
    JSON.stringify({
      bench: 'localstore-web',
      at: new Date().toISOString(),
      settings: { loads: settings.loads, sales: settings.sales, cpuSlowdown: settings.cpuSlowdown },
      targets: WEB_TARGETS,
      results,
      verdicts,
    }),
  );
  return strictTargets() && !Object.values(verdicts).every((v) => v.pass) ? 1 : 0;
});
