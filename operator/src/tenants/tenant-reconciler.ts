import type { Logger } from 'pino';
import type { CellDatabases } from '../cells/cell-database';
import type { OperatorConfig } from '../config/operator-config';
import { conditionIs, conditionsOf } from '../kube/conditions';
import type { EventRecorder } from '../kube/event-recorder';
import type { KubeClient } from '../kube/kube-client';
import {
  API_VERSION,
  type Cell,
  type Tenant,
  TENANT_FINALIZER,
  type TenantMigration,
  type TenantPhase,
  type TenantStatus,
} from '../kube/resources';
import type { ReconcileResult } from '../runtime/work-queue';
import type { DirectoryRoutes } from './directory-routes';
import { dedicatedCellFor, nextPooledCellName, pooledCellComingUp, pooledCellFromTemplate, pooledCellWithRoom } from './tenant-placement';
import type { TenantPromotion } from './tenant-promotion';

/** After a rolled-back promotion, the next attempt waits this long (unless the spec changes). */
const PROMOTION_RETRY_MS = 10 * 60_000;

export interface TenantReconcilerDeps {
  kube: KubeClient;
  databases: CellDatabases;
  directory: DirectoryRoutes;
  promotion: TenantPromotion;
  events: EventRecorder;
  config: OperatorConfig;
  logger: Logger;
  /** The Cells as the informer sees them, and how many tenants each holds. */
  cells: () => Cell[];
  tenantsIn: (cell: string) => number;
  /** Records a placement before the informer sees it, so two tenants never take the last seat. */
  reservePlacement: (tenant: string, cell: string) => void;
}

interface PassOutcome {
  phase: TenantPhase;
  cell?: string;
  migration?: TenantMigration;
  ready: boolean;
  reason: string;
  message: string;
  degraded?: boolean;
  requeueAfterMs?: number;
}

/**
 * Places a Tenant: its directory entry, a seat in a pooled cell with room (or its own
 * dedicated cell), its row in that cell, and its route — the operator is the route's only
 * writer in a cluster. A pooled tenant whose plan becomes `dedicated` is promoted.
 */
