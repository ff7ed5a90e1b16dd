import { assertSchemaName } from './identifiers';

/**
 * One table holding tenant rows in a cell's schema, as the catalog describes it (never a
 * list kept by hand): promotion copies, compares and removes a tenant's rows table by table
 * with these facts, the isolation suite checks each one's row-level security, and the demo
 * writer orders its deletes by them.
 */
export interface TenantTable {
  /** The table's name in its schema, unquoted. */
  name: string;
  /**
   * The column that says whose row it is: `tenant_id`, or the key of the tenants table
   * itself (`id`), the table every `tenant_id` refers to.
   */
  tenantColumn: string;
  /** Columns an INSERT may name (every column but GENERATED ones), in table order. */
  columns: string[];
  /** Primary key columns, in key order; keyset batches walk the table in this order. */
  primaryKey: string[];
  /** SQL type of each primary key column (`format_type`), to cast keys passed as text. */
  primaryKeyTypes: string[];
  /** Integer and numeric columns outside the primary key: summed to verify a copy. */
  summableColumns: string[];
  /** A column is GENERATED ALWAYS AS IDENTITY, so copies insert with OVERRIDING SYSTEM VALUE. */
  overridesIdentity: boolean;
}

/** Where a cell's schema keeps the state of tenant moves; never copied with a tenant. */
export const TENANT_MOVES_TABLE = 'tenant_moves';
export const CHANGE_LOG_TABLE = 'tenant_move_changes';
const NOT_TENANT_TABLES = new Set(['schema_migrations', TENANT_MOVES_TABLE, CHANGE_LOG_TABLE]);
const TENANT_COLUMN = 'tenant_id';

/**
 * What the catalog is read through: a pg pool or client (whose `query` answers `{ rows }`)
 * or a TypeORM data source (whose `query` answers the rows).
 */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** The rows of a statement, whichever kind of connection answers it. */
export async function select<T>(db: Queryable, sql: string, params: unknown[] = []): Promise<T[]> {
  const answer = (await db.query(sql, params)) as T[] | { rows: T[] };
  return Array.isArray(answer) ? answer : answer.rows;
}

interface CatalogColumn {
  table: string;
  name: string;
  generated: boolean;
  identityAlways: boolean;
  type: string;
  summable: boolean;
}

/**
 * Every tenant table of `schema`, read from the catalog, parents before children: a table
 * another one references through a foreign key comes first, so rows can be inserted in
 * this order and deleted in the reverse one. A tenant table is one with a `tenant_id`
 * column, plus the table those columns reference (`tenants`, keyed by `id`).
 */
