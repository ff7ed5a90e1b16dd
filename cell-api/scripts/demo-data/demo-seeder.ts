import type { IsoDate } from '@localstore/common';
import type { DataSource } from 'typeorm';
import { withTenantTransaction } from '@localstore/cell-db';
import { DemandModel, type DemoOrder, settledHourBefore } from './demand-model';
import { DEMO_TENANTS, type DemoTenant } from './demo-tenants';
import {
  analyzeLoadedOrders,
  analyzeSeededTables,
  deleteTenantRows,
  type DemoTables,
  type DemoTenantState,
  demoTablesOf,
  demoTenantStatusOf,
  lockSeededHistory,
  type SeededHistory,
  vacuumSalesTables,
  writeCatalogue,
  writeOrderBatch,
  writeRollups,
  writeSeededMark,
  writeToppedUpMark,
} from './demo-writer';
import { OrderBatch } from './order-batch';

/**
 * Orders per INSERT: large enough that round trips do not matter, small enough that a
 * statement's parameters stay around a megabyte.
 */
const ORDERS_PER_STATEMENT = 5_000;

export interface SeedDemoOptions {
  /** Delete and rebuild demo tenants that are already seeded (others are seeded either way). */
  reset: boolean;
  /** Seeds a new history; a top-up goes on with the seed its tenant was seeded with. */
  seed: number;
  /** Multiplies order volume, above 0 and at most 1; like the seed, for a new history only. */
  scale: number;
  /**
   * The history goes up to the last whole hour that has settled by this instant (see
   * `settledHourBefore`): a new one is seeded up to there, one already seeded is topped up
   * to there.
   */
  end: Date;
  /**
   * Where a new history's window ends (default: `end`); a top-up keeps its tenant's. Lets a
   * test seed in one go what a seed and a later top-up write in two.
   */
  windowEnd?: Date;
  /** Which demo tenants; all of them unless a test narrows it. */
  tenants?: readonly DemoTenant[];
}

/** `up_to_date`: already seeded, and no whole hour has settled since its high-water mark. */
export type SeedOutcome = 'seeded' | 'topped_up' | 'up_to_date';

export interface TenantSeedReport {
  slug: string;
  outcome: SeedOutcome;
  /** What was there before: `unfinished` is a tenant whose earlier reset was interrupted. */
  stateBefore: DemoTenantState;
  locations: number;
  firstDate: IsoDate;
  lastDate: IsoDate;
  /** Where this run's orders start for a top-up (the previous high-water mark); null for a seed. */
  since: Date | null;
  /** The high-water mark after this run: the history holds every order created before it. */
  through: Date;
  /** Orders written, voided ones included. */
  orders: number;
  voidedOrders: number;
  /** Sum of completed orders, in đồng. */
  revenue: number;
  milliseconds: number;
}

/** Called after each batch is handed to Postgres, with the tenant's running order count. */
export type SeedProgress = (slug: string, ordersSoFar: number) => void;

/** What a run does to one tenant, decided before anything is written. */
interface TenantPlan {
  action: 'seed' | 'top_up' | 'none';
  stateBefore: DemoTenantState;
  /** The history as this run leaves it: how it is generated and its new high-water mark. */
  history: SeededHistory;
  /** The high-water mark before a top-up (or a tenant left as it is); null for a seed. */
  since: Date | null;
  /** Generates `history` up to its high-water mark. */
  model: DemandModel;
}

interface OrderTotals {
  orders: number;
  voidedOrders: number;
  revenue: number;
}

const NO_ORDERS: OrderTotals = { orders: 0, voidedOrders: 0, revenue: 0 };

/**
 * Seeds each demo tenant that is not there yet (all of them with `reset`) and tops up
 * each one already seeded with the orders since its high-water mark. A tenant is written
 * in one transaction that ends with its seeded or topped-up mark, so a failure leaves
 * either the previous state or nothing, never half a history or half a top-up.
 */
