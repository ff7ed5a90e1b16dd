import { formatDong, VN_TIME_ZONE } from '@localstore/common';
import { loadCellConfig } from '../src/config/cell-config';
import { createCellDataSource } from '@localstore/cell-db';
import { settledHourBefore } from './demo-data/demand-model';
import { seedDemoTenants, type TenantSeedReport } from './demo-data/demo-seeder';
import { parseSeedArguments, SeedArgumentError, SEED_USAGE } from './demo-data/seed-options';

/** Progress lines during a long tenant, not after every batch. */
const PROGRESS_EVERY_ORDERS = 100_000;

const count = (n: number) => n.toLocaleString('en-US');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
/** "2026-11-25 14:00", local time: how the dashboards show it. */
const localTime = (instant: Date) =>
  instant.toLocaleString('sv-SE', {
    timeZone: VN_TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });

function summaryLineOf(report: TenantSeedReport): string {
  const through = localTime(report.through);
  switch (report.outcome) {
    case 'up_to_date':
      return `  ${report.slug} up to date: history through ${through} (--reset rebuilds it)`;
    case 'topped_up':
      return (
        `  ${report.slug} topped up: ${count(report.orders)} orders since ${localTime(report.since!)} (${count(report.voidedOrders)} voided), ` +
        `revenue ${formatDong(report.revenue)}, through ${through}, ${seconds(report.milliseconds)}`
      );
    case 'seeded': {
      const before = report.stateBefore === 'unfinished' ? ' (an earlier reset was interrupted; rebuilt)' : '';
      return (
        `  ${report.slug.padEnd(14)} ${count(report.orders).padStart(9)} orders (${count(report.voidedOrders)} voided), revenue ${formatDong(report.revenue)}, ` +
        `${report.locations} location(s), ${report.firstDate} → ${through}, ${seconds(report.milliseconds)}${before}`
      );
    }
  }
}

/** `make seed-demo`: the demo tenants with their history, seeded once and topped up on every later run (see SEED_USAGE). */
async function main(): Promise<void> {
  const options = parseSeedArguments(process.argv.slice(2), new Date());
  if (options.help) {
    process.stdout.write(SEED_USAGE);
    return;
  }
  const config = loadCellConfig();
  const owner = createCellDataSource(config, 'owner');
  await owner.initialize();
  const started = performance.now();
  try {
    process.stdout.write(
      `Demo tenants in schema ${config.database.schema}: history up to ${localTime(settledHourBefore(options.end))} ${VN_TIME_ZONE} ` +
        `(new histories: seed ${options.seed}, scale ${options.scale}${options.reset ? ', reset' : ''})\n`,
    );
    const reported = new Map<string, number>();
    const reports = await seedDemoTenants(owner, options, (slug, ordersSoFar) => {
      if (ordersSoFar < (reported.get(slug) ?? 0) + PROGRESS_EVERY_ORDERS) return;
      process.stdout.write(`  ${slug}: ${count(ordersSoFar)} orders…\n`);
      reported.set(slug, ordersSoFar);
    });
    for (const report of reports) process.stdout.write(`${summaryLineOf(report)}\n`);
    const total = reports.reduce((sum, report) => sum + report.orders, 0);
    process.stdout.write(`Done: ${count(total)} orders written in ${seconds(performance.now() - started)}.\n`);
  } finally {
    await owner.destroy();
  }
}

/** The usual first-run mistakes, with what to do about them. */
function hintFor(error: unknown): string {
  // The seeder wraps database errors (naming the tenant); their code travels as the cause.
  const { code, cause } = (error ?? {}) as { code?: string; cause?: { code?: string } };
  switch (code ?? cause?.code) {
    case 'ECONNREFUSED':
      return '\nIs PostgreSQL running? Start it with scripts/services.sh up postgres.';
    case '42P01': // undefined_table
      return '\nThe cell schema is not migrated: run node cell-api/dist/scripts/migrate.js first.';
    default:
      return '';
  }
}

main().catch((error: unknown) => {
  if (error instanceof SeedArgumentError) {
    process.stderr.write(`seed-demo: ${error.message}\n\n${SEED_USAGE}`);
    process.exit(2);
  }
  process.stderr.write(`seed-demo failed: ${error instanceof Error ? error.message : String(error)}${hintFor(error)}\n`);
  process.exit(1);
});
