import { VN_TIME_ZONE } from '@localstore/common';
import type { DataSource } from 'typeorm';
import { type TenantDb, tenantTablesInDependencyOrder, upsertTenant } from '@localstore/cell-db';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import type { DemoMenu } from './demo-menu';
import type { DemoStaffMember } from './demo-staff';
import type { DemoTenant } from './demo-tenants';
import type { OrderBatch } from './order-batch';
import { stableUuid } from './stable-uuid';

/**
 * The demo seed's SQL, and nothing else. Every function but the maintenance ones takes the
 * tenant's transaction: row-level security scopes each statement to that tenant, the owner
 * included.
 */

/** The audit action that marks a demo tenant as completely seeded; written last, in the seeding transaction. */
export const SEEDED_ACTION = 'demo.seeded';
/** The audit action that records a top-up and moves the history's high-water mark; written last, in the top-up transaction. */
export const TOPPED_UP_ACTION = 'demo.topped_up';

export type DemoTenantState = 'absent' | 'seeded' | 'unfinished';

/** How a seeded tenant's history was generated and how far it goes: what a top-up continues from. */
export interface SeededHistory {
  seed: number;
  scale: number;
  /** The end of the history's window, as first seeded (see DemoHistory.windowEnd). */
  windowEnd: Date;
  /** The high-water mark: the history holds every order created before this instant and none after. */
  through: Date;
}

export interface DemoTenantStatus {
  state: DemoTenantState;
  /** Present when the state is `seeded`. */
  history: SeededHistory | null;
}

/**
 * The seeded mark's details, and the latest top-up's high-water mark. A mark written
 * before top-ups existed has no `through`: its history stopped at `end`, to the second.
 */
const SEEDED_HISTORY_SQL = `
  SELECT s.details, (SELECT max((t.details ->> 'through')::timestamptz) FROM audit_log t WHERE t.action = $3 AND t.entity_id = $1) AS "toppedUpThrough"
    FROM audit_log s WHERE s.action = $2 AND s.entity_id = $1`;

interface SeededHistoryRow {
  details: { seed: number; scale: number; end: string; through?: string };
  toppedUpThrough: Date | null;
}

function seededHistoryOf(row: SeededHistoryRow): SeededHistory {
  const { details, toppedUpThrough } = row;
  const seededThrough = new Date(details.through ?? details.end);
  return {
    seed: Number(details.seed),
    scale: Number(details.scale),
    windowEnd: new Date(details.end),
    through: toppedUpThrough && toppedUpThrough > seededThrough ? toppedUpThrough : seededThrough,
  };
}

/**
 * The tables the catalogue is written to (the tenant, its locations, staff and menu) and
 * orders, which the rest hang off: a reset deletes every other tenant table first (sales
 * and what references them), vacuums them, then these.
 */
const CATALOGUE = new Set(['tenants', 'locations', 'staff', 'menu_categories', 'menu_items', 'modifiers', 'orders']);

/** A demo reset's tables, children before parents, in the two groups it deletes one after the other. */
export interface DemoTables {
  sales: string[];
  catalogue: string[];
}

/**
 * Every tenant table of the schema, read from the catalog (a table added by a later
 * migration is reset too, with no list to update), split into the two groups.
 */
export async function demoTablesOf(owner: DataSource): Promise<DemoTables> {
  const schema = (owner.options as PostgresConnectionOptions).schema ?? 'public';
  const childrenFirst = (await tenantTablesInDependencyOrder(owner, schema)).map((table) => table.name).reverse();
  return { sales: childrenFirst.filter((name) => !CATALOGUE.has(name)), catalogue: childrenFirst.filter((name) => CATALOGUE.has(name)) };
}

export async function demoTenantStatusOf(db: TenantDb): Promise<DemoTenantStatus> {
  const [tenant] = await db.query<{ exists: boolean }>(`SELECT EXISTS (SELECT 1 FROM tenants WHERE id = $1) AS exists`, [db.tenantId]);
  if (!tenant!.exists) return { state: 'absent', history: null };
  const [seeded] = await db.query<SeededHistoryRow>(SEEDED_HISTORY_SQL, [db.tenantId, SEEDED_ACTION, TOPPED_UP_ACTION]);
  return seeded ? { state: 'seeded', history: seededHistoryOf(seeded) } : { state: 'unfinished', history: null };
}

/**
 * The seeded history, read again at the start of a top-up with its mark locked until the
 * transaction ends: a second run topping up at the same time waits, then sees the new
 * high-water mark instead of writing the same orders twice. Null if the tenant lost its
 * mark in the meantime (a reset).
 */
