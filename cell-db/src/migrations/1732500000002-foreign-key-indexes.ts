import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes behind two foreign keys that the first migration left unindexed. Without them,
 * removing orders (a tenant's deletion or move to a dedicated cell) scans every payment per
 * order, and matching a payment to its order (webhooks, refunds) scans the tenant's payments.
 */
export class ForeignKeyIndexes1732500000002 implements MigrationInterface {
  name = 'ForeignKeyIndexes1732500000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
CREATE INDEX payments_order ON payments (tenant_id, order_id) WHERE order_id IS NOT NULL;
CREATE INDEX order_items_item ON order_items (tenant_id, item_id);`);
  }

  async down(): Promise<void> {
    throw new Error('Migrations are forward-only: write a new migration instead of reverting one.');
  }
}
