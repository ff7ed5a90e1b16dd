import { loadControlPlaneConfig } from '../src/config/control-plane-config';
import { migrateDirectory } from '../src/database/data-source';

/** `make migrate`: the directory schema, as its owner. */
async function main(): Promise<void> {
  const config = loadControlPlaneConfig();
  const applied = await migrateDirectory(config);
  process.stdout.write(
    applied.length > 0
      ? `Applied ${applied.length} directory migration(s): ${applied.join(', ')}\n`
      : `Directory schema ${config.directory.schema} is up to date.\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`directory migration failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
