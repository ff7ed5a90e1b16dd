import { Injectable } from '@nestjs/common';
import type { TenantDb } from '@localstore/cell-db';

export interface MenuItemFacts {
  id: string;
  name: string;
  categoryId: string;
  price: number;
}

export interface ItemDay {
  itemId: string;
  businessDate: string;
  quantity: number;
}

/** One local hour of a location: the anomaly model's nine figures come from these. */
export interface HourFacts {
  businessDate: string;
  hour: number;
  revenue: number;
  orders: number;
  voided: number;
  byMethod: Record<string, number>;
}

export interface PricedDay {
  itemId: string;
  businessDate: string;
  unitPrice: number;
  quantity: number;
}

/**
 * What the models are sent, read from the cell's own tables inside the caller's tenant
 * transaction (row-level security applies). The rollups do most of the work: daily item
 * quantities come from item_sales_daily, not from order lines.
 */
@Injectable()
export class ModelInputsRepository {
  /** Active menu items, optionally one. */
  async menu(db: TenantDb, itemId?: string): Promise<MenuItemFacts[]> {
    const rows = await db.query<{ id: string; name: string; category_id: string; price: string }>(
      `SELECT id, name, category_id, price FROM menu_items WHERE active AND ($1::uuid IS NULL OR id = $1) ORDER BY sort_order, name`,
      [itemId ?? null],
    );
    return rows.map((r) => ({ id: r.id, name: r.name, categoryId: r.category_id, price: Number(r.price) }));
  }

  /** Daily quantities per item from `from` to `to` inclusive (days without sales have no row). */
  async itemDays(db: TenantDb, locationId: string, from: string, to: string, itemIds: readonly string[]): Promise<ItemDay[]> {
    const rows = await db.query<{ item_id: string; business_date: string; quantity: string }>(
      `SELECT item_id, to_char(business_date, 'YYYY-MM-DD') AS business_date, quantity
         FROM item_sales_daily
        WHERE location_id = $1 AND business_date BETWEEN $2 AND $3 AND item_id = ANY($4::uuid[]) AND quantity > 0`,
      [locationId, from, to, itemIds],
    );
    return rows.map((r) => ({ itemId: r.item_id, businessDate: r.business_date, quantity: Number(r.quantity) }));
  }

  /** The first business date with any sale at the location, or null. */
  async firstSaleDate(db: TenantDb, locationId: string): Promise<string | null> {
    const [row] = await db.query<{ first: string | null }>(
      `SELECT to_char(min(business_date), 'YYYY-MM-DD') AS first FROM sales_hourly WHERE location_id = $1`,
      [locationId],
    );
    return row?.first ?? null;
  }

  /** Quantity per item between two dates, inclusive. */
  async itemTotals(db: TenantDb, locationId: string, from: string, to: string): Promise<Map<string, number>> {
    const rows = await db.query<{ item_id: string; quantity: string }>(
      `SELECT item_id, sum(quantity) AS quantity FROM item_sales_daily WHERE location_id = $1 AND business_date BETWEEN $2 AND $3 GROUP BY item_id`,
      [locationId, from, to],
    );
    return new Map(rows.map((r) => [r.item_id, Number(r.quantity)]));
  }

  /** Order lines of completed orders between two dates: (order number, item). */
  async basketLines(
    db: TenantDb,
    locationId: string,
    from: string,
    to: string,
    limit: number,
  ): Promise<{ order: number; itemId: string }[]> {
    const rows = await db.query<{ order_no: string; item_id: string }>(
      `SELECT dense_rank() OVER (ORDER BY o.id) AS order_no, i.item_id
         FROM orders o JOIN order_items i ON i.tenant_id = o.tenant_id AND i.order_id = o.id
        WHERE o.location_id = $1 AND o.business_date BETWEEN $2 AND $3 AND o.status = 'completed'
        LIMIT $4`,
      [locationId, from, to, limit],
    );
    return rows.map((r) => ({ order: Number(r.order_no), itemId: r.item_id }));
  }

  /** Each local hour that had orders, between two instants (the caller fills the quiet ones). */
  async hours(db: TenantDb, locationId: string, fromInstant: Date, toInstant: Date): Promise<HourFacts[]> {
    const rows = await db.query<{
      business_date: string;
      hour: number;
      payment_method: string;
      revenue: string;
      orders: string;
      voided: string;
    }>(
      `SELECT to_char(business_date, 'YYYY-MM-DD') AS business_date, hour, payment_method,
              coalesce(sum(total) FILTER (WHERE status = 'completed'), 0) AS revenue,
              count(*) FILTER (WHERE status = 'completed') AS orders,
              count(*) FILTER (WHERE status = 'voided') AS voided
         FROM orders
        WHERE location_id = $1 AND created_at >= $2 AND created_at < $3
        GROUP BY business_date, hour, payment_method`,
      [locationId, fromInstant, toInstant],
    );
    const byHour = new Map<string, HourFacts>();
    for (const row of rows) {
      const key = `${row.business_date} ${row.hour}`;
      let facts = byHour.get(key);
      if (!facts) {
        facts = { businessDate: row.business_date, hour: row.hour, revenue: 0, orders: 0, voided: 0, byMethod: {} };
        byHour.set(key, facts);
      }
      facts.revenue += Number(row.revenue);
      facts.orders += Number(row.orders);
      facts.voided += Number(row.voided);
      facts.byMethod[row.payment_method] = (facts.byMethod[row.payment_method] ?? 0) + Number(row.revenue);
    }
    return [...byHour.values()];
  }

  /** Per item and day, the unit prices it sold at and how many at each. */
  async pricedDays(db: TenantDb, locationId: string, from: string, to: string): Promise<PricedDay[]> {
    const rows = await db.query<{ item_id: string; business_date: string; unit_price: string; quantity: string }>(
      `SELECT i.item_id, to_char(o.business_date, 'YYYY-MM-DD') AS business_date, i.unit_price, sum(i.quantity) AS quantity
         FROM orders o JOIN order_items i ON i.tenant_id = o.tenant_id AND i.order_id = o.id
        WHERE o.location_id = $1 AND o.business_date BETWEEN $2 AND $3 AND o.status = 'completed'
        GROUP BY i.item_id, o.business_date, i.unit_price`,
      [locationId, from, to],
    );
    return rows.map((r) => ({
      itemId: r.item_id,
      businessDate: r.business_date,
      unitPrice: Number(r.unit_price),
      quantity: Number(r.quantity),
    }));
  }

  /** How often each kind was dismissed at the location since a date. */
  async dismissedKinds(db: TenantDb, locationId: string, since: Date): Promise<Map<string, number>> {
    const rows = await db.query<{ kind: string; n: string }>(
      `SELECT kind, count(*) AS n FROM recommendations WHERE location_id = $1 AND status = 'dismissed' AND decided_at >= $2 GROUP BY kind`,
      [locationId, since],
    );
    return new Map(rows.map((r) => [r.kind, Number(r.n)]));
  }
}
