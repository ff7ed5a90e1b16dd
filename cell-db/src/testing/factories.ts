import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { upsertTenant } from '../tenant-rows';
import { type TenantDb, withTenantTransaction } from '../tenant-transaction';

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

/** One order of a history: its local date and hour, lines, payment and whether it was voided. */
export interface HistoryOrder {
  businessDate: string;
  hour: number;
  lines: { item: TestMenuItem; quantity: number }[];
  paymentMethod?: 'cash' | 'momo' | 'zalopay' | 'vnpay' | 'card';
  voided?: boolean;
}

/** Small builders that write real rows, as the schema owner, under the tenant's RLS scope. */
export class CellFactories {
  constructor(private readonly owner: DataSource) {}

  asTenant<T>(tenantId: string, work: (db: TenantDb) => Promise<T>): Promise<T> {
    return withTenantTransaction(this.owner, tenantId, work);
  }

  async newTenant(
    slug = `t-${randomUUID().slice(0, 8)}`,
    status: 'active' | 'suspended' = 'active',
    id: string = randomUUID(),
  ): Promise<TestTenant> {
    await this.asTenant(id, (db) => upsertTenant(db, { id, slug, name: `Quán ${slug}`, status }));
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
      db.query<{ id: string }>('INSERT INTO menu_items (tenant_id, category_id, name, price) VALUES ($1, $2, $3, $4) RETURNING id', [
        tenant.id,
        categoryId,
        name,
        price,
      ]),
    );
    return { id: row!.id, categoryId, name, price };
  }

  /**
   * Writes orders with their lines (times in UTC+7, minute 10 of the hour) and rebuilds the
   * location's rollups from all its orders, as the app's own sale path would have kept them.
   */
  async salesHistory(tenant: TestTenant, locationId: string, orders: readonly HistoryOrder[]): Promise<void> {
    const rows = orders.map((order) => {
      const subtotal = order.lines.reduce((sum, line) => sum + line.item.price * line.quantity, 0);
      return {
        id: randomUUID(),
        date: order.businessDate,
        hour: order.hour,
        at: `${order.businessDate}T${String(order.hour).padStart(2, '0')}:10:00+07:00`,
        method: order.paymentMethod ?? 'cash',
        voided: order.voided ?? false,
        subtotal,
        count: order.lines.reduce((sum, line) => sum + line.quantity, 0),
        lines: order.lines.map((line, i) => ({
          no: i + 1,
          item: line.item.id,
          name: line.item.name,
          quantity: line.quantity,
          price: line.item.price,
        })),
      };
    });
    await this.asTenant(tenant.id, async (db) => {
      for (let start = 0; start < rows.length; start += 2_000) {
        const batch = JSON.stringify(rows.slice(start, start + 2_000));
        await db.query(
          `INSERT INTO orders (tenant_id, id, location_id, channel, status, payment_method, business_date, hour, created_at, subtotal, discount, total, item_count, created_by, voided_at, void_reason)
           SELECT $1, o.id, $2, 'dine_in', CASE WHEN o.voided THEN 'voided' ELSE 'completed' END, o.method, o.date, o.hour, o.at, o.subtotal, 0, o.subtotal, o.count, $1,
                  CASE WHEN o.voided THEN o.at + interval '5 minutes' END, CASE WHEN o.voided THEN 'khách đổi ý' END
             FROM jsonb_to_recordset($3::jsonb) AS o(id uuid, date date, hour int, at timestamptz, method text, voided boolean, subtotal bigint, count int)`,
          [tenant.id, locationId, batch],
        );
        await db.query(
          `INSERT INTO order_items (tenant_id, order_id, line_no, item_id, item_name, quantity, unit_price, line_total)
           SELECT $1, o.id, l.no, l.item, l.name, l.quantity, l.price, l.quantity * l.price
             FROM jsonb_to_recordset($2::jsonb) AS o(id uuid, lines jsonb), jsonb_to_recordset(o.lines) AS l(no int, item uuid, name text, quantity int, price bigint)`,
          [tenant.id, batch],
        );
      }
      for (const table of ['sales_hourly', 'item_sales_daily', 'payment_method_daily'])
        await db.query(`DELETE FROM ${table} WHERE location_id = $1`, [locationId]);
      await db.query(
        `INSERT INTO sales_hourly (tenant_id, location_id, business_date, hour, revenue, orders, items)
         SELECT tenant_id, location_id, business_date, hour, sum(total), count(*), sum(item_count) FROM orders
          WHERE location_id = $1 AND status = 'completed' GROUP BY tenant_id, location_id, business_date, hour`,
        [locationId],
      );
      await db.query(
        `INSERT INTO item_sales_daily (tenant_id, location_id, business_date, item_id, quantity, revenue)
         SELECT o.tenant_id, o.location_id, o.business_date, i.item_id, sum(i.quantity), sum(i.line_total)
           FROM orders o JOIN order_items i ON i.tenant_id = o.tenant_id AND i.order_id = o.id
          WHERE o.location_id = $1 AND o.status = 'completed' GROUP BY o.tenant_id, o.location_id, o.business_date, i.item_id`,
        [locationId],
      );
      await db.query(
        `INSERT INTO payment_method_daily (tenant_id, location_id, business_date, payment_method, amount, orders)
         SELECT tenant_id, location_id, business_date, payment_method, sum(total), count(*) FROM orders
          WHERE location_id = $1 AND status = 'completed' GROUP BY tenant_id, location_id, business_date, payment_method`,
        [locationId],
      );
    });
  }

  async newModifier(tenant: TestTenant, itemId: string, name = 'Thêm thịt', priceDelta = 15_000): Promise<string> {
    const [row] = await this.asTenant(tenant.id, (db) =>
      db.query<{ id: string }>('INSERT INTO modifiers (tenant_id, item_id, name, price_delta) VALUES ($1, $2, $3, $4) RETURNING id', [
        tenant.id,
        itemId,
        name,
        priceDelta,
      ]),
    );
    return row!.id;
  }
}
