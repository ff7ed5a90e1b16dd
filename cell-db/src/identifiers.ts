/**
 * Values spliced into SQL text (schema names, tenant ids) are checked here first, so the
 * statements that use them cannot be bent by a hostile value.
 */
import { POSTGRES_SCHEMA_NAME } from '@localstore/common';

/** What is refused before any SQL is sent: the offending value is named. */
export class CellInputError extends Error {}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A value for an error message: quoted, and cut short so a hostile value cannot flood a log. */
function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

/** Whether `schema` is a cell schema name as cell-api accepts it (`DATABASE_SCHEMA`). */
export function isSchemaName(schema: unknown): schema is string {
  return typeof schema === 'string' && POSTGRES_SCHEMA_NAME.test(schema);
}

/** A cell schema name as cell-api accepts it (`DATABASE_SCHEMA`); it is spliced into SQL. */
export function assertSchemaName(schema: unknown, what = 'schema'): string {
  if (!isSchemaName(schema)) {
    throw new CellInputError(`${what} ${shown(schema)} is not a schema name (lower-case letters, digits and _, at most 63)`);
  }
  return schema;
}

/** A tenant id: a UUID, returned in lower case as Postgres prints it (it is spliced into SQL). */
export function assertTenantId(tenantId: unknown): string {
  if (typeof tenantId !== 'string' || !UUID.test(tenantId)) {
    throw new CellInputError(`tenant id ${shown(tenantId)} is not a UUID`);
  }
  return tenantId.toLowerCase();
}

/** Quotes a name read from the catalog for use in SQL text. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
