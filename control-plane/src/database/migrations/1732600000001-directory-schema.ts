import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { DIRECTORY_APP_GROUP } from '../directory-facts';

/**
 * The control plane's directory: who the users are, which tenants exist, who belongs to
 * which, which cell serves each tenant, and the credentials the control plane issues.
 * Changing a route notifies `route_changed`, so every router refreshes its table at once.
 */
export class DirectorySchema1732600000001 implements MigrationInterface {
  name = 'DirectorySchema1732600000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = (queryRunner.connection.options as PostgresConnectionOptions).schema ?? 'public';
    await queryRunner.query(`
CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  phone text NOT NULL UNIQUE CHECK (phone ~ '^\\+84[0-9]{9,10}$'),
  display_name text CHECK (length(display_name) <= 200),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE cells (
  name text PRIMARY KEY CHECK (name ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  mode text NOT NULL CHECK (mode IN ('pooled', 'dedicated')),
  endpoint text NOT NULL CHECK (endpoint ~ '^https?://'),
  -- The most tenants a pooled cell takes; signup places new tenants where there is room.
  capacity int NOT NULL DEFAULT 500 CHECK (capacity > 0),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cordoned')),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tenants (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  plan text NOT NULL DEFAULT 'pooled' CHECK (plan IN ('pooled', 'dedicated')),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('provisioning', 'active', 'suspended')),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE memberships (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('owner', 'manager', 'staff')),
  -- NULL: every location of the tenant.
  location_ids uuid[],
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id);

CREATE TABLE routes (
  tenant_id uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
  cell_name text NOT NULL REFERENCES cells (name),
  -- draining: reads pass, writes are answered 503 while the tenant moves between cells.
  state text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'draining')),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX routes_cell ON routes (cell_name);

CREATE FUNCTION notify_route_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('route_changed', coalesce(NEW.tenant_id, OLD.tenant_id)::text);
  RETURN NULL;
END $$;
CREATE TRIGGER routes_changed AFTER INSERT OR UPDATE OR DELETE ON routes
  FOR EACH ROW EXECUTE FUNCTION notify_route_changed();
CREATE FUNCTION notify_tenant_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('route_changed', coalesce(NEW.id, OLD.id)::text);
  RETURN NULL;
END $$;
CREATE TRIGGER tenants_changed AFTER UPDATE OF slug, status OR DELETE ON tenants
  FOR EACH ROW EXECUTE FUNCTION notify_tenant_changed();

-- Signing keys of access tokens. The newest active key signs; retired keys stay in the
-- JWKS until every token they signed has expired.
CREATE TABLE signing_keys (
  kid text PRIMARY KEY,
  private_jwk jsonb NOT NULL,
  public_jwk jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  retired_at timestamptz
);

-- Refresh tokens, stored as SHA-256 hashes. A family is one login; rotation chains tokens
-- in a family, and presenting a used token revokes the whole family.
CREATE TABLE refresh_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  family_id uuid NOT NULL,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  tenant_id uuid REFERENCES tenants (id) ON DELETE CASCADE,
  token_hash bytea NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

CREATE TABLE security_events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  at timestamptz NOT NULL DEFAULT now(),
  kind text NOT NULL CHECK (length(kind) <= 64),
  user_id uuid,
  ip text,
  details jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX security_events_recent ON security_events (at DESC);
`);
    const grants: Record<string, string> = {
      users: 'SELECT, INSERT, UPDATE',
      cells: 'SELECT, INSERT, UPDATE',
      tenants: 'SELECT, INSERT, UPDATE, DELETE',
      memberships: 'SELECT, INSERT, UPDATE, DELETE',
      routes: 'SELECT, INSERT, UPDATE, DELETE',
      signing_keys: 'SELECT, INSERT, UPDATE',
      refresh_tokens: 'SELECT, INSERT, UPDATE',
      security_events: 'SELECT, INSERT',
      schema_migrations: 'SELECT',
    };
    await queryRunner.query(`GRANT USAGE ON SCHEMA "${schema}" TO ${DIRECTORY_APP_GROUP}`);
    for (const [table, privileges] of Object.entries(grants)) {
      await queryRunner.query(`GRANT ${privileges} ON ${table} TO ${DIRECTORY_APP_GROUP}`);
    }
  }

  async down(): Promise<void> {
    throw new Error('Migrations are forward-only: write a new migration instead of reverting one.');
  }
}
