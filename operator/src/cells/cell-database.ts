import type { CoreV1Api } from '@kubernetes/client-node';
import {
  type CellTenantState,
  isSchemaName,
  migrateCellSchema,
  MIGRATIONS,
  setTenantServing,
  type TenantRow,
  upsertTenant,
  withTenantTransaction,
} from '@localstore/cell-db';
import { Pool } from 'pg';
import { isNotFound } from '../kube/kube-client';
import type { Cell } from '../kube/resources';

/** The connection URLs in a cell's database Secret (in the operator's namespace). */
export interface CellDatabaseSecret {
  /** The cell pods' login: no ownership, row-level security applies. */
  appUrl: string;
  /** The schema owner: migrations, schema creation and removal, tenant moves. Stays in the operator. */
  ownerUrl: string;
}

export class CellDatabaseError extends Error {
  constructor(
    readonly reason: 'SecretMissing' | 'SecretInvalid' | 'MigrationFailed',
    message: string,
  ) {
    super(message);
  }
}

/**
 * The database side of cells, as the schema owner: the schema and its migrations (the
 * operator ships the cell migrations of its own release, so the schema a cell's pods find is
 * the one their code expects), the tenant rows of placement, and the removal of an empty
 * cell's schema. Pools are kept per owner URL, since many cells share one Postgres.
 */
export class CellDatabases {
  private readonly pools = new Map<string, Pool>();

  constructor(
    private readonly core: CoreV1Api,
    private readonly namespace: string,
  ) {}

  async secretOf(cell: Cell): Promise<CellDatabaseSecret> {
    const name = cell.spec.database.secretName;
    let data: Record<string, string> | undefined;
    try {
      data = (await this.core.readNamespacedSecret({ name, namespace: this.namespace })).data;
    } catch (error) {
      if (isNotFound(error))
        throw new CellDatabaseError('SecretMissing', `Secret ${this.namespace}/${name} named by spec.database.secretName does not exist.`);
      throw error;
    }
    const decode = (key: string) => (data?.[key] ? Buffer.from(data[key]!, 'base64').toString('utf8') : '');
    const secret = { appUrl: decode('DATABASE_URL'), ownerUrl: decode('DATABASE_OWNER_URL') };
    for (const [key, value] of [
      ['DATABASE_URL', secret.appUrl],
      ['DATABASE_OWNER_URL', secret.ownerUrl],
    ] as const) {
      if (!/^postgres(ql)?:\/\//.test(value))
        throw new CellDatabaseError('SecretInvalid', `Secret ${this.namespace}/${name} needs ${key} as a postgres:// URL.`);
    }
    return secret;
  }

  /** The owner's pool for a cell's database (shared by the cells in that database). */
  ownerPool(secret: CellDatabaseSecret): Pool {
    let pool = this.pools.get(secret.ownerUrl);
    if (!pool) {
      pool = new Pool({
        connectionString: secret.ownerUrl,
        max: 6,
        application_name: 'localstore-operator',
        connectionTimeoutMillis: 5_000,
      });
      pool.on('error', () => undefined); // an idle client's error surfaces on the next query
      this.pools.set(secret.ownerUrl, pool);
    }
    return pool;
  }

  /** Creates the schema if needed and applies the migrations it lacks; returns their names. */
  async migrate(cell: Cell, secret: CellDatabaseSecret): Promise<string[]> {
    const schema = checkedSchema(cell.spec.database.schema);
    try {
      return await migrateCellSchema({ cellName: cell.metadata!.name!, database: { ownerUrl: secret.ownerUrl, schema } });
    } catch (error) {
      throw new CellDatabaseError(
        'MigrationFailed',
        `Migrating schema ${schema} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  /** Whether the schema has every migration this operator knows. */
  async isCurrent(cell: Cell, secret: CellDatabaseSecret): Promise<boolean> {
    const schema = checkedSchema(cell.spec.database.schema);
    const result = await this.ownerPool(secret)
      .query<{ applied: string }>(`SELECT count(*) FILTER (WHERE name = ANY($1))::text AS applied FROM "${schema}".schema_migrations`, [
        MIGRATIONS.map((m) => m.name),
      ])
      .catch(() => undefined);
    return result !== undefined && Number(result.rows[0]!.applied) === MIGRATIONS.length;
  }

  /**
   * Puts the tenant's row in the cell (or updates its name and plan). Runs as the owner with
   * `app.tenant_id` set, because row-level security is forced on the owner too.
   */
  async upsertTenant(cell: Cell, secret: CellDatabaseSecret, tenant: TenantRow): Promise<void> {
    const schema = checkedSchema(cell.spec.database.schema);
    await withTenantTransaction(this.ownerPool(secret), tenant.id, (db) => upsertTenant(db, tenant), { schema });
  }

  /**
   * Which cell consumes a tenant's payments: `arriving` in a promotion's target before
   * any row is copied there, `serving` and `departed` at the route switch (see the cell's
   * `cell_tenants` migration). A tenant row created otherwise is `serving` by itself.
   */
  async setTenantServing(cell: Cell, secret: CellDatabaseSecret, tenantId: string, state: CellTenantState): Promise<void> {
    await setTenantServing(this.ownerPool(secret), checkedSchema(cell.spec.database.schema), tenantId, state);
  }

  /** Drops an empty cell's schema. Only called once no tenant is placed there. */
  async dropSchema(cell: Cell, secret: CellDatabaseSecret): Promise<void> {
    const schema = checkedSchema(cell.spec.database.schema);
    await this.ownerPool(secret).query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.end()));
    this.pools.clear();
  }
}

function checkedSchema(schema: string): string {
  // The CRD already refuses other names; this guards the SQL against a CRD installed without it.
  if (!isSchemaName(schema)) throw new CellDatabaseError('SecretInvalid', `spec.database.schema "${schema}" is not an identifier.`);
  return schema;
}
