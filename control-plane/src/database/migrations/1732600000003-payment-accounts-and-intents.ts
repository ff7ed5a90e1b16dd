import type { MigrationInterface, QueryRunner } from 'typeorm';
import { DIRECTORY_APP_GROUP } from '../directory-facts';

/**
 * Payments at the front door. A tenant connects its own merchant account per provider;
 * the provider's merchant code (MoMo `partnerCode`, ZaloPay `app_id`, VNPay `vnp_TmnCode`)
 * says whose a notification is, and the secrets are sealed (AES-256-GCM) before they are
 * stored. An intent is what we asked a provider to collect: the order reference we gave
 * it, mapped to the tenant, order and amount, and what we acknowledged back.
 */
export class PaymentAccountsAndIntents1732600000003 implements MigrationInterface {
  name = 'PaymentAccountsAndIntents1732600000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
CREATE TABLE payment_accounts (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  provider text NOT NULL CHECK (provider IN ('momo', 'zalopay', 'vnpay')),
  merchant_code text NOT NULL CHECK (length(merchant_code) BETWEEN 1 AND 64),
  -- iv (12 bytes) | GCM tag (16) | ciphertext of the provider's secrets as JSON
  sealed_secrets bytea NOT NULL,
  key_id text NOT NULL CHECK (length(key_id) <= 32),
  connected_by uuid NOT NULL,
  connected_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, provider),
  UNIQUE (provider, merchant_code)
);

CREATE TABLE payment_intents (
  provider text NOT NULL CHECK (provider IN ('momo', 'zalopay', 'vnpay')),
  order_ref text NOT NULL CHECK (length(order_ref) BETWEEN 1 AND 64),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  order_id uuid NOT NULL,
  location_id uuid NOT NULL,
  amount bigint NOT NULL CHECK (amount BETWEEN 1 AND 1000000000000),
  description text NOT NULL CHECK (length(description) <= 255),
  pay_url text,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  -- The first transaction acknowledged to the provider for this reference.
  notified_transaction_id text,
  notified_at timestamptz,
  PRIMARY KEY (provider, order_ref)
);
CREATE INDEX payment_intents_order ON payment_intents (tenant_id, order_id, provider, created_at DESC);
CREATE INDEX payment_intents_pending ON payment_intents (created_at) WHERE notified_at IS NULL;

GRANT SELECT, INSERT, UPDATE, DELETE ON payment_accounts TO ${DIRECTORY_APP_GROUP};
GRANT SELECT, INSERT, UPDATE ON payment_intents TO ${DIRECTORY_APP_GROUP};`);
  }

  async down(): Promise<void> {
    throw new Error('Migrations are forward-only: write a new migration instead of reverting one.');
  }
}
