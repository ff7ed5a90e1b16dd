import type { MigrationInterface, QueryRunner } from 'typeorm';

/** When the reconciliation job last asked a provider about an unconfirmed payment, and how often. */
export class PaymentReconciliation1732600000004 implements MigrationInterface {
  name = 'PaymentReconciliation1732600000004';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
ALTER TABLE payment_intents ADD COLUMN last_checked_at timestamptz, ADD COLUMN checks int NOT NULL DEFAULT 0;`);
  }

  async down(): Promise<void> {
    throw new Error('Migrations are forward-only: write a new migration instead of reverting one.');
  }
}
