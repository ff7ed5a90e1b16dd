import type { V1Deployment } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { OperatorConfig } from '../config/operator-config';
import type { EventRecorder } from '../kube/event-recorder';
import type { KubeClient } from '../kube/kube-client';
import { API_VERSION, type Cell, CELL_FINALIZER } from '../kube/resources';
import type { ReconcileResult } from '../runtime/work-queue';
import type { DirectoryRoutes } from '../tenants/directory-routes';
import { CellDatabaseError, type CellDatabases } from './cell-database';
import { CELL_API, cellNamespace, cellServiceUrl, desiredCellObjects } from './cell-resources';
import { type CellObservation, cellStatusFrom } from './cell-status';

/** How often a cell is looked at again: soon while it comes up, rarely once it is Ready. */
const NOT_READY_REQUEUE_MS = 2_000;
const READY_REQUEUE_MS = 60_000;

export interface CellReconcilerDeps {
  kube: KubeClient;
  databases: CellDatabases;
  directory: DirectoryRoutes;
  events: EventRecorder;
  config: OperatorConfig;
  logger: Logger;
  /** Tenants whose status places them in (or moving through) a cell, from the Tenant informer. */
  tenantsIn: (cellName: string) => number;
}

/**
 * Makes a Cell exist: its namespace and workload objects (server-side applied, owned by the
 * Cell), its database schema at the current migration, its entry in the directory once Ready;
 * and, on deletion, removes its schema only when no tenant is left in it.
 */
export class CellReconciler {
  constructor(private readonly deps: CellReconcilerDeps) {}

  async reconcile(name: string): Promise<ReconcileResult> {
    const { kube, logger } = this.deps;
    const cell = await kube.read<Cell>(API_VERSION, 'Cell', name);
    if (!cell) return {};
    if (cell.metadata?.deletionTimestamp) return this.finalize(cell);
    await kube.setFinalizer('cells', cell, CELL_FINALIZER, true);

    const endpoint = this.endpointOf(name);
    const seen: CellObservation = {
      endpoint,
      tenants: this.deps.tenantsIn(name),
      availableReplicas: 0,
      wantedReplicas: cell.spec.replicas ?? 2,
      schemaCurrent: false,
      endpointAnswers: false,
    };
    const wasReady = cell.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
    try {
      const secret = await this.deps.databases.secretOf(cell);
      for (const object of desiredCellObjects(cell, this.deps.config, { appUrl: secret.appUrl })) await kube.apply(object);
      // A current schema costs one query on the shared pool; only a stale one opens the migrator.
      seen.schemaCurrent = await this.deps.databases.isCurrent(cell, secret);
      if (!seen.schemaCurrent) {
        const applied = await this.deps.databases.migrate(cell, secret);
        if (applied.length > 0)
          await this.deps.events.normal(
            cell,
            'SchemaMigrated',
            `Applied ${applied.length} migration(s) to schema ${cell.spec.database.schema}.`,
          );
        seen.schemaCurrent = await this.deps.databases.isCurrent(cell, secret);
      }
      seen.availableReplicas = await this.availableReplicas(name);
      seen.endpointAnswers = await answersReadyz(endpoint);
    } catch (error) {
      if (!(error instanceof CellDatabaseError)) throw error;
      seen.failure = { reason: error.reason, message: error.message };
      await this.deps.events.warning(cell, error.reason, error.message);
    }
    const status = cellStatusFrom(cell, seen);
    const ready = status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
    if (ready) {
      await this.deps.directory.upsertCell({
        name,
        mode: cell.spec.mode,
        endpoint,
        capacity: cell.spec.capacity?.maxTenants ?? (cell.spec.mode === 'dedicated' ? 1 : 500),
      });
      if (!wasReady) await this.deps.events.normal(cell, 'Ready', `Cell ${name} is ready at ${endpoint}.`);
    }
    await kube.applyStatus('cells', 'Cell', name, status);
    logger.debug({ cell: name, ready }, 'cell reconciled');
    return { requeueAfterMs: ready ? READY_REQUEUE_MS : seen.failure ? READY_REQUEUE_MS / 2 : NOT_READY_REQUEUE_MS };
  }

  /** Where the router and the operator reach the cell's API. */
  endpointOf(name: string): string {
    return this.deps.config.cellEndpointOverrides[name] ?? cellServiceUrl(name, this.deps.config.cellPort);
  }

  private async availableReplicas(name: string): Promise<number> {
    const deployment = await this.deps.kube.read<V1Deployment>('apps/v1', 'Deployment', CELL_API, cellNamespace(name));
    return deployment?.status?.availableReplicas ?? 0;
  }

  /**
   * A cell with tenants keeps its finalizer and says why; an empty one loses its schema,
   * its directory entry is cordoned, and the finalizer comes off (its Kubernetes objects go
   * with it through their owner references).
   */
  private async finalize(cell: Cell): Promise<ReconcileResult> {
    const name = cell.metadata!.name!;
    if (!cell.metadata?.finalizers?.includes(CELL_FINALIZER)) return {};
    const tenants = Math.max(this.deps.tenantsIn(name), await this.deps.directory.tenantsRoutedTo(name));
    if (tenants > 0) {
      const status = cellStatusFrom(cell, {
        endpoint: this.endpointOf(name),
        tenants,
        availableReplicas: 0,
        wantedReplicas: 0,
        schemaCurrent: false,
        endpointAnswers: false,
        deletionBlocked: { tenants },
      });
      await this.deps.kube.applyStatus('cells', 'Cell', name, status);
      await this.deps.events.warning(cell, 'DeletionBlocked', status.conditions!.find((c) => c.type === 'Degraded')!.message);
      return { requeueAfterMs: 10_000 };
    }
    await this.deps.directory.cordonCell(name);
    try {
      await this.deps.databases.dropSchema(cell, await this.deps.databases.secretOf(cell));
    } catch (error) {
      // Without its Secret the schema cannot be reached: say so and keep the finalizer.
      if (error instanceof CellDatabaseError) {
        await this.deps.events.warning(cell, error.reason, `Cannot remove schema ${cell.spec.database.schema}: ${error.message}`);
        return { requeueAfterMs: 30_000 };
      }
      throw error;
    }
    await this.deps.events.normal(cell, 'SchemaDropped', `Cell ${name} was empty; schema ${cell.spec.database.schema} removed.`);
    await this.deps.kube.delete('v1', 'Namespace', cellNamespace(name));
    await this.deps.kube.setFinalizer('cells', cell, CELL_FINALIZER, false);
    return {};
  }
}

async function answersReadyz(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(new URL('/readyz', endpoint), { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}