export async function seedDemoTenants(owner: DataSource, options: SeedDemoOptions, onProgress?: SeedProgress): Promise<TenantSeedReport[]> {
  // Every model is built before anything is written: a bad option or an unknown Tết year fails here.
  const plans: TenantPlan[] = [];
  for (const tenant of options.tenants ?? DEMO_TENANTS) {
    const status = await forTenant('seeding', tenant, () => withTenantTransaction(owner, tenant.id, demoTenantStatusOf));
    const doing = status.state === 'seeded' && !options.reset ? 'topping up' : 'seeding';
    plans.push(await forTenant(doing, tenant, async () => planOf(tenant, status.state, status.history, options)));
  }

  // Sales go first for every tenant being rebuilt, committed and vacuumed once, so that
  // deleting the orders and menus afterwards is quick (see vacuumSalesTables). Interrupted
  // here, a tenant has lost its seeded mark, and the next run rebuilds it.
  const tables = await demoTablesOf(owner);
  const rebuilt = plans.filter((plan) => plan.action === 'seed' && plan.stateBefore !== 'absent');
  for (const { model } of rebuilt) {
    const { tenant } = model.history;
    await forTenant('seeding', tenant, () => withTenantTransaction(owner, tenant.id, (db) => deleteTenantRows(db, tables.sales)));
  }
  if (rebuilt.length > 0) await vacuumSalesTables(owner, tables);

  const reports: TenantSeedReport[] = [];
  for (const plan of plans) {
    const { tenant } = plan.model.history;
    if (plan.action === 'seed') reports.push(await forTenant('seeding', tenant, () => seedTenant(owner, plan, tables, onProgress)));
    else if (plan.action === 'top_up') reports.push(await forTenant('topping up', tenant, () => topUpTenant(owner, plan, onProgress)));
    else reports.push(reportOf(plan, 'up_to_date', NO_ORDERS, 0));
  }
  // A top-up adds a few days to months of history: the planner's statistics still hold.
  if (reports.some((report) => report.outcome === 'seeded')) await analyzeSeededTables(owner, tables);
  return reports;
}

/**
 * A new history from the options, or the seeded one carried on to the last settled hour.
 * A top-up keeps the seed, scale and window its tenant was seeded with, whatever the
 * options say: the new days must continue the same history.
 */
function planOf(tenant: DemoTenant, stateBefore: DemoTenantState, seeded: SeededHistory | null, options: SeedDemoOptions): TenantPlan {
  const through = settledHourBefore(options.end);
  if (stateBefore === 'seeded' && seeded && !options.reset) {
    const history = through > seeded.through ? { ...seeded, through } : seeded;
    return { action: history === seeded ? 'none' : 'top_up', stateBefore, history, since: seeded.through, model: modelOf(tenant, history) };
  }
  const history = { seed: options.seed, scale: options.scale, windowEnd: options.windowEnd ?? options.end, through };
  return { action: 'seed', stateBefore, history, since: null, model: modelOf(tenant, history) };
}

function modelOf(tenant: DemoTenant, history: SeededHistory): DemandModel {
  return new DemandModel({ tenant, seed: history.seed, scale: history.scale, windowEnd: history.windowEnd, end: history.through });
}

/** Names the tenant in any failure: the CLI prints just the message. */
async function forTenant<T>(doing: 'seeding' | 'topping up', tenant: DemoTenant, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new Error(`${doing} ${tenant.slug} failed, its transaction was rolled back: ${(error as Error).message}`, { cause: error });
  }
}

function reportOf(plan: TenantPlan, outcome: SeedOutcome, totals: OrderTotals, milliseconds: number, since = plan.since): TenantSeedReport {
  const { model, history } = plan;
  const { tenant } = model.history;
  return {
    slug: tenant.slug,
    outcome,
    stateBefore: plan.stateBefore,
    locations: tenant.locations.length,
    firstDate: model.calendar.firstDate,
    lastDate: model.calendar.lastDate,
    since,
    through: history.through,
    ...totals,
    milliseconds,
  };
}

