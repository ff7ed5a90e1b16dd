import { Injectable } from '@nestjs/common';
import type { TenantDb } from '@localstore/cell-db';
import type { MenuFacts, PricedSale } from './sale-pricing';
import type { Order, OrderItem } from './sale.types';

export const ORDER_COLUMNS = `o.id, o.location_id AS "locationId", o.channel, o.status, o.payment_method AS "paymentMethod",
  to_char(o.business_date, 'YYYY-MM-DD') AS "businessDate", o.hour, o.created_at AS "createdAt", o.subtotal,
  o.discount, o.total, o.item_count AS "itemCount", o.paid_at AS "paidAt", o.void_reason AS "voidReason",
  o.voided_at AS "voidedAt"`;

export interface SaleContext {
  existing: Order | null;
  timezone: string | null;
  menu: MenuFacts;
}

export interface NewOrder {
  id: string;
  locationId: string;
  channel: string;
  paymentMethod: string;
  businessDate: string;
  hour: number;
  createdAt: Date;
  paidAt: Date | null;
  createdBy: string;
  priced: PricedSale;
}

@Injectable()
export class SalesRepository {
  /**
   * Everything a sale needs to be checked, in one round trip: the order if this id was
   * already recorded, the location's time zone, and the menu items and modifiers named.
   */
  async saleContext(db: TenantDb, orderId: string, locationId: string, itemIds: string[], modifierIds: string[]): Promise<SaleContext> {
    const [row] = await db.query<{
      existing:
        (Omit<Order, 'createdAt' | 'paidAt' | 'voidedAt'> & { createdAt: string; paidAt: string | null; voidedAt: string | null }) | null;
      timezone: string | null;
      items: { id: string; name: string; price: number; active: boolean }[] | null;
      modifiers: { id: string; itemId: string; name: string; priceDelta: number }[] | null;
    }>(
      `SELECT
         (SELECT row_to_json(x) FROM (SELECT ${ORDER_COLUMNS} FROM orders o WHERE o.id = $1) x) AS existing,
         (SELECT timezone FROM locations WHERE id = $2) AS timezone,
         (SELECT json_agg(json_build_object('id', id, 'name', name, 'price', price, 'active', active))
            FROM menu_items WHERE id = ANY($3::uuid[])) AS items,
         (SELECT json_agg(json_build_object('id', id, 'itemId', item_id, 'name', name, 'priceDelta', price_delta))
            FROM modifiers WHERE id = ANY($4::uuid[]) AND active) AS modifiers`,
      [orderId, locationId, itemIds, modifierIds],
      'sales_sale_context',
    );
    const existing = row!.existing
      ? {
          ...row!.existing,
          createdAt: new Date(row!.existing.createdAt),
          paidAt: row!.existing.paidAt ? new Date(row!.existing.paidAt) : null,
          voidedAt: row!.existing.voidedAt ? new Date(row!.existing.voidedAt) : null,
        }
      : null;
    return {
      existing,
      timezone: row!.timezone,
      menu: {
        items: new Map((row!.items ?? []).map((i) => [i.id, i])),
        modifiers: new Map((row!.modifiers ?? []).map((m) => [m.id, m])),
      },
    };
  }

  /**
   * Writes the order, its lines and the three rollup increments in one statement. When
   * the id already exists (a concurrent retry), nothing is written and false is returned.
   * Rollup rows are touched in a fixed order (by item id) so concurrent sales of the same
   * items queue rather than deadlock.
   */
  async insertSale(db: TenantDb, order: NewOrder): Promise<boolean> {
    const { priced } = order;
    const lines = priced.lines;
    const [row] = await db.query<{ inserted: number }>(
      `WITH new_order AS (
         INSERT INTO orders (tenant_id, id, location_id, channel, payment_method, business_date, hour, created_at,
                             subtotal, discount, total, item_count, paid_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
         ON CONFLICT (tenant_id, id) DO NOTHING
         RETURNING id
       ), lines AS (
         SELECT * FROM unnest($15::smallint[], $16::uuid[], $17::text[], $18::int[], $19::bigint[], $20::jsonb[], $21::bigint[])
           AS l(line_no, item_id, item_name, quantity, unit_price, modifiers, line_total)
       ), order_lines AS (
         INSERT INTO order_items (tenant_id, order_id, line_no, item_id, item_name, quantity, unit_price, modifiers, line_total)
         SELECT $1, n.id, l.line_no, l.item_id, l.item_name, l.quantity, l.unit_price, l.modifiers, l.line_total
           FROM new_order n CROSS JOIN lines l
       ), hourly AS (
         INSERT INTO sales_hourly AS h (tenant_id, location_id, business_date, hour, revenue, orders, items)
         SELECT $1, $3, $6, $7, $11, 1, $12 FROM new_order
         ON CONFLICT (tenant_id, location_id, business_date, hour) DO UPDATE
           SET revenue = h.revenue + excluded.revenue, orders = h.orders + 1, items = h.items + excluded.items
       ), item_daily AS (
         INSERT INTO item_sales_daily AS d (tenant_id, location_id, business_date, item_id, quantity, revenue)
         SELECT $1, $3, $6, l.item_id, sum(l.quantity), sum(l.line_total)
           FROM new_order CROSS JOIN lines l GROUP BY l.item_id ORDER BY l.item_id
         ON CONFLICT (tenant_id, location_id, business_date, item_id) DO UPDATE
           SET quantity = d.quantity + excluded.quantity, revenue = d.revenue + excluded.revenue
       ), payment_daily AS (
         INSERT INTO payment_method_daily AS p (tenant_id, location_id, business_date, payment_method, amount, orders, paid_amount, paid_orders)
         SELECT $1, $3, $6, $5, $11, 1, CASE WHEN $13::timestamptz IS NULL THEN 0 ELSE $11 END, CASE WHEN $13::timestamptz IS NULL THEN 0 ELSE 1 END FROM new_order
         ON CONFLICT (tenant_id, location_id, business_date, payment_method) DO UPDATE
           SET amount = p.amount + excluded.amount, orders = p.orders + 1,
               paid_amount = p.paid_amount + excluded.paid_amount, paid_orders = p.paid_orders + excluded.paid_orders
       )
       SELECT count(*)::int AS inserted FROM new_order`,
      [
        db.tenantId,
        order.id,
        order.locationId,
        order.channel,
        order.paymentMethod,
        order.businessDate,
        order.hour,
        order.createdAt,
        priced.subtotal,
        priced.discount,
        priced.total,
        priced.itemCount,
        order.paidAt,
        order.createdBy,
        lines.map((l) => l.lineNo),
        lines.map((l) => l.itemId),
        lines.map((l) => l.name),
        lines.map((l) => l.quantity),
        lines.map((l) => l.unitPrice),
        lines.map((l) => JSON.stringify(l.modifiers)),
        lines.map((l) => l.lineTotal),
      ],
      'sales_insert_sale',
    );
    return row!.inserted === 1;
  }