export async function tenantTablesInDependencyOrder(client: Queryable, schema: string): Promise<TenantTable[]> {
  assertSchemaName(schema);
  const tables = await select<{ name: string }>(
    client,
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition`,
    [schema],
  );
  if (tables.length === 0) throw new Error(`schema "${schema}" has no tables (is it migrated?)`);
  const columns = await select<CatalogColumn>(
    client,
    `SELECT c.relname AS table, a.attname AS name, a.attgenerated <> '' AS generated, a.attidentity = 'a' AS "identityAlways",
            format_type(a.atttypid, a.atttypmod) AS type,
            a.atttypid IN ('int2'::regtype, 'int4'::regtype, 'int8'::regtype, 'numeric'::regtype) AS summable
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY c.relname, a.attnum`,
    [schema],
  );
  const keys = await select<{ table: string; columns: string[] }>(
    client,
    `SELECT c.relname AS table, array_agg(a.attname::text ORDER BY k.ord) AS columns
       FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
      WHERE n.nspname = $1 AND i.indisprimary
      GROUP BY c.relname`,
    [schema],
  );
  const foreignKeys = await select<{ child: string; parent: string; childColumns: string[]; parentColumns: string[] }>(
    client,
    `SELECT child.relname AS child, parent.relname AS parent,
            ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS "childColumns",
            ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.ord) AS "parentColumns"
       FROM pg_constraint con
       JOIN pg_class child ON child.oid = con.conrelid JOIN pg_namespace cn ON cn.oid = child.relnamespace
       JOIN pg_class parent ON parent.oid = con.confrelid JOIN pg_namespace pn ON pn.oid = parent.relnamespace
      WHERE con.contype = 'f' AND cn.nspname = $1 AND pn.nspname = $1`,
    [schema],
  );

  const columnsOf = new Map<string, CatalogColumn[]>();
  for (const column of columns) columnsOf.set(column.table, [...(columnsOf.get(column.table) ?? []), column]);
  const primaryKeyOf = new Map(keys.map((key) => [key.table, key.columns]));

  // The tenant column of each tenant table: `tenant_id`, or for the tenants table the
  // column its `tenant_id` references point at.
  const tenantColumnOf = new Map<string, string>();
  for (const { name } of tables) {
    if (NOT_TENANT_TABLES.has(name)) continue;
    if (columnsOf.get(name)?.some((column) => column.name === TENANT_COLUMN)) tenantColumnOf.set(name, TENANT_COLUMN);
  }
  for (const fk of foreignKeys) {
    if (
      fk.childColumns.length === 1 &&
      fk.childColumns[0] === TENANT_COLUMN &&
      tenantColumnOf.get(fk.child) === TENANT_COLUMN &&
      !tenantColumnOf.has(fk.parent)
    ) {
      tenantColumnOf.set(fk.parent, fk.parentColumns[0]!);
    }
  }

  const described = new Map<string, TenantTable>();
  for (const [name, tenantColumn] of tenantColumnOf) {
    const primaryKey = primaryKeyOf.get(name);
    if (!primaryKey) throw new Error(`tenant table "${schema}"."${name}" has no primary key; its rows cannot be copied in batches`);
    const own = columnsOf.get(name) ?? [];
    const typeOf = new Map(own.map((column) => [column.name, column.type]));
    described.set(name, {
      name,
      tenantColumn,
      columns: own.filter((column) => !column.generated).map((column) => column.name),
      primaryKey,
      primaryKeyTypes: primaryKey.map((column) => typeOf.get(column)!),
      summableColumns: own
        .filter((column) => column.summable && !column.generated && !primaryKey.includes(column.name))
        .map((column) => column.name),
      overridesIdentity: own.some((column) => column.identityAlways),
    });
  }

  const parentsOf = new Map<string, Set<string>>([...described.keys()].map((name) => [name, new Set<string>()]));
  for (const fk of foreignKeys) {
    if (!described.has(fk.child) || !described.has(fk.parent)) continue;
    if (fk.child === fk.parent) {
      // Keyset batches in key order cannot promise a parent row before its child row.
      throw new Error(`tenant table "${schema}"."${fk.child}" references itself; promotion cannot order its rows`);
    }
    parentsOf.get(fk.child)!.add(fk.parent);
  }
  return topologicalOrder(parentsOf, schema).map((name) => described.get(name)!);
}

/** Kahn's algorithm; ties are broken by name so the order is the same on every run. */
function topologicalOrder(parentsOf: Map<string, Set<string>>, schema: string): string[] {
  const remaining = new Map([...parentsOf].map(([name, parents]) => [name, new Set(parents)]));
  const order: string[] = [];
  while (remaining.size > 0) {
    const ready = [...remaining]
      .filter(([, parents]) => parents.size === 0)
      .map(([name]) => name)
      .sort();
    if (ready.length === 0) {
      throw new Error(`tenant tables of "${schema}" reference each other in a cycle: ${[...remaining.keys()].sort().join(', ')}`);
    }
    for (const name of ready) {
      order.push(name);
      remaining.delete(name);
    }
    for (const parents of remaining.values()) for (const name of ready) parents.delete(name);
  }
  return order;
}