export async function lockSeededHistory(db: TenantDb): Promise<SeededHistory | null> {
  // Locked first, read by a second statement: under READ COMMITTED, a statement that waited
  // for the lock would still read the other top-up rows as of before the wait.
  await db.query(`SELECT 1 FROM audit_log WHERE action = $2 AND entity_id = $1 FOR UPDATE`, [db.tenantId, SEEDED_ACTION]);
  const [seeded] = await db.query<SeededHistoryRow>(SEEDED_HISTORY_SQL, [db.tenantId, SEEDED_ACTION, TOPPED_UP_ACTION]);
  return seeded ? seededHistoryOf(seeded) : null;
}

export async function deleteTenantRows(db: TenantDb, tables: readonly string[]): Promise<void> {
  for (const table of tables) await db.query(`DELETE FROM ${table}`);
}

/**
 * Clears dead rows left by deleting a tenant's sales, so that deleting its orders and menu
 * next is quick: Postgres checks each deleted order against payments and order lines, and
 * without an index on payments(order_id) or order_items(item_id) each check walks the
 * tenant's old rows until a vacuum has removed them.
 */
export async function vacuumSalesTables(owner: DataSource, tables: DemoTables): Promise<void> {
  await owner.query(`VACUUM ${tables.sales.join(', ')}`);
}

/**
 * Planner statistics that count the orders this transaction just loaded (ANALYZE samples
 * them), before the rollups are summed from them. A tenant new to a schema whose
 * statistics were taken without it otherwise gets its orders estimated at one row, and
 * the item rollup joins every order to every line of the tenant: minutes at full scale.
 */
export async function analyzeLoadedOrders(db: TenantDb): Promise<void> {
  await db.query('ANALYZE orders, order_items');
}

/** Fresh planner statistics after a bulk load, so the first dashboard queries plan well. */
export async function analyzeSeededTables(owner: DataSource, tables: DemoTables): Promise<void> {
  await owner.query(`ANALYZE ${[...tables.catalogue, ...tables.sales].join(', ')}`);
}

/** The tenant, its locations, staff and menu, all dated from the start of the history. */
export async function writeCatalogue(
  db: TenantDb,
  catalogue: { tenant: DemoTenant; staff: readonly DemoStaffMember[]; menu: DemoMenu; since: Date },
): Promise<void> {
  const { tenant, staff, menu, since } = catalogue;
  await upsertTenant(db, { id: tenant.id, slug: tenant.slug, name: tenant.name, plan: 'pooled', status: 'active', createdAt: since });
  await db.query(
    `INSERT INTO locations (tenant_id, id, name, address, timezone, created_at)
     SELECT $1::uuid, l.id, l.name, l.address, $3::text, $4::timestamptz FROM jsonb_to_recordset($2::jsonb) AS l(id uuid, name text, address text)`,
    [tenant.id, JSON.stringify(tenant.locations), VN_TIME_ZONE, since],
  );
  await db.query(
    `INSERT INTO staff (tenant_id, user_id, role, location_ids, display_name, created_at)
     SELECT $1::uuid, s."userId", s.role, s."locationIds", s."displayName", $3::timestamptz
       FROM jsonb_to_recordset($2::jsonb) AS s("userId" uuid, role text, "locationIds" uuid[], "displayName" text)`,
    [tenant.id, JSON.stringify(staff), since],
  );
  await db.query(
    `INSERT INTO menu_categories (tenant_id, id, name, sort_order, created_at, updated_at)
     SELECT $1::uuid, c.id, c.name, c."sortOrder", $3::timestamptz, $3::timestamptz FROM jsonb_to_recordset($2::jsonb) AS c(id uuid, name text, "sortOrder" int)`,
    [tenant.id, JSON.stringify(menu.categories), since],
  );
  await db.query(
    `INSERT INTO menu_items (tenant_id, id, category_id, name, description, price, sort_order, created_at, updated_at)
     SELECT $1::uuid, i.id, i."categoryId", i.name, i.description, i.price, i."sortOrder", $3::timestamptz, $3::timestamptz
       FROM jsonb_to_recordset($2::jsonb) AS i(id uuid, "categoryId" uuid, name text, description text, price bigint, "sortOrder" int)`,
    [tenant.id, JSON.stringify(menu.items.map(({ modifiers: _modifiers, ...item }) => item)), since],
  );
  await db.query(
    `INSERT INTO modifiers (tenant_id, id, item_id, name, price_delta)
     SELECT $1::uuid, m.id, m."itemId", m.name, m."priceDelta" FROM jsonb_to_recordset($2::jsonb) AS m(id uuid, "itemId" uuid, name text, "priceDelta" bigint)`,
    [tenant.id, JSON.stringify(menu.items.flatMap((item) => item.modifiers))],
  );
}

