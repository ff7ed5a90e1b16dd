// The cell's part of `make bench`'s report: its verdicts against the targets and its table
// (dashboards against their raw-SQL floor, recordSale, throughput), the CPU per party and per
// sale, and whether every sale sent was found in the figures.
import type { Summary } from '../lib/measure';
import { mark, ms, out, printCpu, printTable } from '../lib/output';
import type { BenchSettings } from '../settings';
import { TARGETS } from '../targets';
import { CHAIN_RANGE_DAYS, type CellFigures } from './phase';
import type { SeriesWithRaw } from './series';

export interface ValueCheck {
  value: number;
  target: number;
  pass: boolean;
}

/** GraphQL over raw SQL: p95 over the statement's p95, and the same over the full round trip and at p50. */
export interface RatioCheck extends ValueCheck {
  vsFull: number;
  p50: number;
}

export interface CellVerdicts {
  locationP95: ValueCheck;
  locationRatio: RatioCheck;
  chainP95: ValueCheck;
  chainRatio: RatioCheck;
  recordSaleP95: ValueCheck;
  salesPerSecond: ValueCheck;
}

const hundredths = (x: number) => Math.round(x * 100) / 100;

function ratioCheck(series: SeriesWithRaw): RatioCheck {
  const value = hundredths(series.graphql.p95 / series.rawStatement.p95);
  return {
    value,
    vsFull: hundredths(series.graphql.p95 / series.rawFull.p95),
    p50: hundredths(series.graphql.p50 / series.rawStatement.p50),
    target: TARGETS.maxRatioToRaw,
    pass: value <= TARGETS.maxRatioToRaw,
  };
}

const under = (value: number, target: number): ValueCheck => ({ value, target, pass: value < target });

export function cellVerdicts(r: CellFigures): CellVerdicts {
  return {
    locationP95: under(r.locationSeries.graphql.p95, TARGETS.locationP95Ms),
    locationRatio: ratioCheck(r.locationSeries),
    chainP95: under(r.chainSeries.graphql.p95, TARGETS.chainP95Ms),
    chainRatio: ratioCheck(r.chainSeries),
    recordSaleP95: under(r.saleSeries.graphql.p95, TARGETS.recordSaleP95Ms),
    salesPerSecond: {
      value: r.load.salesPerSecond,
      target: TARGETS.salesPerSecond,
      pass: r.load.salesPerSecond >= TARGETS.salesPerSecond,
    },
  };
}

