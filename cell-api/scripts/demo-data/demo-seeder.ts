import type { IsoDate } from '@localstore/common';
import type { DataSource } from 'typeorm';
import { type TenantDb, withTenantTransaction } from '../../src/database/tenant-transaction';
import { DemandModel } from './demand-model';
import { DEMO_TENANTS, type DemoTenant } from './demo-tenants';
import {
  analyzeSeededTables,
  CATALOGUE_TABLES,
  deleteTenantRows,
  type DemoTenantState,
  demoTenantStateOf,
  SALES_TABLES,
  vacuumSalesTables,
  writeCatalogue,
  writeOrderBatch,
  writeRollups,
  writeSeededMark,
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
  seed: number;
  /** Multiplies order volume, above 0 and at most 1. */
  scale: number;
  /** The history ends at this instant. */
  end: Date;
  /** Which demo tenants; all of them unless a test narrows it. */
  tenants?: readonly DemoTenant[];
}

export type SeedOutcome = 'seeded' | 'skipped';

export interface TenantSeedReport {
  slug: string;
  outcome: SeedOutcome;
  /** What was there before: `unfinished` is a tenant whose earlier reset was interrupted. */
  stateBefore: DemoTenantState;
  locations: number;
  firstDate: IsoDate;
  lastDate: IsoDate;
  /** Orders written, voided ones included. */
  orders: number;
  voidedOrders: number;
  /** Sum of completed orders, in đồng. */
  revenue: number;
  milliseconds: number;
}

/** Called after each batch is handed to Postgres, with the tenant's running order count. */
export type SeedProgress = (slug: string, ordersSoFar: number) => void;

/**
 * Seeds each demo tenant that is not there yet (all of them with `reset`). A tenant is
 * written in one transaction that ends with its "seeded" mark, so a failure leaves either
 * the previous state or nothing, never half a history.
 */
export async function seedDemoTenants(owner: DataSource, options: SeedDemoOptions, onProgress?: SeedProgress): Promise<TenantSeedReport[]> {
  // Every model is built before anything is written: a bad option or an unknown Tết year fails here.
  const models = (options.tenants ?? DEMO_TENANTS).map(
    (tenant) => new DemandModel({ tenant, seed: options.seed, scale: options.scale, end: options.end }),
  );
  const states = new Map<DemandModel, DemoTenantState>();
  for (const model of models) {
    states.set(model, await forTenant(model, () => withTenantTransaction(owner, model.history.tenant.id, demoTenantStateOf)));
  }

  // Sales go first for every tenant being rebuilt, committed and vacuumed once, so that
  // deleting the orders and menus afterwards is quick (see vacuumSalesTables). Interrupted
  // here, a tenant has lost its seeded mark, and the next run rebuilds it.
  const rebuilt = models.filter((model) => states.get(model) === 'unfinished' || (states.get(model) === 'seeded' && options.reset));
  for (const model of rebuilt) {
    await forTenant(model, () => withTenantTransaction(owner, model.history.tenant.id, (db) => deleteTenantRows(db, SALES_TABLES)));
  }
  if (rebuilt.length > 0) await vacuumSalesTables(owner);

  const reports: TenantSeedReport[] = [];
  for (const model of models) {
    const stateBefore = states.get(model)!;
    const skip = stateBefore === 'seeded' && !options.reset;
    reports.push(skip ? skippedReport(model) : await forTenant(model, () => seedTenant(owner, model, stateBefore, options, onProgress)));
  }
  if (reports.some((report) => report.outcome === 'seeded')) await analyzeSeededTables(owner);
  return reports;
}

/** Names the tenant in any failure: the CLI prints just the message. */
async function forTenant<T>(model: DemandModel, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new Error(`seeding ${model.history.tenant.slug} failed, its transaction was rolled back: ${(error as Error).message}`, { cause: error });
  }
}

function reportBase(model: DemandModel, stateBefore: DemoTenantState) {
  const { tenant } = model.history;
  return {
    slug: tenant.slug,
    stateBefore,
    locations: tenant.locations.length,
    firstDate: model.calendar.firstDate,
    lastDate: model.calendar.lastDate,
  };
}

function skippedReport(model: DemandModel): TenantSeedReport {
  return { ...reportBase(model, 'seeded'), outcome: 'skipped', orders: 0, voidedOrders: 0, revenue: 0, milliseconds: 0 };
}

async function seedTenant(
  owner: DataSource,
  model: DemandModel,
  stateBefore: DemoTenantState,
  options: SeedDemoOptions,
  onProgress?: SeedProgress,
): Promise<TenantSeedReport> {
  const started = performance.now();
  const { tenant } = model.history;
  const totals = await withTenantTransaction(owner, tenant.id, async (db) => {
    if (stateBefore !== 'absent') await deleteTenantRows(db, CATALOGUE_TABLES);
    await writeCatalogue(db, { tenant, staff: model.staff, menu: model.menu, since: new Date(`${model.calendar.firstDate}T00:00:00+07:00`) });
    const written = await writeOrders(db, model, onProgress);
    await writeRollups(db);
    await writeSeededMark(db, tenant, {
      seed: options.seed,
      scale: options.scale,
      end: options.end.toISOString(),
      orders: written.orders,
    });
    return written;
  });
  return { ...reportBase(model, stateBefore), outcome: 'seeded', ...totals, milliseconds: performance.now() - started };
}

/**
 * Streams the model's orders into Postgres batch by batch. While Postgres inserts one
 * batch, Node generates the next: the two run on different cores.
 */
async function writeOrders(db: TenantDb, model: DemandModel, onProgress?: SeedProgress): Promise<{ orders: number; voidedOrders: number; revenue: number }> {
  const totals = { orders: 0, voidedOrders: 0, revenue: 0 };
  let batch = new OrderBatch();
  let writing: Promise<void> = Promise.resolve();
  const flush = async () => {
    await writing;
    const full = batch;
    batch = new OrderBatch();
    writing = writeOrderBatch(db, full);
    // Awaited at the next flush; until then this only keeps Node from calling it unhandled.
    writing.catch(() => undefined);
    totals.orders += full.size;
    totals.voidedOrders += full.voidedOrders;
    totals.revenue += full.revenue;
    onProgress?.(model.history.tenant.slug, totals.orders);
    // Let the statement reach the socket before generating the next batch synchronously.
    await new Promise((resolve) => setImmediate(resolve));
  };
  for (const dayOrders of model.ordersByDay()) {
    for (const order of dayOrders) batch.add(order);
    if (batch.size >= ORDERS_PER_STATEMENT) await flush();
  }
  if (batch.size > 0) await flush();
  await writing;
  return totals;
}
