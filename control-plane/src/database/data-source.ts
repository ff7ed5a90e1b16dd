import { parseExactBigint } from '@localstore/common';
import { types } from 'pg';
import { DataSource } from 'typeorm';
import type { ControlPlaneConfig } from '../config/control-plane-config';
import { DirectorySchema1732600000001 } from './migrations/1732600000001-directory-schema';
import { InvitesAndJoinCodes1732600000002 } from './migrations/1732600000002-invites-and-join-codes';
import { PaymentAccountsAndIntents1732600000003 } from './migrations/1732600000003-payment-accounts-and-intents';
import { PaymentReconciliation1732600000004 } from './migrations/1732600000004-payment-reconciliation';

types.setTypeParser(types.builtins.INT8, parseExactBigint);

export const DIRECTORY_MIGRATIONS = [
  DirectorySchema1732600000001,
  InvitesAndJoinCodes1732600000002,
  PaymentAccountsAndIntents1732600000003,
  PaymentReconciliation1732600000004,
];

/** The directory's data source: `app` for requests (no ownership), `owner` for migrations. */
export function createDirectoryDataSource(config: ControlPlaneConfig, role: 'app' | 'owner'): DataSource {
  const { directory } = config;
  return new DataSource({
    type: 'postgres',
    url: role === 'app' ? directory.appUrl : directory.ownerUrl,
    schema: directory.schema,
    migrations: DIRECTORY_MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    applicationName: `control-plane:${role}`,
    poolSize: role === 'app' ? directory.poolSize : 2,
    extra: { options: `-c search_path=${directory.schema},public`, connectionTimeoutMillis: 5_000 },
  });
}

export async function migrateDirectory(config: ControlPlaneConfig): Promise<string[]> {
  const owner = createDirectoryDataSource(config, 'owner');
  await owner.initialize();
  try {
    await owner.query(`CREATE SCHEMA IF NOT EXISTS "${config.directory.schema}"`);
    return (await owner.runMigrations({ transaction: 'each' })).map((m) => m.name);
  } finally {
    await owner.destroy();
  }
}
