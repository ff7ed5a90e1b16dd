import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What of each day's takings by method has been paid: cash and card at the counter, wallets
 * when the provider's payment is recorded. `amount - paid_amount` is what a location is
 * still waiting for from MoMo, ZaloPay or VNPay.
 */
export class PaidPaymentRollup1732500000007 implements MigrationInterface {
  name = 'PaidPaymentRollup1732500000007';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
ALTER TABLE payment_method_daily
  ADD COLUMN paid_amount bigint NOT NULL DEFAULT 0,
  ADD COLUMN paid_orders int NOT NULL DEFAULT 0;

-- The rows already there, from their orders. The owner, too, is subject to the forced
-- policies, so they are lifted for this statement (inside the migration's transaction).
ALTER TABLE orders NO FORCE ROW LEVEL SECURITY;
ALTER TABLE orders DISABLE ROW LEVEL SECURITY;
ALTER TABLE payment_method_daily NO FORCE ROW LEVEL SECURITY;
ALTER TABLE payment_method_daily DISABLE ROW LEVEL SECURITY;
UPDATE payment_method_daily r SET paid_amount = s.amount, paid_orders = s.orders
  FROM (SELECT tenant_id, location_id, business_date, payment_method, sum(total) AS amount, count(*) AS orders
          FROM orders WHERE status = 'completed' AND paid_at IS NOT NULL
         GROUP BY tenant_id, location_id, business_date, payment_method) s
 WHERE r.tenant_id = s.tenant_id AND r.location_id = s.location_id AND r.business_date = s.business_date AND r.payment_method = s.payment_method;
ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
ALTER TABLE orders FORCE ROW LEVEL SECURITY;
ALTER TABLE payment_method_daily ENABLE ROW LEVEL SECURITY;
ALTER TABLE payment_method_daily FORCE ROW LEVEL SECURITY;`);
  }

  async down(): Promise<void> {
    throw new Error('Migrations are forward-only: write a new migration instead of reverting one.');
  }
}
