import { loadCellConfig } from '../src/config/cell-config';
import { migrateCellSchema } from '@localstore/cell-db';

/** `make migrate`: brings the configured cell schema to the latest migration, as its owner. */
async function main(): Promise<void> {
  const config = loadCellConfig();
  const applied = await migrateCellSchema(config);
  process.stdout.write(
    applied.length > 0
      ? `Applied ${applied.length} migration(s) to schema ${config.database.schema}: ${applied.join(', ')}\n`
      : `Schema ${config.database.schema} is up to date.\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`migration failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
