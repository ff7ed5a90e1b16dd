import type { DataSource } from 'typeorm';
import { type CellSchemaTarget, createCellDataSource, MIGRATIONS } from './data-source';

/**
 * Brings the cell's schema to the latest migration, as the schema owner. Creates the
 * schema first (a dedicated cell is the same tables in a schema of its own).
 */
export async function migrateCellSchema(config: CellSchemaTarget): Promise<string[]> {
  const owner = createCellDataSource(config, 'owner');
  await owner.initialize();
  // Two migrators of one schema (the operator and a `make migrate`, or two operator passes
  // across a leader change) take turns: the second finds the migrations applied.
  const lock = owner.createQueryRunner();
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [`cell-migrations:${config.database.schema}`]);
    await owner.query(`CREATE SCHEMA IF NOT EXISTS "${config.database.schema}"`);
    const applied = await owner.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await lock.release(); // ends the session, and with it the lock
    await owner.destroy();
  }
}

/** Whether every known migration has been applied: `/readyz` refuses traffic otherwise. */
export async function migrationsAreCurrent(dataSource: DataSource, schema: string): Promise<boolean> {
  const rows: { name: string }[] = await dataSource.query(`SELECT name FROM "${schema}".schema_migrations`);
  const applied = new Set(rows.map((row) => row.name));
  return MIGRATIONS.every((migration) => applied.has(migration.name));
}