/**
 * One batch of orders with their lines, wallet payments and void audit entries, in one
 * statement. Lines and payments reference orders inserted by the same statement: foreign
 * keys are checked at its end, as in the app's own `insertSale`.
 */
export async function writeOrderBatch(db: TenantDb, batch: OrderBatch): Promise<void> {
  const { orders: o, lines: l, payments: p, voidAudits: a } = batch;
  await db.query(
    `WITH new_orders AS (
       INSERT INTO orders (tenant_id, id, location_id, channel, status, payment_method, business_date, hour, created_at,
                           recorded_at, subtotal, discount, total, item_count, paid_at, created_by, void_reason, voided_at, voided_by)
       SELECT $1::uuid, o.id, o.location_id, o.channel, o.status, o.payment_method, o.business_date, o.hour, to_timestamp(o.created_at),
              to_timestamp(o.created_at), o.subtotal, o.discount, o.total, o.item_count, to_timestamp(o.paid_at), o.created_by,
              o.void_reason, to_timestamp(o.voided_at), o.voided_by
         FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::date[], $8::smallint[], $9::bigint[],
                     $10::bigint[], $11::bigint[], $12::bigint[], $13::int[], $14::bigint[], $15::uuid[], $16::text[], $17::bigint[],
                     $18::uuid[])
           AS o(id, location_id, channel, status, payment_method, business_date, hour, created_at, subtotal, discount, total,
                item_count, paid_at, created_by, void_reason, voided_at, voided_by)
       RETURNING id, voided_at, voided_by, void_reason, total
     ), new_lines AS (
       INSERT INTO order_items (tenant_id, order_id, line_no, item_id, item_name, quantity, unit_price, modifiers, line_total)
       SELECT $1::uuid, l.*
         FROM unnest($19::uuid[], $20::smallint[], $21::uuid[], $22::text[], $23::int[], $24::bigint[], $25::jsonb[], $26::bigint[])
           AS l(order_id, line_no, item_id, item_name, quantity, unit_price, modifiers, line_total)
     ), new_payments AS (
       INSERT INTO payments (tenant_id, id, location_id, order_id, provider, provider_transaction_id, amount, status, paid_at,
                             received_at)
       SELECT $1::uuid, p.id, p.location_id, p.order_id, p.provider, p.transaction_id, p.amount, 'succeeded', to_timestamp(p.paid_at),
              to_timestamp(p.paid_at + 1)
         FROM unnest($27::uuid[], $28::uuid[], $29::uuid[], $30::text[], $31::text[], $32::bigint[], $33::bigint[])
           AS p(id, location_id, order_id, provider, transaction_id, amount, paid_at)
     )
     INSERT INTO audit_log (tenant_id, id, at, actor_user_id, action, entity, entity_id, details)
     SELECT $1::uuid, a.id, n.voided_at, n.voided_by, 'order.voided', 'order', n.id,
            jsonb_build_object('reason', n.void_reason, 'total', n.total)
       FROM unnest($34::uuid[], $35::uuid[]) AS a(id, order_id) JOIN new_orders n ON n.id = a.order_id`,
    [
      db.tenantId,
      o.id,
      o.locationId,
      o.channel,
      o.status,
      o.paymentMethod,
      o.businessDate,
      o.hour,
      o.createdAtUnix,
      o.subtotal,
      o.discount,
      o.total,
      o.itemCount,
      o.paidAtUnix,
      o.createdBy,
      o.voidReason,
      o.voidedAtUnix,
      o.voidedBy,
      l.orderId,
      l.lineNo,
      l.itemId,
      l.itemName,
      l.quantity,
      l.unitPrice,
      l.modifiers,
      l.lineTotal,
      p.id,
      p.locationId,
      p.orderId,
      p.provider,
      p.providerTransactionId,
      p.amount,
      p.paidAtUnix,
      a.id,
      a.orderId,
    ],
  );
}

/**
 * The three rollups the dashboards read, summed from the loaded orders (completed ones
 * only, as the app counts them) instead of incremented sale by sale: from all of the
 * tenant's orders after a seed, or added to the existing rows from just `orderIds` after
 * a top-up. Only the new orders' ids, not "orders after the old high-water mark": sales
 * the app itself recorded since the seed are already counted in the rollups. Rows are
 * written in key order, item rows by item id within a day as the app's `insertSale` does,
 * so that a top-up and a sale touching today's rows queue rather than deadlock.
 */