/** `failed` counts the failed requests of every phase, with the first few messages. */
export function printCellReport(
  settings: BenchSettings,
  r: CellFigures,
  v: CellVerdicts,
  failed: { count: number; first: string[] },
): void {
  const e = r.environment;
  const rows: string[][] = [];
  const latencyRow = (label: string, s: Summary, target = '', result = '') =>
    rows.push([label, String(s.n), ms(s.p50), ms(s.p95), ms(s.p99), target, result]);
  const ratioRow = (label: string, check: RatioCheck) =>
    rows.push([label, '', '', `${check.value.toFixed(2)}×`, '', `≤ ${check.target}×`, mark(check)]);
  const infoRow = (label: string, value: string) => rows.push([label, '', '', value, '', '', '']);

  latencyRow('location dashboard, GraphQL (uncached)', r.locationSeries.graphql, `p95 < ${TARGETS.locationP95Ms} ms`, mark(v.locationP95));
  latencyRow('  raw SQL, statement only', r.locationSeries.rawStatement);
  latencyRow('  raw SQL, checkout+BEGIN+statement+COMMIT', r.locationSeries.rawFull);
  ratioRow('  GraphQL p95 / raw statement p95', v.locationRatio);
  infoRow('  GraphQL p95 / raw full round trip p95', `${v.locationRatio.vsFull.toFixed(2)}×`);
  infoRow('  GraphQL p50 / raw statement p50', `${v.locationRatio.p50.toFixed(2)}×`);
  latencyRow(
    `chain dashboard ${CHAIN_RANGE_DAYS} d, GraphQL (uncached)`,
    r.chainSeries.graphql,
    `p95 < ${TARGETS.chainP95Ms} ms`,
    mark(v.chainP95),
  );
  latencyRow('  raw SQL, statement only', r.chainSeries.rawStatement);
  latencyRow('  raw SQL, checkout+BEGIN+statement+COMMIT', r.chainSeries.rawFull);
  ratioRow('  GraphQL p95 / raw statement p95', v.chainRatio);
  infoRow('  GraphQL p95 / raw full round trip p95', `${v.chainRatio.vsFull.toFixed(2)}×`);
  infoRow('  GraphQL p50 / raw statement p50', `${v.chainRatio.p50.toFixed(2)}×`);
  latencyRow(
    `recordSale, one client (${e.benchTenant})`,
    r.saleSeries.graphql,
    `p95 < ${TARGETS.recordSaleP95Ms} ms`,
    mark(v.recordSaleP95),
  );
  latencyRow(`recordSale under load, ${settings.clients} clients`, r.load.latency);
  rows.push([
    `throughput, ${settings.clients} clients → ${e.benchLocationsUsed} location${e.benchLocationsUsed > 1 ? 's' : ''}, ${r.load.elapsedSeconds} s`,
    String(r.load.sales),
    '',
    `${r.load.salesPerSecond} sales/s`,
    '',
    `≥ ${TARGETS.salesPerSecond} /s`,
    mark(v.salesPerSecond),
  ]);

  out('');
  out(`LocalStore bench — ${new Date().toISOString()}`);
  out(`machine: ${e.cpus} × ${e.cpuModel}; Node ${e.node}; PostgreSQL ${e.postgres}; schema ${e.schema}`);
  out(
    `data: dashboards of ${e.tenant}, ${e.chainLocations} locations${e.leftoverBenchLocations ? ` (+ ${e.leftoverBenchLocations} left by earlier bench runs, covered by the chain dashboard)` : ''}, ` +
      `${e.tenantOrders.toLocaleString('en')} orders (${e.tenantOrdersInRange.toLocaleString('en')} in ${e.range.from}…${e.range.to}), ${e.menuItems} menu items; ` +
      `sales recorded at ${e.benchTenant} (${e.benchLocationsUsed} location${e.benchLocationsUsed > 1 ? 's' : ''}, ${e.benchMenuItems} menu items)`,
  );
  out('');
  printTable(rows);
  out('');
  out(`failed requests: ${failed.count}${failed.count ? ` (${failed.first.join('; ')})` : ''}`);
  const { cpu } = r;
  if (cpu.load) {
    out('');
    const disturbed = printCpu(
      `CPU, % of one core (${e.cpus} cores; "other" is work outside this bench; busy before start: ${e.machineBusyBeforeStartPercent}% of the machine)`,
      [
        ['location dashboard series', cpu.locationDashboard!],
        ['chain dashboard series', cpu.chainDashboard!],
        ['recordSale series', cpu.recordSale!],
        [`load, ${settings.clients} clients`, cpu.load],
      ],
    );
    // CPU per sale says what the machine can sustain at best, however busy it was.
    const perSale = (percent: number) => (percent * 10) / r.load.salesPerSecond;
    const load = cpu.load;
    const totalMs = perSale(load.cell! + load.client! + load.postgres!);
    out(
      `  CPU per sale under load: cell ${perSale(load.cell!).toFixed(2)} ms, client ${perSale(load.client!).toFixed(2)} ms, ` +
        `PostgreSQL ${perSale(load.postgres!).toFixed(2)} ms; ${totalMs.toFixed(2)} ms in all, so at most ` +
        `~${Math.round((e.cpus * 1000) / totalMs)} sales/s on ${e.cpus} fully busy cores`,
    );
    if (disturbed.length > 0 || (e.machineBusyBeforeStartPercent ?? 0) > 20) {
      out(
        `WARNING: other work was running (${disturbed.join(', ') || 'before the start'}): these figures are disturbed, run again on a quiet machine.`,
      );
    }
  }
  out(
    r.recordedCheck === null
      ? 'sales recorded: not checked (the business day changed during the run)'
      : `sales recorded: ${r.salesSent} sent, ${r.recordedCheck ? 'all' : 'NOT all'} found in the bench locations' todayOrders`,
  );
  out('ratios use p95 of GraphQL over p95 of the raw statement alone; the dashboards were sent with Cache-Control: no-cache.');
}

/** CPU milliseconds per sale under load, per party (the final JSON line's `cpuMsPerSaleUnderLoad`). */
export function cpuMsPerSaleUnderLoad(r: CellFigures): Record<string, number> | null {
  const load = r.cpu.load;
  if (!load) return null;
  return Object.fromEntries(['cell', 'client', 'postgres'].map((k) => [k, Math.round((load[k]! * 1000) / r.load.salesPerSecond) / 100]));
}
