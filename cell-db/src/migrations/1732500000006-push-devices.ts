import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_GROUP_ROLE } from '../schema-facts';

/**
 * Where an owner's phone or browser can be reached when no screen of theirs is open: a
 * Firebase Cloud Messaging registration token, or a Web Push subscription (its endpoint and
 * keys). Pruned when the provider says the device is gone.
 */
export class PushDevices1732500000006 implements MigrationInterface {
  name = 'PushDevices1732500000006';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
CREATE TABLE push_devices (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  role text NOT NULL CHECK (role IN ('owner', 'manager', 'staff')),
  kind text NOT NULL CHECK (kind IN ('fcm', 'webpush')),
  -- FCM: the registration token; Web Push: the subscription's endpoint URL.
  token text NOT NULL CHECK (length(token) BETWEEN 1 AND 4096),
  p256dh text CHECK (length(p256dh) <= 200),
  auth text CHECK (length(auth) <= 100),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_sent_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, kind, token),
  CHECK ((kind = 'webpush') = (p256dh IS NOT NULL AND auth IS NOT NULL))
);
CREATE INDEX push_devices_user ON push_devices (tenant_id, user_id);
ALTER TABLE push_devices ENABLE ROW LEVEL SECURITY;
ALTER TABLE push_devices FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON push_devices USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());
GRANT SELECT, INSERT, UPDATE, DELETE ON push_devices TO ${APP_GROUP_ROLE};`);
  }

  async down(): Promise<void> {
    throw new Error('Migrations are forward-only: write a new migration instead of reverting one.');
  }
}
