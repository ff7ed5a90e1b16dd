import { parseExactBigint } from '@localstore/common';
import { types } from 'pg';
import { DataSource } from 'typeorm';
import { InitialSchema1732500000001 } from './migrations/1732500000001-initial-schema';
import { ForeignKeyIndexes1732500000002 } from './migrations/1732500000002-foreign-key-indexes';
import { TenantProvisioningGrants1732500000003 } from './migrations/1732500000003-tenant-provisioning-grants';
import { RollupCoveringIndexes1732500000004 } from './migrations/1732500000004-rollup-covering-indexes';
import { PaymentsFromProviders1732500000005 } from './migrations/1732500000005-payments-from-providers';
import { PushDevices1732500000006 } from './migrations/1732500000006-push-devices';
import { PaidPaymentRollup1732500000007 } from './migrations/1732500000007-paid-payment-rollup';
import { ForecastsAndAdvice1732500000008 } from './migrations/1732500000008-forecasts-and-advice';

types.setTypeParser(types.builtins.INT8, parseExactBigint);

/** Every migration, in order. Forward-only: a released migration is never edited. */
export const MIGRATIONS = [
  InitialSchema1732500000001,
  ForeignKeyIndexes1732500000002,
  TenantProvisioningGrants1732500000003,
  RollupCoveringIndexes1732500000004,
  PaymentsFromProviders1732500000005,
  PushDevices1732500000006,
  PaidPaymentRollup1732500000007,
  ForecastsAndAdvice1732500000008,
];

export type DatabaseRole = 'app' | 'owner';

/** Where a cell's tables are and how the cell connects to them (the cell's `database` settings). */
export interface CellDatabaseSettings {
  /** Login of the application role: owns nothing, cannot bypass RLS. */
  appUrl: string;
  /** Login of the schema owner: migrations, seeding, tenant moves. */
  ownerUrl: string;
  /** Postgres schema holding the cell's tables. */
  schema: string;
  /** Connections in the application pool. */
  poolSize: number;
  /** Statement timeout for request queries, ms. */
  statementTimeoutMs: number;
}

/** What the owner's connection needs: where the schema is and who migrates it (no token or HTTP settings). */
export interface CellSchemaTarget {
  cellName: string;
  database: Pick<CellDatabaseSettings, 'ownerUrl' | 'schema'>;
}

/**
 * A TypeORM data source for the cell's schema. `app` is the request path (RLS applies,
 * statement timeout set); `owner` runs migrations and the demo seed.
 */
export function createCellDataSource(config: { cellName: string; database: CellDatabaseSettings }, role: 'app'): DataSource;
export function createCellDataSource(config: CellSchemaTarget, role: 'owner'): DataSource;
export function createCellDataSource(
  config: CellSchemaTarget & { database: Partial<CellDatabaseSettings> },
  role: DatabaseRole,
): DataSource {
  const { database } = config;
  return new DataSource({
    type: 'postgres',
    url: role === 'app' ? database.appUrl : database.ownerUrl,
    schema: database.schema,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    applicationName: `cell-api:${config.cellName}:${role}`,
    poolSize: role === 'app' ? database.poolSize : 4,
    extra: {
      // search_path: the cell's schema, then public for the extensions.
      options: `-c search_path=${database.schema},public${role === 'app' ? ` -c statement_timeout=${database.statementTimeoutMs}` : ''}`,
      // Node never sees timestamps as local time; the database session is UTC too.
      connectionTimeoutMillis: 5_000,
    },
  });
}