async function seedTenant(owner: DataSource, plan: TenantPlan, tables: DemoTables, onProgress?: SeedProgress): Promise<TenantSeedReport> {
  const started = performance.now();
  const { model, history } = plan;
  const { tenant } = model.history;
  const totals = await withTenantTransaction(owner, tenant.id, async (db) => {
    if (plan.stateBefore !== 'absent') await deleteTenantRows(db, tables.catalogue);
    await writeCatalogue(db, {
      tenant,
      staff: model.staff,
      menu: model.menu,
      since: new Date(`${model.calendar.firstDate}T00:00:00+07:00`),
    });
    const written = await writeOrders(tenant.slug, model.ordersByDay(), (batch) => writeOrderBatch(db, batch), onProgress);
    await analyzeLoadedOrders(db);
    await writeRollups(db);
    await writeSeededMark(db, tenant, history, written.orders);
    return written;
  });
  return reportOf(plan, 'seeded', totals, performance.now() - started);
}

/**
 * The orders from the high-water mark up to the plan's, with their lines, payments, voids
 * and rollup increments, and the new mark, in one transaction. The orders of an hour do
 * not depend on when they are generated (see DemandModel), so a history topped up in
 * pieces is the history seeded at once.
 */
async function topUpTenant(owner: DataSource, plan: TenantPlan, onProgress?: SeedProgress): Promise<TenantSeedReport> {
  const started = performance.now();
  const { model, history } = plan;
  const { tenant } = model.history;
  const { since, totals } = await withTenantTransaction(owner, tenant.id, async (db) => {
    const current = await lockSeededHistory(db);
    if (!current) throw new Error('it lost its seeded mark while this run was starting (a reset at the same time?)');
    if (current.seed !== history.seed || current.scale !== history.scale || current.windowEnd.getTime() !== history.windowEnd.getTime()) {
      throw new Error('it was seeded again while this run was starting');
    }
    // Another run topped it up while this one was starting: nothing left to add.
    if (current.through >= history.through) return { since: current.through, totals: NO_ORDERS };
    const written = await writeOrders(
      tenant.slug,
      model.ordersByDay(current.through),
      async (batch) => {
        await writeOrderBatch(db, batch);
        await writeRollups(db, batch.orders.id);
      },
      onProgress,
    );
    await writeToppedUpMark(db, tenant, { since: current.through, through: history.through, orders: written.orders });
    return { since: current.through, totals: written };
  });
  const outcome = since >= history.through ? 'up_to_date' : 'topped_up';
  return reportOf(plan, outcome, totals, performance.now() - started, since);
}

/**
 * Streams orders into Postgres batch by batch through `write`. While Postgres inserts one
 * batch, Node generates the next: the two run on different cores.
 */
async function writeOrders(
  slug: string,
  days: Iterable<DemoOrder[]>,
  write: (batch: OrderBatch) => Promise<void>,
  onProgress?: SeedProgress,
): Promise<OrderTotals> {
  const totals = { ...NO_ORDERS };
  let batch = new OrderBatch();
  let writing: Promise<void> = Promise.resolve();
  const flush = async () => {
    await writing;
    const full = batch;
    batch = new OrderBatch();
    writing = write(full);
    // Awaited at the next flush; until then this only keeps Node from calling it unhandled.
    writing.catch(() => undefined);
    totals.orders += full.size;
    totals.voidedOrders += full.voidedOrders;
    totals.revenue += full.revenue;
    onProgress?.(slug, totals.orders);
    // Let the statement reach the socket before generating the next batch synchronously.
    await new Promise((resolve) => setImmediate(resolve));
  };
  for (const dayOrders of days) {
    for (const order of dayOrders) batch.add(order);
    if (batch.size >= ORDERS_PER_STATEMENT) await flush();
  }
  if (batch.size > 0) await flush();
  await writing;
  return totals;
}
