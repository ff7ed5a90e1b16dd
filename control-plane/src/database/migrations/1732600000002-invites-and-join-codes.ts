import type { MigrationInterface, QueryRunner } from 'typeorm';
import { DIRECTORY_APP_GROUP } from '../directory-facts';

/**
 * Ways into a business: an invite to a phone number (seen by its owner after an OTP
 * sign-in), or a short join code printed for a team, which expires.
 */
export class InvitesAndJoinCodes1732600000002 implements MigrationInterface {
  name = 'InvitesAndJoinCodes1732600000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
CREATE TABLE invites (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  phone text NOT NULL CHECK (phone ~ '^\\+84[0-9]{9,10}$'),
  role text NOT NULL CHECK (role IN ('owner', 'manager', 'staff')),
  location_ids uuid[],
  invited_by uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  accepted_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX invites_phone ON invites (phone) WHERE accepted_at IS NULL AND revoked_at IS NULL;

CREATE TABLE join_codes (
  code text PRIMARY KEY CHECK (code ~ '^[A-HJ-NP-Z2-9]{6}$'),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('manager', 'staff')),
  location_ids uuid[],
  created_by uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz
);
GRANT SELECT, INSERT, UPDATE ON invites, join_codes TO ${DIRECTORY_APP_GROUP};`);
  }

  async down(): Promise<void> {
    throw new Error('Migrations are forward-only: write a new migration instead of reverting one.');
  }
}
