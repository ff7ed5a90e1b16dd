import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { type TenantDb, withTenantTransaction } from '../src/database/tenant-transaction';

export interface TestTenant {
  id: string;
  slug: string;
}

export interface TestMenuItem {
  id: string;
  categoryId: string;
  name: string;
  price: number;
}

/** Small builders that write real rows, as the schema owner, under the tenant's RLS scope. */
export class CellFactories {
  constructor(private readonly owner: DataSource) {}

  asTenant<T>(tenantId: string, work: (db: TenantDb) => Promise<T>): Promise<T> {
    return withTenantTransaction(this.owner, tenantId, work);
  }

  async newTenant(slug = `t-${randomUUID().slice(0, 8)}`, status: 'active' | 'suspended' = 'active', id: string = randomUUID()): Promise<TestTenant> {
    await this.asTenant(id, (db) =>
      db.query('INSERT INTO tenants (id, slug, name, status) VALUES ($1, $2, $3, $4)', [id, slug, `Quán ${slug}`, status]),
    );
    return { id, slug };
  }

  async newLocation(tenant: TestTenant, name = 'Chi nhánh Quận 1', timezone = 'Asia/Ho_Chi_Minh'): Promise<string> {
    const [row] = await this.asTenant(tenant.id, (db) =>
      db.query<{ id: string }>('INSERT INTO locations (tenant_id, name, timezone) VALUES ($1, $2, $3) RETURNING id', [
        tenant.id,
        name,
        timezone,
      ]),
    );
    return row!.id;
  }

  async newCategory(tenant: TestTenant, name = 'Món chính'): Promise<string> {
    const [row] = await this.asTenant(tenant.id, (db) =>
      db.query<{ id: string }>('INSERT INTO menu_categories (tenant_id, name) VALUES ($1, $2) RETURNING id', [tenant.id, name]),
    );
    return row!.id;
  }

  async newMenuItem(tenant: TestTenant, fields: { name?: string; price?: number; categoryId?: string } = {}): Promise<TestMenuItem> {
    const categoryId = fields.categoryId ?? (await this.newCategory(tenant));
    const name = fields.name ?? 'Phở bò tái';
    const price = fields.price ?? 55_000;
    const [row] = await this.asTenant(tenant.id, (db) =>
      db.query<{ id: string }>(
        'INSERT INTO menu_items (tenant_id, category_id, name, price) VALUES ($1, $2, $3, $4) RETURNING id',
        [tenant.id, categoryId, name, price],
      ),
    );
    return { id: row!.id, categoryId, name, price };
  }

  async newModifier(tenant: TestTenant, itemId: string, name = 'Thêm thịt', priceDelta = 15_000): Promise<string> {
    const [row] = await this.asTenant(tenant.id, (db) =>
      db.query<{ id: string }>(
        'INSERT INTO modifiers (tenant_id, item_id, name, price_delta) VALUES ($1, $2, $3, $4) RETURNING id',
        [tenant.id, itemId, name, priceDelta],
      ),
    );
    return row!.id;
  }
}
