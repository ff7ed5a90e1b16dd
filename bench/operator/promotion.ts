// Measurement 2/3: the chain promoted from the pooled cell to its own (plan pooled →
// dedicated) while a client keeps selling through the router: the plan change → the route
// switch (target < 60 s), the longest pause between acknowledged sales (target < 2 s), each
// step's time and where its database time went, the clean-up, and a check that every
// acknowledged sale is in the dedicated cell exactly once.
import pg from 'pg';
import { HttpClient } from '../lib/http-client';
import { type Summary, summarize } from '../lib/measure';
import { BenchError, log } from '../lib/output';
import { apply } from './cluster';
import type { CellStart } from './kubelet-stand-in';
import { metricsDelta, operatorMetrics, type Reconciles } from './metrics';
import { type Migration, PROMOTION_STEPS, tenantActive, tenantManifest } from './resources';
import { Seller } from './seller';
import type { Stage } from './stage';
import { type DatabaseTime, StatementSampler } from './statement-sampler';
import { epochMs, seconds, sleep } from './time';

const MENU = `query BenchMenu { menu { id active } }`;

export interface PromotionFigures {
  tenant: string;
  ordersBefore: number;
  ordersAfter: number;
  tablesCopied: number | null;
  rowsCopied: number | null;
  dedicatedSchema: string;
  /** The plan change → the route switched to the dedicated cell (the directory's clock). */
  seconds: number;
  switchedAt: number | null;
  drainingAt: number | null;
  routeDrainedSeconds: number | null;
  cleanupSeconds: number | null;
  steps: { step: string; startedAfter: number | null; seconds: number | null }[];
  rolledBack: boolean;
  databaseTime: DatabaseTime;
  cellStart: CellStart | null;
  /** The longest gap between two acknowledged sales from the plan change on. */
  writePauseSeconds: number;
  writePauseAt: [number | null, number | null] | null;
  writesRefusedSeconds: number;
  refusedAttempts: number;
  refusedBy: Record<string, number>;
  salesRefusedAtLeastOnce: number;
  acknowledged: number;
  acknowledgedDuringMove: number;
  saleLatency: Summary;
  saleLatencyBefore: Summary;
  sellingSeconds: number;
  errors: number;
  firstErrors: string[];
  check: {
    acknowledged: number;
    distinctAcknowledged: number;
    foundInDedicated: number;
    foundDistinct: number;
    ordersExpected: number;
    ordersInDedicated: number;
    leftInPooled: number | null;
    pass: boolean;
  };
  reconciles: Reconciles;
}

/** A route of the chain as the directory changed it: `at` its `updated_at`, `seenAt` when the bench read it. */
interface RouteChange {
  cell: string;
  state: string;
  at: number;
  seenAt: number;
}

/**
 * Plan pooled → dedicated with a client selling through the router the whole time. The
 * route switch is timed by the directory itself: the bench LISTENs for `route_changed` on
 * the copy and reads the route's `updated_at` (the switching transaction's start) on each.
 */
