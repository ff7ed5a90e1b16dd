import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_GROUP_ROLE } from '../schema-facts';

/**
 * The control plane provisions a tenant's row in its cell (signup) through the cell's
 * internal endpoint, which writes it as the application role under the new tenant's RLS
 * scope; an unfinished signup is undone by deleting that row again.
 */
export class TenantProvisioningGrants1732500000003 implements MigrationInterface {
  name = 'TenantProvisioningGrants1732500000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`GRANT INSERT, UPDATE, DELETE ON tenants TO ${APP_GROUP_ROLE}`);
  }

  async down(): Promise<void> {
    throw new Error('Migrations are forward-only: write a new migration instead of reverting one.');
  }
}