export class TenantReconciler {
  /** Serialises seat choices: the queue runs tenants in parallel, the last seat must go once. */
  private placing: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: TenantReconcilerDeps) {}

  async reconcile(name: string): Promise<ReconcileResult> {
    const tenant = await this.deps.kube.read<Tenant>(API_VERSION, 'Tenant', name);
    if (!tenant) return {};
    if (tenant.metadata?.deletionTimestamp) return this.finalize(tenant);
    await this.deps.kube.setFinalizer('tenants', tenant, TENANT_FINALIZER, true);

    const tenantId = tenant.status?.tenantId ?? (await this.deps.directory.ensureTenant(name, tenant.spec.displayName, tenant.spec.plan));
    const outcome = await this.pass(tenant, tenantId);
    const generation = tenant.metadata?.generation;
    const status: TenantStatus = {
      tenantId,
      ...(outcome.cell ? { cell: outcome.cell } : {}),
      phase: outcome.phase,
      observedGeneration: generation,
      conditions: conditionsOf(tenant.status?.conditions, generation, {
        ready: outcome.ready,
        progressing: !outcome.ready && !outcome.degraded,
        degraded: outcome.degraded ?? false,
        reason: outcome.reason,
        message: outcome.message,
      }),
      ...(outcome.migration ? { migration: outcome.migration } : {}),
    };
    await this.deps.kube.applyStatus('tenants', 'Tenant', name, status);
    if (outcome.ready && !conditionIs(tenant.status?.conditions, 'Ready', 'True')) {
      await this.deps.events.normal(tenant, outcome.phase === 'Suspended' ? 'Suspended' : 'Placed', outcome.message);
    }
    return outcome.requeueAfterMs !== undefined ? { requeueAfterMs: outcome.requeueAfterMs } : {};
  }

  private async pass(tenant: Tenant, tenantId: string): Promise<PassOutcome> {
    const name = tenant.metadata!.name!;
    const route = await this.deps.directory.routeOf(tenantId);
    const migration = tenant.status?.migration;

    if (migration && migration.step && migration.step !== 'Done') {
      const pass = await this.deps.promotion.advance(tenant, tenantId, migration);
      if (!pass.migration) return this.placed(tenant, tenantId, pass.cell, 'Promoted', `Promoted to dedicated cell ${pass.cell}.`);
      if (pass.migration.step === 'Done') {
        return {
          phase: 'Active',
          cell: pass.cell,
          migration: pass.migration,
          ready: true,
          degraded: true,
          reason: 'PromotionRolledBack',
          message: pass.migration.message ?? 'Promotion rolled back.',
          requeueAfterMs: PROMOTION_RETRY_MS,
        };
      }
      return {
        phase: 'Migrating',
        cell: pass.cell,
        migration: pass.migration,
        ready: false,
        reason: 'Migrating',
        message: pass.migration.message ?? `Moving to ${pass.migration.toCell}.`,
        requeueAfterMs: pass.requeueAfterMs,
      };
    }

    const current = route ? this.deps.cells().find((c) => c.metadata!.name === route.cell) : undefined;
    if (tenant.spec.plan === 'dedicated') {
      // Created once: from then on the Cell's spec (version, replicas) is the admins' to change.
      if (!(await this.deps.kube.read<Cell>(API_VERSION, 'Cell', name))) {
        await this.deps.kube.apply(dedicatedCellFor(tenant, this.deps.config.pooledCellTemplate, this.deps.config.selector));
        await this.deps.events.normal(tenant, 'CellCreated', `Created dedicated cell ${name}.`);
      }
      if (route && current?.spec.mode === 'pooled') {
        const lastTry = migration?.step === 'Done' ? Date.parse(migration.startedAt ?? '') : NaN;
        if (Date.now() - lastTry < PROMOTION_RETRY_MS && tenant.status?.observedGeneration === tenant.metadata?.generation) {
          return {
            phase: 'Active',
            cell: route.cell,
            migration,
            ready: true,
            degraded: true,
            reason: 'PromotionRolledBack',
            message: migration!.message ?? 'Promotion rolled back.',
            requeueAfterMs: PROMOTION_RETRY_MS,
          };
        }
        await this.deps.events.normal(tenant, 'PromotionStarted', `Moving from pooled cell ${route.cell} to dedicated cell ${name}.`);
        const started: TenantMigration = {
          step: 'CreatingCell',
          fromCell: route.cell,
          toCell: name,
          startedAt: new Date().toISOString(),
          tablesCopied: 0,
          rowsCopied: 0,
          message: `Creating dedicated cell ${name}.`,
        };
        return {
          phase: 'Migrating',
          cell: route.cell,
          migration: started,
          ready: false,
          reason: 'Migrating',
          message: started.message!,
          requeueAfterMs: 0,
        };
      }
      return this.placed(tenant, tenantId, name, 'Placed', `Served by its dedicated cell ${name}.`);
    }

    if (route && current?.spec.mode === 'dedicated') {
      return {
        phase: 'Active',
        cell: route.cell,
        ready: true,
        degraded: true,
        reason: 'DowngradeUnsupported',
        message: `Moving a dedicated tenant back to a pooled cell is not supported; it stays in ${route.cell}.`,
      };
    }
    const target = tenant.spec.cell ?? route?.cell ?? (await this.choosePooledCell(name));
    if (!target)
      return {
        phase: 'Placing',
        ready: false,
        reason: 'WaitingForCell',
        message: 'Every pooled cell is full; a new one is coming up.',
        requeueAfterMs: 2_000,
      };
    return this.placed(tenant, tenantId, target, 'Placed', `Served by pooled cell ${target}.`);
  }

  /** The tenant's row in its cell, then its route: the router only sends traffic to a cell that knows the tenant. */
  private async placed(tenant: Tenant, tenantId: string, cellName: string, reason: string, message: string): Promise<PassOutcome> {
    const cell = await this.deps.kube.read<Cell>(API_VERSION, 'Cell', cellName);
    if (!cell)
      return {
        phase: 'Placing',
        cell: cellName,
        ready: false,
        degraded: Boolean(tenant.spec.cell),
        reason: 'CellMissing',
        message: `Cell ${cellName} does not exist.`,
        requeueAfterMs: 5_000,
      };
    if (!conditionIs(cell.status?.conditions, 'Ready', 'True')) {
      return {
        phase: 'Placing',
        cell: cellName,
        ready: false,
        reason: 'WaitingForCell',
        message: `Waiting for cell ${cellName} to be Ready.`,
        requeueAfterMs: 2_000,
      };
    }
    const tenantName = tenant.metadata!.name!;
    const secret = await this.deps.databases.secretOf(cell);
    await this.deps.databases.upsertTenant(cell, secret, {
      id: tenantId,
      slug: tenantName,
      name: tenant.spec.displayName,
      plan: tenant.spec.plan,
    });
    await this.deps.directory.setRoute(tenantId, cellName, 'active');
    const suspended = tenant.spec.suspended === true;
    await this.deps.directory.setTenantStatus(tenantId, suspended ? 'suspended' : 'active');
    if (suspended)
      return {
        phase: 'Suspended',
        cell: cellName,
        ready: true,
        reason: 'Suspended',
        message: `Suspended; its data stays in cell ${cellName}.`,
      };
    return { phase: 'Active', cell: cellName, ready: true, reason, message };
  }

  /** A seat in a pooled cell with room, or a new pooled cell when all are full. */
  private choosePooledCell(tenant: string): Promise<string | undefined> {
    const choice = this.placing.then(async () => {
      const cells = this.deps.cells();
      const withRoom = pooledCellWithRoom(cells, this.deps.tenantsIn);
      if (withRoom) {
        this.deps.reservePlacement(tenant, withRoom.metadata!.name!);
        return withRoom.metadata!.name!;
      }
      if (!pooledCellComingUp(cells, this.deps.tenantsIn)) {
        const created = pooledCellFromTemplate(
          nextPooledCellName(cells, this.deps.config.pooledCellTemplate.namePrefix),
          this.deps.config.pooledCellTemplate,
          this.deps.config.selector,
        );
        await this.deps.kube.apply(created);
        this.deps.logger.info({ cell: created.metadata!.name }, 'every pooled cell is full; created a new one');
      }
      return undefined;
    });
    this.placing = choice.catch(() => undefined);
    return choice;
  }

  /**
   * A deleted Tenant is suspended in the directory: the router stops serving it at once.
   * Its route stays, pointing at the cell that holds its rows, so nothing is dropped by
   * surprise: applying the Tenant again serves the same data, and its cell refuses to be
   * deleted while the route is there. A dedicated tenant's Cell is owned by it and follows it.
   */
  private async finalize(tenant: Tenant): Promise<ReconcileResult> {
    if (!tenant.metadata?.finalizers?.includes(TENANT_FINALIZER)) return {};
    const tenantId = tenant.status?.tenantId;
    if (tenantId) await this.deps.directory.setTenantStatus(tenantId, 'suspended');
    await this.deps.events.normal(tenant, 'Suspended', 'Tenant deleted: no longer served; its route and data were kept.');
    await this.deps.kube.setFinalizer('tenants', tenant, TENANT_FINALIZER, false);
    return {};
  }
}