  async orderById(db: TenantDb, id: string): Promise<Order | null> {
    const [row] = await db.query<Order>(`SELECT ${ORDER_COLUMNS} FROM orders o WHERE o.id = $1`, [id]);
    return row ?? null;
  }

  /**
   * Voids a completed order and takes its contribution back out of the rollups of the
   * day and hour it was sold in, in one statement. Returns null if it was not completed.
   */
  async voidOrder(db: TenantDb, id: string, reason: string, userId: string): Promise<Order | null> {
    const [row] = await db.query<Order>(
      `WITH voided AS (
         UPDATE orders o SET status = 'voided', void_reason = $2, voided_at = now(), voided_by = $3
          WHERE o.id = $1 AND o.status = 'completed'
          RETURNING o.*
       ), hourly AS (
         UPDATE sales_hourly h SET revenue = h.revenue - v.total, orders = h.orders - 1, items = h.items - v.item_count
           FROM voided v
          WHERE h.location_id = v.location_id AND h.business_date = v.business_date AND h.hour = v.hour
       ), item_totals AS (
         SELECT oi.item_id, sum(oi.quantity) AS quantity, sum(oi.line_total) AS revenue
           FROM order_items oi JOIN voided v ON oi.order_id = v.id
          GROUP BY oi.item_id ORDER BY oi.item_id
       ), item_daily AS (
         UPDATE item_sales_daily d SET quantity = d.quantity - t.quantity, revenue = d.revenue - t.revenue
           FROM item_totals t, voided v
          WHERE d.location_id = v.location_id AND d.business_date = v.business_date AND d.item_id = t.item_id
       ), payment_daily AS (
         UPDATE payment_method_daily p SET amount = p.amount - v.total, orders = p.orders - 1,
                paid_amount = p.paid_amount - CASE WHEN v.paid_at IS NULL THEN 0 ELSE v.total END,
                paid_orders = p.paid_orders - CASE WHEN v.paid_at IS NULL THEN 0 ELSE 1 END
           FROM voided v
          WHERE p.location_id = v.location_id AND p.business_date = v.business_date AND p.payment_method = v.payment_method
       ), audit AS (
         INSERT INTO audit_log (tenant_id, actor_user_id, action, entity, entity_id, details)
         SELECT v.tenant_id, $3, 'order.voided', 'order', v.id, jsonb_build_object('reason', $2::text, 'total', v.total)
           FROM voided v
       )
       SELECT ${ORDER_COLUMNS} FROM voided o`,
      [id, reason, userId],
    );
    return row ?? null;
  }

  itemsOfOrders(db: TenantDb, orderIds: readonly string[]): Promise<(OrderItem & { orderId: string })[]> {
    return db.query(
      `SELECT order_id AS "orderId", line_no AS "lineNo", item_id AS "itemId", item_name AS name, quantity,
              unit_price AS "unitPrice", modifiers, line_total AS "lineTotal"
         FROM order_items WHERE order_id = ANY($1::uuid[]) ORDER BY order_id, line_no`,
      [orderIds],
    );
  }

  /** One page of a location's orders, newest first, between two local dates (inclusive). */
  ordersPage(
    db: TenantDb,
    query: { locationId: string; from: string | null; to: string | null; limit: number; after: { createdAt: Date; id: string } | null },
  ): Promise<Order[]> {
    return db.query<Order>(
      `SELECT ${ORDER_COLUMNS}
         FROM orders o JOIN locations l ON l.tenant_id = o.tenant_id AND l.id = o.location_id
        WHERE o.location_id = $1
          AND ($2::date IS NULL OR o.created_at >= ($2::date)::timestamp AT TIME ZONE l.timezone)
          AND ($3::date IS NULL OR o.created_at < ($3::date + 1)::timestamp AT TIME ZONE l.timezone)
          AND ($4::timestamptz IS NULL OR (o.created_at, o.id) < ($4::timestamptz, $5::uuid))
        ORDER BY o.created_at DESC, o.id DESC
        LIMIT $6`,
      [query.locationId, query.from, query.to, query.after?.createdAt ?? null, query.after?.id ?? null, query.limit],
    );
  }
}