export async function measurePromotion({
  settings,
  labels,
  cpPort,
  owner,
  urls,
  tenants,
  cells,
  metricsPort,
  standIn,
  timeoutMs,
}: Stage): Promise<PromotionFigures> {
  const chain = settings.chain;
  log(`operator: 2/3 promoting ${chain.slug} to a dedicated cell while a client sells through the router…`);
  const routes: RouteChange[] = [];
  const listener = new pg.Client({
    connectionString: urls.control,
    application_name: 'localstore-bench:operator-routes',
    options: '-c search_path=directory',
  });
  await listener.connect();
  const ownerDb = new pg.Pool({ connectionString: urls.owner, max: 3, application_name: 'localstore-bench:operator-check' });
  const client = new HttpClient(cpPort, { headers: { authorization: `Bearer ${owner.token}`, host: `${chain.slug}.localhost:${cpPort}` } });
  let seller: Seller | undefined;
  try {
    const readRoute = async () => {
      const { rows } = await listener.query<{ cell_name: string; state: string; at: number }>(
        `SELECT cell_name, state, (extract(epoch FROM updated_at) * 1000)::float8 AS at FROM routes WHERE tenant_id = $1`,
        [chain.id],
      );
      const route = rows[0];
      const last = routes[routes.length - 1];
      if (route && (!last || last.cell !== route.cell_name || last.state !== route.state))
        routes.push({ cell: route.cell_name, state: route.state, at: route.at, seenAt: epochMs() });
    };
    listener.on('notification', (message) => {
      if (message.payload === chain.id) readRoute().catch(() => undefined);
    });
    await listener.query('LISTEN route_changed');
    await readRoute();

    // The menu through the router: the first request of the phase there, so it also checks
    // that the router serves the adopted tenant.
    let menu;
    const askedAt = epochMs();
    for (;;) {
      menu = await client.postJson('/graphql', { query: MENU, variables: {} });
      if (menu.status === 200 || epochMs() - askedAt > 15_000) break;
      await sleep(200);
    }
    if (menu.status === 200 && epochMs() - askedAt > 500)
      log(`operator: the router served ${chain.slug} only after ${seconds(epochMs() - askedAt)} s`);
    const itemIds: string[] = ((menu.body?.data?.menu ?? []) as { id: string; active: boolean }[])
      .filter((item) => item.active)
      .map((item) => item.id)
      .slice(0, 5);
    if (itemIds.length === 0) {
      const { rows } = await listener.query(
        `SELECT t.slug, t.status, r.cell_name, r.state, r.updated_at, c.endpoint FROM tenants t LEFT JOIN routes r ON r.tenant_id = t.id LEFT JOIN cells c ON c.name = r.cell_name WHERE t.slug = $1`,
        [chain.slug],
      );
      throw new BenchError(
        `reading the menu of ${chain.slug} through the router answered ${menu.status} ${JSON.stringify(menu.body).slice(0, 300)}; the directory says ${JSON.stringify(rows)}`,
      );
    }
    const countOrders = async (schema: string): Promise<number> => {
      const db = await ownerDb.connect();
      try {
        await db.query(`BEGIN; SELECT set_config('app.tenant_id', '${chain.id}', true)`);
        const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".orders`);
        await db.query('COMMIT');
        return rows[0]!.n;
      } finally {
        db.release();
      }
    };
    const ordersBefore = await countOrders('cell_pooled');

    seller = new Seller(client, chain.locations[0]!.id, itemIds, settings.retryCapMs);
    seller.start();
    await sleep(2_000); // selling before the move: the baseline
    if (seller.acks.length === 0)
      throw new BenchError(
        `no sale acknowledged through the router before the move: ${seller.errors.slice(0, 3).join('; ') || 'no answer'}`,
      );

    const steps = new Map<string, number>();
    let lastMigration: Migration | null = null;
    const stopWatching = tenants.listen((_type, tenant, at) => {
      const migration = tenant.metadata.name === chain.slug ? tenant.status?.migration : undefined;
      if (migration) lastMigration = migration;
      if (migration?.step && !steps.has(migration.step)) steps.set(migration.step, at);
    });
    const sampler = new StatementSampler(ownerDb, new URL(urls.owner).pathname.slice(1), () => lastMigration?.step);
    sampler.start();
    const metricsBefore = await operatorMetrics(metricsPort);
    const startedAt = epochMs();
    await apply(tenantManifest(labels, chain.slug, { displayName: chain.name, plan: 'dedicated' }));
    const switched = await waitFor(
      `the route of ${chain.slug} to switch`,
      () => routes.find((r) => r.cell === chain.slug && r.state === 'active'),
      timeoutMs,
    );
    log(
      `operator: ${chain.slug} switched to its dedicated cell after ${seconds(switched.at - startedAt)} s; waiting for the clean-up of the pooled copy…`,
    );
    // Selling goes on a little past the switch: the first sales the dedicated cell takes.
    const acksAtSwitch = seller.acks.length;
    while (epochMs() - switched.seenAt < 2_000 || seller.acks.length < acksAtSwitch + 20) {
      if (epochMs() - switched.seenAt > 30_000) break;
      await sleep(100);
    }
    await seller.stop();
    const stoppedAt = epochMs();
    let cleanedAt: number | null = null;
    try {
      await tenants.until(
        `tenant ${chain.slug} Active in its dedicated cell`,
        (all) => tenantActive(all.get(chain.slug), chain.slug),
        timeoutMs,
      );
      cleanedAt = epochMs();
    } catch (error) {
      log(`operator: ${(error as Error).message}; the figures before it stand`);
    }
    stopWatching();
    await sampler.stop();
    const metricsAfter = await operatorMetrics(metricsPort);

    // Every acknowledged sale in the dedicated schema, once; none lost, none twice.
    const cell = cells.objects.get(chain.slug);
    const dedicatedSchema = cell?.spec?.database?.schema ?? `cell_${chain.slug.replace(/-/g, '_')}`;
    const ids = seller.acks.map((a) => a.id);
    const db = await ownerDb.connect();
    let found: { n: number; distinct: number };
    try {
      await db.query(`BEGIN; SELECT set_config('app.tenant_id', '${chain.id}', true)`);
      found = (
        await db.query<{ n: number; distinct: number }>(
          `SELECT count(*)::int AS n, count(DISTINCT id)::int AS distinct FROM "${dedicatedSchema}".orders WHERE id = ANY($1::uuid[])`,
          [ids],
        )
      ).rows[0]!;
      await db.query('COMMIT');
    } finally {
      db.release();
    }
    const ordersAfter = await countOrders(dedicatedSchema);
    const leftInPooled = cleanedAt ? await countOrders('cell_pooled') : null;

    // The pause: the longest gap between two acknowledged sales from the plan change until
    // the first sales after the switch; and how long the sales refused meanwhile waited.
    const acks = seller.acks;
    const inMove = acks.filter((a) => a.ackAt >= startedAt);
    let longestGap: { ms: number; from: number | null; to: number | null } = { ms: 0, from: null, to: null };
    for (let i = 1; i < acks.length; i++) {
      if (acks[i]!.ackAt < startedAt) continue;
      const gap = acks[i]!.ackAt - acks[i - 1]!.ackAt;
      if (gap > longestGap.ms) longestGap = { ms: gap, from: acks[i - 1]!.ackAt, to: acks[i]!.ackAt };
    }
    const refusedSales = acks.filter((a) => a.retries > 0);
    const refusedMs = refusedSales.reduce((sum, a) => sum + (a.ackAt - a.firstTryAt), 0);
    const refusedBy: Record<string, number> = {};
    for (const refusal of seller.refusals) refusedBy[refusal.by] = (refusedBy[refusal.by] ?? 0) + 1;
    const draining = routes.find((r) => r.state === 'draining');
    const rel = (at: number | null | undefined) => (at === null || at === undefined ? null : seconds(at - startedAt));
    const stepTimes = [...PROMOTION_STEPS, 'Done']
      .map((step) => [step, step === 'Done' ? cleanedAt : steps.get(step)] as const)
      .filter((entry): entry is readonly [string, number] => entry[1] !== undefined && entry[1] !== null);
    const stepDurations = stepTimes.map(([step, at], i) => ({
      step,
      startedAfter: rel(at),
      seconds: i + 1 < stepTimes.length ? seconds(stepTimes[i + 1]![1] - at) : null,
    }));
    const rolledBack = steps.has('RollingBack');
    const migration = lastMigration as Migration | null;

    return {
      tenant: chain.slug,
      ordersBefore,
      ordersAfter,
      tablesCopied: migration?.tablesCopied ?? null,
      rowsCopied: migration?.rowsCopied ?? null,
      dedicatedSchema,
      seconds: seconds(switched.at - startedAt),
      switchedAt: rel(switched.at),
      drainingAt: rel(draining?.at),
      routeDrainedSeconds: draining ? seconds(switched.at - draining.at) : null,
      cleanupSeconds: cleanedAt ? seconds(cleanedAt - switched.at) : null,
      steps: stepDurations,
      rolledBack,
      databaseTime: sampler.summary(),
      cellStart: standIn.timeline(chain.slug, startedAt),
      writePauseSeconds: seconds(longestGap.ms),
      writePauseAt: longestGap.from ? [rel(longestGap.from), rel(longestGap.to)] : null,
      writesRefusedSeconds: seconds(refusedMs),
      refusedAttempts: seller.refusals.length,
      refusedBy,
      salesRefusedAtLeastOnce: refusedSales.length,
      acknowledged: acks.length,
      acknowledgedDuringMove: inMove.length,
      saleLatency: summarize(inMove.filter((a) => a.retries === 0).map((a) => a.lastTryMs)),
      saleLatencyBefore: summarize(acks.filter((a) => a.ackAt < startedAt).map((a) => a.lastTryMs)),
      sellingSeconds: seconds(stoppedAt - acks[0]!.firstTryAt),
      errors: seller.errors.length,
      firstErrors: [...new Set(seller.errors)].slice(0, 3),
      check: {
        acknowledged: ids.length,
        distinctAcknowledged: new Set(ids).size,
        foundInDedicated: found.n,
        foundDistinct: found.distinct,
        ordersExpected: ordersBefore + acks.length,
        ordersInDedicated: ordersAfter,
        leftInPooled,
        pass:
          found.n === ids.length &&
          found.distinct === ids.length &&
          new Set(ids).size === ids.length &&
          ordersAfter === ordersBefore + acks.length,
      },
      reconciles: metricsDelta(metricsBefore, metricsAfter),
    };
  } finally {
    if (seller && !seller.stopping) await seller.stop().catch(() => undefined);
    client.close();
    await listener.end().catch(() => undefined);
    await ownerDb.end().catch(() => undefined);
  }
}

/** Resolves with `check()`'s value once truthy, polling every `everyMs`. */
async function waitFor<T>(what: string, check: () => T | undefined, timeoutMs: number, everyMs = 20): Promise<T> {
  const deadline = epochMs() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (epochMs() > deadline) throw new BenchError(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(everyMs);
  }
}
