/**
 * The names every part checks the same way: a PostgreSQL schema name is spliced into SQL
 * (`SET search_path`, `CREATE SCHEMA`), so it is held to lower-case letters, digits and `_`
 * (at most 63, PostgreSQL's identifier length); a cell's name is a DNS label, since it names
 * Kubernetes objects and the directory's `cells.name` CHECK holds the same rule.
 */
export const POSTGRES_SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
export const CELL_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
