import { Client } from 'pg';
import { MAINTENANCE_URL, OWNER_URL, TEST_DATABASE } from '@localstore/common/testing';

/**
 * Runs once before the tests (vitest's global set-up): makes sure the test database exists on the real
 * PostgreSQL started by `scripts/services.sh`, and clears schemas left by earlier runs.
 * Each test file migrates a schema of its own, so files run in parallel without sharing rows.
 */
export default async function setup(): Promise<void> {
  const maintenance = new Client({ connectionString: MAINTENANCE_URL });
  try {
    await maintenance.connect();
  } catch (error) {
    throw new Error(`PostgreSQL is not reachable (${(error as Error).message}); run 'make services' or 'make test'.`);
  }
  const { rowCount } = await maintenance.query('SELECT 1 FROM pg_database WHERE datname = $1', [TEST_DATABASE]);
  if (!rowCount) await maintenance.query(`CREATE DATABASE "${TEST_DATABASE}"`);
  await maintenance.end();

  const owner = new Client({ connectionString: OWNER_URL });
  await owner.connect();
  const { rows } = await owner.query<{ nspname: string }>("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'test\\_%'");
  for (const { nspname } of rows) await owner.query(`DROP SCHEMA "${nspname}" CASCADE`);
  await owner.end();
}
