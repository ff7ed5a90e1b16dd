// The cell's figures, one client at a time: the demo tenant's `location` dashboard (uncached)
// and its chain's consolidated 30-day `dashboard`, each request followed by the same statement
// as raw SQL (so the GraphQL/raw ratio compares figures taken under the same conditions), and
// `recordSale`; then `clients` clients recording sales at once. The demo tenant's data is only
// read: the sales go to the bench's own tenant (bench-tenant.ts). Ends with a check that every
// sale counted is in the bench locations' figures.
import os from 'node:os';
import { addDays, businessDateOf } from '@localstore/common';
import { freePort } from '@localstore/common/testing';
import { BENCH_TENANT, isLeftoverLocationName, LEFTOVER_LOCATION_NAME, type NamedLocation, prepareBenchTenant } from '../bench-tenant';
import type { Cleanup } from '../lib/cleanup';
import { cellDashboardSql, cellDemoTokens } from '../lib/compiled';
import { waitForQuietMachine, withCpu } from '../lib/cpu';
import { demoSigner } from '../lib/demo-keys';
import { asBenchError } from '../lib/harness-errors';
import { HttpClient, must } from '../lib/http-client';
import { warmUp } from '../lib/measure';
import { BenchError, log, type CpuShares } from '../lib/output';
import type { BenchSettings } from '../settings';
import { startCell } from './cell-server';
import {
  CHAIN_DASHBOARD,
  type ChainDashboardData,
  LOCATION_DASHBOARD,
  type LocationDashboardData,
  LOCATIONS,
  RECORD_SALE,
  TODAY_ORDERS,
  type TodayOrdersData,
} from './queries';
import { RawSql } from './raw-sql';
import { saleFactory } from './sale-factory';
import { type LoadFigures, loadPhase, sequentialSeries, type SeriesFigures, type SeriesWithRaw } from './series';

export const CHAIN_RANGE_DAYS = 30;
const VN_TIME_ZONE = 'Asia/Ho_Chi_Minh';

/** Where the figures were taken: the machine, the data and its volumes. */
export interface CellEnvironment {
  cpus: number;
  cpuModel: string;
  node: string;
  postgres: string;
  schema: string;
  tenant: string;
  chainLocations: number;
  visibleLocations: number;
  leftoverBenchLocations: number;
  benchTenant: string;
  benchLocationsUsed: number;
  benchMenuItems: number;
  tenantOrders: number;
  tenantOrdersInRange: number;
  hourlyRollupRows: number;
  itemDailyRollupRows: number;
  menuItems: number;
  range: { from: string; to: string };
  machineBusyBeforeStartPercent: number | null;
}

export interface CellFigures {
  environment: CellEnvironment;
  locationSeries: SeriesWithRaw;
  chainSeries: SeriesWithRaw;
  saleSeries: SeriesFigures;
  load: LoadFigures;
  cpu: { locationDashboard: CpuShares | null; chainDashboard: CpuShares | null; recordSale: CpuShares | null; load: CpuShares | null };
  salesSent: number;
  /** Whether the bench locations' today grew by exactly the sales sent; null when the business day changed. */
  recordedCheck: boolean | null;
}

interface Volume {
  orders: number;
  ordersInRange: number;
  hourlyRows: number;
  itemDailyRows: number;
  menuItems: number;
  postgres: string;
}

/** The raw rows the dashboards' answers are checked against. */
interface TodaySnapshotRow {
  hourly: { revenue: string | number }[] | null;
}
interface RangeFiguresRow {
  locations: { revenue: string | number }[];
}

/**
 * The cell's figures: the demo tenant's dashboards (read only) and the bench tenant's sales.
 * Stops its cell before returning, so the next phase has the machine to itself.
 */
