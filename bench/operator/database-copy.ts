// The demo database copy the phase runs on, so the demo data is never touched:
// `CREATE DATABASE <copy> TEMPLATE <demo>` as the superuser, dropped by the undo list.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCAL_DIR } from '@localstore/flows/harness/kube-paths';
import pg from 'pg';
import type { OperatorSettings } from './settings';
import { seconds } from './time';
import type { UndoList } from '../lib/cleanup';

export type DatabaseCopy = { skipped: string } | { skipped?: undefined; copySeconds: number };

/**
 * PostgreSQL refuses the copy while anyone is connected to the source: then the phase is
 * skipped (the reason returned), never the demo disturbed. FILE_COPY copies the files (with a
 * checkpoint before and after): about half the time of the default WAL_LOG strategy, which
 * writes the whole database to the WAL.
 */
export async function copyDemoDatabase(settings: OperatorSettings, copyName: string, undo: UndoList): Promise<DatabaseCopy> {
  const passwordFile = join(LOCAL_DIR, 'pg/superuser.pw');
  if (!existsSync(passwordFile))
    return {
      skipped: `no PostgreSQL superuser password at ${passwordFile} (scripts/services.sh up postgres makes it): cannot copy the demo database`,
    };
  const source = new URL(settings.databaseUrl);
  const superUrl = (database: string) => {
    const url = new URL(source);
    url.username = 'postgres';
    url.password = readFileSync(passwordFile, 'utf8').trim();
    url.pathname = `/${database}`;
    return url.toString();
  };
  const admin = new pg.Client({ connectionString: superUrl('postgres'), application_name: 'localstore-bench:operator' });
  await admin.connect();
  try {
    const {
      rows: [info],
    } = await admin.query<{ owner: string | null; connections: number; who: string | null }>(
      `SELECT (SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = $1) AS owner,
              (SELECT count(*)::int FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend') AS connections,
              (SELECT string_agg(DISTINCT coalesce(nullif(application_name, ''), usename), ', ') FROM pg_stat_activity
                WHERE datname = $1 AND backend_type = 'client backend') AS who`,
      [settings.sourceDatabase],
    );
    if (!info!.owner) return { skipped: `database ${settings.sourceDatabase} does not exist: run \`make seed-demo\` first` };
    const busy = `${info!.connections} open connection(s) to database ${settings.sourceDatabase} (${info!.who}): it can only be copied when no one uses it. Is \`make demo\` running? Stop it and run \`npx tsx --tsconfig bench/tsconfig.json bench/operator/standalone.ts\`.`;
    if (info!.connections > 0) return { skipped: busy };
    const startedAt = performance.now();
    try {
      await admin.query(`CREATE DATABASE "${copyName}" TEMPLATE "${settings.sourceDatabase}" OWNER "${info!.owner}" STRATEGY FILE_COPY`);
    } catch (error) {
      // 55006: someone connected between the check and the copy.
      if ((error as { code?: string }).code === '55006') return { skipped: busy.replace(/^\d+/, 'new') };
      throw error;
    }
    undo.push(`dropping database ${copyName}`, async () => {
      const dropper = new pg.Client({ connectionString: superUrl('postgres'), application_name: 'localstore-bench:operator' });
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS "${copyName}" WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    });
    return { copySeconds: seconds(performance.now() - startedAt) };
  } finally {
    await admin.end();
  }
}
