import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_GROUP_ROLE } from '../schema-facts';

/**
 * Payments arriving from MoMo, ZaloPay and VNPay through the payments stream.
 *
 * `payments` learns what the provider said (`result_code`), what we asked for
 * (`expected_amount`) and, when the payment does not simply settle its order, why
 * (`discrepancy`): such a payment is kept and alerted, never silently accepted.
 *
 * `cell_tenants` says which tenants this cell serves, so the payments consumer knows whose
 * events to pull. It holds only ids and a state and has no row-level security (the
 * consumer must list them without a tenant set). A new tenant row adds it as `serving`;
 * the operator's promotion writes `arriving` in the target before copying and flips
 * target to `serving` and source to `departed` at the route switch, so exactly one cell
 * consumes a tenant's payments at any time.
 */
export class PaymentsFromProviders1732500000005 implements MigrationInterface {
  name = 'PaymentsFromProviders1732500000005';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
ALTER TABLE payments
  ADD COLUMN result_code text CHECK (length(result_code) <= 20),
  ADD COLUMN expected_amount bigint CHECK (expected_amount BETWEEN 0 AND 1000000000000),
  ADD COLUMN discrepancy text CHECK (discrepancy IN ('AMOUNT_MISMATCH', 'ORDER_NOT_FOUND', 'ORDER_VOIDED', 'ORDER_ALREADY_PAID'));
CREATE INDEX payments_discrepancies ON payments (tenant_id, received_at DESC) WHERE discrepancy IS NOT NULL;

CREATE TABLE cell_tenants (
  id uuid PRIMARY KEY,
  state text NOT NULL DEFAULT 'serving' CHECK (state IN ('arriving', 'serving', 'departed')),
  changed_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION note_cell_tenant() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  EXECUTE format('INSERT INTO %I.cell_tenants (id) VALUES ($1) ON CONFLICT (id) DO NOTHING', TG_TABLE_SCHEMA) USING NEW.id;
  RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION note_cell_tenant() FROM PUBLIC;
CREATE TRIGGER tenants_note_cell_tenant AFTER INSERT ON tenants FOR EACH ROW EXECUTE FUNCTION note_cell_tenant();

-- The tenants already here: the owner, too, is subject to the forced policy, so lift it
-- for this one statement (inside the migration's transaction).
ALTER TABLE tenants NO FORCE ROW LEVEL SECURITY;
ALTER TABLE tenants DISABLE ROW LEVEL SECURITY;
INSERT INTO cell_tenants (id) SELECT id FROM tenants ON CONFLICT (id) DO NOTHING;
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;

-- UPDATE of one column only so the consumer may lock its row FOR SHARE: the operator's
-- flip to 'departed' then waits for every payment being recorded under 'serving'.
GRANT SELECT, UPDATE (changed_at) ON cell_tenants TO ${APP_GROUP_ROLE};
GRANT UPDATE (paid_at) ON orders TO ${APP_GROUP_ROLE};`);
  }

  async down(): Promise<void> {
    throw new Error('Migrations are forward-only: write a new migration instead of reverting one.');
  }
}