export async function writeRollups(db: TenantDb, orderIds?: readonly string[]): Promise<void> {
  const only = orderIds ? 'AND o.id = ANY($1::uuid[])' : '';
  const params = orderIds ? [orderIds] : [];
  await db.query(
    `INSERT INTO sales_hourly AS r (tenant_id, location_id, business_date, hour, revenue, orders, items)
     SELECT o.tenant_id, o.location_id, o.business_date, o.hour, sum(o.total), count(*), sum(o.item_count)
       FROM orders o WHERE o.status = 'completed' ${only}
      GROUP BY o.tenant_id, o.location_id, o.business_date, o.hour
      ORDER BY 2, 3, 4
     ON CONFLICT (tenant_id, location_id, business_date, hour)
     DO UPDATE SET revenue = r.revenue + excluded.revenue, orders = r.orders + excluded.orders, items = r.items + excluded.items`,
    params,
  );
  await db.query(
    `INSERT INTO item_sales_daily AS r (tenant_id, location_id, business_date, item_id, quantity, revenue)
     SELECT o.tenant_id, o.location_id, o.business_date, i.item_id, sum(i.quantity), sum(i.line_total)
       FROM orders o JOIN order_items i ON i.tenant_id = o.tenant_id AND i.order_id = o.id
      WHERE o.status = 'completed' ${only}
      GROUP BY o.tenant_id, o.location_id, o.business_date, i.item_id
      ORDER BY 2, 3, 4
     ON CONFLICT (tenant_id, location_id, business_date, item_id)
     DO UPDATE SET quantity = r.quantity + excluded.quantity, revenue = r.revenue + excluded.revenue`,
    params,
  );
  await db.query(
    `INSERT INTO payment_method_daily AS r (tenant_id, location_id, business_date, payment_method, amount, orders, paid_amount, paid_orders)
     SELECT o.tenant_id, o.location_id, o.business_date, o.payment_method, sum(o.total), count(*),
            coalesce(sum(o.total) FILTER (WHERE o.paid_at IS NOT NULL), 0), count(*) FILTER (WHERE o.paid_at IS NOT NULL)
       FROM orders o WHERE o.status = 'completed' ${only}
      GROUP BY o.tenant_id, o.location_id, o.business_date, o.payment_method
      ORDER BY 2, 3, 4
     ON CONFLICT (tenant_id, location_id, business_date, payment_method)
     DO UPDATE SET amount = r.amount + excluded.amount, orders = r.orders + excluded.orders,
                   paid_amount = r.paid_amount + excluded.paid_amount, paid_orders = r.paid_orders + excluded.paid_orders`,
    params,
  );
}

/** Marks the tenant as completely seeded, with how and how far; the last write of the seeding transaction. */
export async function writeSeededMark(db: TenantDb, tenant: DemoTenant, history: SeededHistory, orders: number): Promise<void> {
  const details = {
    seed: history.seed,
    scale: history.scale,
    end: history.windowEnd.toISOString(),
    through: history.through.toISOString(),
    orders,
  };
  await db.query(
    `INSERT INTO audit_log (tenant_id, id, actor_user_id, action, entity, entity_id, details)
     VALUES ($1, $2, $3, $4, 'tenant', $1, $5::jsonb)`,
    [tenant.id, stableUuid('audit', SEEDED_ACTION, tenant.id), tenant.ownerUserId, SEEDED_ACTION, JSON.stringify(details)],
  );
}

/**
 * Records a top-up and the new high-water mark; the last write of the top-up transaction.
 * A row per top-up, not an update of the seeded mark: the audit log is append-only.
 */
export async function writeToppedUpMark(
  db: TenantDb,
  tenant: DemoTenant,
  topUp: { since: Date; through: Date; orders: number },
): Promise<void> {
  const details = { since: topUp.since.toISOString(), through: topUp.through.toISOString(), orders: topUp.orders };
  await db.query(
    `INSERT INTO audit_log (tenant_id, id, actor_user_id, action, entity, entity_id, details)
     VALUES ($1, $2, $3, $4, 'tenant', $1, $5::jsonb)`,
    [
      tenant.id,
      stableUuid('audit', TOPPED_UP_ACTION, tenant.id, details.through),
      tenant.ownerUserId,
      TOPPED_UP_ACTION,
      JSON.stringify(details),
    ],
  );
}