export async function measureCell(settings: BenchSettings, cleanup: Cleanup): Promise<CellFigures> {
  const { TODAY_SNAPSHOT_SQL, RANGE_FIGURES_SQL } = cellDashboardSql();
  // Demo tokens write the JWKS file the cell reads, so they come first.
  const tokens = await cellDemoTokens().demoOwnerTokens();
  const owner = tokens.find((t) => t.slug === settings.tenantSlug);
  if (!owner) throw new BenchError(`no demo token for tenant ${settings.tenantSlug}; known: ${tokens.map((t) => t.slug).join(', ')}`);
  const tenantId = (JSON.parse(Buffer.from(owner.token.split('.')[1]!, 'base64url').toString('utf8')) as { tid: string }).tid;
  const signer = await demoSigner();

  const before = await waitForQuietMachine(settings.quietWaitSeconds);
  const port = await freePort();
  const cell = startCell(settings, port, {}, { cpuProfDir: settings.cpuProfDir });
  cleanup.push(() => cell.stop());
  const client = new HttpClient(port, { headers: { authorization: `Bearer ${owner.token}`, 'x-tenant': owner.slug } });
  cleanup.push(() => client.close());
  const raw = new RawSql(settings, tenantId);
  cleanup.push(() => raw.end());

  log(`cell API pid ${cell.pid} on 127.0.0.1:${port}, schema ${settings.schema}, tenant ${owner.slug}`);
  await asBenchError(cell.waitReady(port));

  const locationsResult = await client.gql<{ locations: NamedLocation[] }>(LOCATIONS, {});
  if (locationsResult.error?.includes('TENANT_MISMATCH')) {
    throw new BenchError(`tenant ${owner.slug} is not in schema ${settings.schema}: run \`make seed-demo\` first`);
  }
  const allLocations = must(locationsResult, 'listing locations').locations;
  const leftovers = allLocations.filter((l) => isLeftoverLocationName(l.name));
  const chainLocations = allLocations.filter((l) => !isLeftoverLocationName(l.name));
  if (chainLocations.length === 0) throw new BenchError(`tenant ${owner.slug} has no locations of its own: run \`make seed-demo\` first`);
  if (leftovers.length > 0) {
    log(
      `${owner.slug} still holds ${leftovers.length} location(s) "${LEFTOVER_LOCATION_NAME}" of earlier bench runs; its consolidated ` +
        'dashboard covers them. `node cell-api/dist/scripts/seed-demo.js --reset` removes them (it rebuilds the demo tenants).',
    );
  }
  // The consolidated dashboard covers every visible location, as the owner's app asks for it.
  const visibleIds = allLocations.map((l) => l.id);

  const bench = await prepareBenchTenant({ port, signer, locationCount: settings.benchLocations, maxSockets: settings.clients });
  cleanup.push(() => bench.client.close());
  if (bench.menu.length === 0) throw new BenchError(`the bench tenant ${BENCH_TENANT.slug} has no active menu item`);

  const today = businessDateOf(new Date(), VN_TIME_ZONE);
  const range = { from: addDays(today, -(CHAIN_RANGE_DAYS - 1)), to: today };
  const previousFrom = addDays(range.from, -CHAIN_RANGE_DAYS);

  const [volume] = await raw.read<Volume>(
    `SELECT (SELECT count(*) FROM orders)::int AS orders,
            (SELECT count(*) FROM orders WHERE business_date BETWEEN $1::date AND $2::date)::int AS "ordersInRange",
            (SELECT count(*) FROM sales_hourly)::int AS "hourlyRows",
            (SELECT count(*) FROM item_sales_daily)::int AS "itemDailyRows",
            (SELECT count(*) FROM menu_items WHERE active)::int AS "menuItems",
            current_setting('server_version') AS "postgres"`,
    [range.from, range.to],
  );
  if (!volume) throw new BenchError('the volume query returned no row');
  const environment: CellEnvironment = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    node: process.version,
    postgres: volume.postgres,
    schema: settings.schema,
    tenant: owner.slug,
    chainLocations: chainLocations.length,
    visibleLocations: visibleIds.length,
    leftoverBenchLocations: leftovers.length,
    benchTenant: BENCH_TENANT.slug,
    benchLocationsUsed: bench.locations.length,
    benchMenuItems: bench.menu.length,
    tenantOrders: volume.orders,
    tenantOrdersInRange: volume.ordersInRange,
    hourlyRollupRows: volume.hourlyRows,
    itemDailyRollupRows: volume.itemDailyRows,
    menuItems: volume.menuItems,
    range,
    machineBusyBeforeStartPercent: before,
  };
  log(
    `data: ${volume.orders.toLocaleString('en')} orders of ${owner.slug} (${volume.ordersInRange.toLocaleString('en')} in ${range.from}…${range.to}), ` +
      `${volume.hourlyRows.toLocaleString('en')} hourly and ${volume.itemDailyRows.toLocaleString('en')} item-daily rollup rows, ` +
      `${chainLocations.length} locations, ${volume.menuItems} menu items; sales go to ${BENCH_TENANT.slug} (${bench.menu.length} menu items)`,
  );

  const locationAt = (i: number) => chainLocations[i % chainLocations.length]!.id;
  const locationRequest = (i: number) => client.gql<LocationDashboardData>(LOCATION_DASHBOARD, { id: locationAt(i) }, { uncached: true });
  const locationRaw = (i: number) => raw.time<TodaySnapshotRow>(TODAY_SNAPSHOT_SQL, [[locationAt(i)]]);
  const chainRequest = () => client.gql<ChainDashboardData>(CHAIN_DASHBOARD, { range }, { uncached: true });
  const chainRaw = () => raw.time<RangeFiguresRow>(RANGE_FIGURES_SQL, [visibleIds, range.from, range.to, previousFrom]);
  const nextSale = saleFactory(bench.menu, 20_241_125);
  const recordRequest = (worker = 0) =>
    bench.client.gql(RECORD_SALE, { input: nextSale(bench.locations[worker % bench.locations.length]!.id) });
  const benchTodayOrders = async () => {
    const { locations } = must(await bench.client.gql<TodayOrdersData>(TODAY_ORDERS, {}), "counting today's bench orders");
    const ids = new Set(bench.locations.map((l) => l.id));
    return locations.filter((l) => ids.has(l.id)).reduce((sum, l) => sum + l.todayOrders, 0);
  };

  // The GraphQL answer and the raw statement must be the same figures, or the ratio means nothing.
  const firstLocation = must(await locationRequest(0), 'the location dashboard').location;
  const firstLocationRaw = (await locationRaw(0)).rows[0];
  const rawTodayRevenue = (firstLocationRaw?.hourly ?? []).reduce((sum, h) => sum + Number(h.revenue), 0);
  if (firstLocation.todayRevenue !== rawTodayRevenue) {
    throw new BenchError(`location dashboard says ${firstLocation.todayRevenue} đ today, the raw statement ${rawTodayRevenue} đ`);
  }
  const firstChain = must(await chainRequest(), 'the chain dashboard').dashboard;
  const firstChainRaw = (await chainRaw()).rows[0]!;
  const rawChainRevenue = firstChainRaw.locations.reduce((sum, l) => sum + Number(l.revenue), 0);
  if (firstChain.totals.revenue !== rawChainRevenue || firstChain.locations.length !== visibleIds.length) {
    throw new BenchError(`chain dashboard says ${firstChain.totals.revenue} đ, the raw statement ${rawChainRevenue} đ`);
  }
  const benchOrdersBefore = await benchTodayOrders();

  log(`warming up (${settings.warmup} of each request, ${settings.loadWarmupSeconds} s of load)…`);
  let warmupSales = 0;
  await warmUp(settings.warmup, 30, async (i) => {
    await locationRequest(i);
    await locationRaw(i);
    await chainRequest();
    await chainRaw();
    if (!(await recordRequest(0)).error) warmupSales++;
  });

  const processes = { cell: cell.pid };
  log(`location dashboard: ${settings.samples} requests over ${chainLocations.length} locations, each followed by its raw statement…`);
  const location = await withCpu(processes, () => sequentialSeries(settings, locationRequest, locationRaw));
  log(
    `chain dashboard (${range.from}…${range.to}, ${visibleIds.length} locations): ${settings.samples} requests, each followed by its raw statement…`,
  );
  const chain = await withCpu(processes, () => sequentialSeries(settings, chainRequest, chainRaw));
  log(`recordSale: ${settings.samples} sales at ${BENCH_TENANT.slug}, one at a time…`);
  const sale = await withCpu(processes, () => sequentialSeries(settings, () => recordRequest(0), null));

  log(
    `load: ${settings.clients} clients recording sales at ${BENCH_TENANT.slug} for ${settings.loadWarmupSeconds} s (unmeasured), then ${settings.loadSeconds} s…`,
  );
  const loadWarmup =
    settings.loadWarmupSeconds > 0 ? await loadPhase(settings.clients, settings.loadWarmupSeconds, recordRequest) : { sales: 0 };
  const loaded = await withCpu(processes, () => loadPhase(settings.clients, settings.loadSeconds, recordRequest));
  const load = loaded.result;

  // Every sale counted above must be in the figures: the bench locations' today grew by exactly that.
  const benchOrdersAfter = await benchTodayOrders();
  const salesSent = warmupSales + sale.result.graphql.n + loadWarmup.sales + load.sales;
  const sameDay = businessDateOf(new Date(), VN_TIME_ZONE) === today;
  const recordedCheck = sameDay ? benchOrdersAfter - benchOrdersBefore === salesSent : null;

  await cell.stop();
  return {
    environment,
    locationSeries: location.result,
    chainSeries: chain.result,
    saleSeries: sale.result,
    load,
    cpu: { locationDashboard: location.cpu, chainDashboard: chain.cpu, recordSale: sale.cpu, load: loaded.cpu },
    salesSent,
    recordedCheck,
  };
}
