import { type AppsV1Api, type CustomObjectsApi, KubeConfig, type KubernetesListObject, type V1Deployment } from '@kubernetes/client-node';
import { createServer, type Server } from 'node:http';
import type { Logger } from 'pino';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { CellDatabases } from './cells/cell-database';
import { CellReconciler } from './cells/cell-reconciler';
import type { OperatorConfig } from './config/operator-config';
import { EventRecorder } from './kube/event-recorder';
import { KubeClient } from './kube/kube-client';
import { type Cell, CELL_LABEL, GROUP, MANAGED_BY, type Tenant, VERSION } from './kube/resources';
import { LeaderElector } from './runtime/leader-election';
import { ResilientInformer } from './runtime/resilient-informer';
import { type ReconcileResult, WorkQueue } from './runtime/work-queue';
import { DirectoryRoutes } from './tenants/directory-routes';
import { TenantPromotion } from './tenants/tenant-promotion';
import { TenantReconciler } from './tenants/tenant-reconciler';

/** Every object is looked at again this often, whatever the watches said. */
const RESYNC_MS = 5 * 60_000;

/**
 * The operator process: informers on Tenants, Cells and the cells' Deployments feed one
 * work queue per kind; only the leader (a Lease in the operator's namespace) runs the
 * queues. A leader that loses its lease exits, so a stale process never acts.
 */
export class Operator {
  readonly kube: KubeClient;
  readonly metrics = new Registry();
  private readonly databases: CellDatabases;
  private readonly directory: DirectoryRoutes;
  private readonly tenantInformer: ResilientInformer<Tenant>;
  private readonly cellInformer: ResilientInformer<Cell>;
  private readonly deploymentInformer: ResilientInformer<V1Deployment>;
  private readonly tenantQueue: WorkQueue;
  private readonly cellQueue: WorkQueue;
  private readonly elector: LeaderElector;
  /** Placements made by this process that the Tenant informer has not shown yet. */
  private readonly reservations = new Map<string, string>();
  private resync?: NodeJS.Timeout;
  /** Set by `stop()`: giving the lease up then is the plan, not a loss. */
  private stopping = false;
  private server?: Server;

  constructor(
    private readonly config: OperatorConfig,
    private readonly logger: Logger,
    private readonly onLostLeadership: () => void = () => process.exit(1),
  ) {
    const kubeConfig = new KubeConfig();
    if (config.kubeconfig) kubeConfig.loadFromFile(config.kubeconfig);
    else kubeConfig.loadFromDefault();
    this.kube = new KubeClient(kubeConfig);
    this.databases = new CellDatabases(this.kube.core, config.namespace);
    this.directory = new DirectoryRoutes(config.directory.url, config.directory.schema);
    const events = new EventRecorder(this.kube.core, 'localstore-operator', logger);

    const custom: CustomObjectsApi = this.kube.custom;
    const apps: AppsV1Api = this.kube.apps;
    const selector =
      Object.entries(config.selector)
        .map(([k, v]) => `${k}=${v}`)
        .join(',') || undefined;
    this.tenantInformer = new ResilientInformer<Tenant>({
      kubeConfig,
      path: `/apis/${GROUP}/${VERSION}/tenants`,
      ...(selector ? { labelSelector: selector } : {}),
      list: () =>
        custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural: 'tenants', labelSelector: selector }) as Promise<
          KubernetesListObject<Tenant>
        >,
      onChange: (tenant) => this.tenantChanged(tenant),
      logger: logger.child({ informer: 'tenants' }),
    });
    this.cellInformer = new ResilientInformer<Cell>({
      kubeConfig,
      path: `/apis/${GROUP}/${VERSION}/cells`,
      ...(selector ? { labelSelector: selector } : {}),
      list: () =>
        custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural: 'cells', labelSelector: selector }) as Promise<
          KubernetesListObject<Cell>
        >,
      onChange: (cell) => this.cellChanged(cell),
      logger: logger.child({ informer: 'cells' }),
    });
    const managed = Object.entries({ ...MANAGED_BY, ...config.selector })
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    this.deploymentInformer = new ResilientInformer<V1Deployment>({
      kubeConfig,
      path: '/apis/apps/v1/deployments',
      labelSelector: managed,
      list: () => apps.listDeploymentForAllNamespaces({ labelSelector: managed }),
      onChange: (deployment) => {
        const cell = deployment.metadata?.labels?.[CELL_LABEL];
        if (cell) this.cellQueue.add(cell);
      },
      logger: logger.child({ informer: 'deployments' }),
    });

    const cellReconciler = new CellReconciler({
      kube: this.kube,
      databases: this.databases,
      directory: this.directory,
      events,
      config,
      logger: logger.child({ reconciler: 'cell' }),
      tenantsIn: (cell) => this.tenantsIn(cell),
    });
    const promotion = new TenantPromotion({
      kube: this.kube,
      databases: this.databases,
      directory: this.directory,
      events,
      logger: logger.child({ reconciler: 'promotion' }),
      graceSeconds: config.promotionGraceSeconds,
      batchRows: config.promotionBatchRows,
    });
    const tenantReconciler = new TenantReconciler({
      kube: this.kube,
      databases: this.databases,
      directory: this.directory,
      promotion,
      events,
      config,
      logger: logger.child({ reconciler: 'tenant' }),
      cells: () => this.cellInformer.list(),
      tenantsIn: (cell) => this.tenantsIn(cell),
      reservePlacement: (tenant, cell) => this.reservations.set(tenant, cell),
    });

    const reconciles = new Counter({
      name: 'operator_reconciles_total',
      help: 'Reconcile passes by kind and outcome',
      labelNames: ['kind', 'outcome'],
      registers: [this.metrics],
    });
    const durations = new Histogram({
      name: 'operator_reconcile_seconds',
      help: 'Duration of reconcile passes',
      labelNames: ['kind'],
      buckets: [0.005, 0.02, 0.1, 0.5, 2, 10, 60],
      registers: [this.metrics],
    });
    const measured = (kind: string, reconcile: (key: string) => Promise<ReconcileResult>) => async (key: string) => {
      const end = durations.startTimer({ kind });
      try {
        const result = await reconcile(key);
        reconciles.inc({ kind, outcome: 'ok' });
        return result;
      } catch (error) {
        reconciles.inc({ kind, outcome: 'error' });
        throw error;
      } finally {
        end();
      }
    };
    const queueOptions = {
      concurrency: config.concurrency,
      baseDelayMs: 50,
      maxDelayMs: 60_000,
      ratePerSecond: config.reconcilesPerSecond,
      burst: config.reconcilesPerSecond * 2,
    };
    this.tenantQueue = new WorkQueue(
      'tenants',
      measured('Tenant', (key) => tenantReconciler.reconcile(key)),
      queueOptions,
      logger.child({ queue: 'tenants' }),
    );
    this.cellQueue = new WorkQueue(
      'cells',
      measured('Cell', (key) => cellReconciler.reconcile(key)),
      queueOptions,
      logger.child({ queue: 'cells' }),
    );
    const queues = { tenants: () => this.tenantQueue.depth, cells: () => this.cellQueue.depth };
    new Gauge({
      name: 'operator_queue_depth',
      help: 'Keys waiting per work queue',
      labelNames: ['queue'],
      registers: [this.metrics],
      collect() {
        for (const [queue, depth] of Object.entries(queues)) this.set({ queue }, depth());
      },
    });
    const cells = () => this.cellInformer.list();
    new Gauge({
      name: 'operator_cell_ready',
      help: '1 when a Cell’s Ready condition is True, 0 otherwise, by cell name (as this process’s informer sees it)',
      labelNames: ['cell'],
      registers: [this.metrics],
      collect() {
        this.reset();
        for (const cell of cells()) {
          const ready = cell.status?.conditions?.find((condition) => condition.type === 'Ready')?.status === 'True';
          this.set({ cell: cell.metadata?.name ?? '' }, ready ? 1 : 0);
        }
      },
    });
    const isLeader = () => this.elector.isLeader;
    new Gauge({
      name: 'operator_is_leader',
      help: '1 while this process holds the lease',
      registers: [this.metrics],
      collect() {
        this.set(isLeader() ? 1 : 0);
      },
    });

    this.elector = new LeaderElector({
      kubeConfig,
      namespace: config.namespace,
      name: 'localstore-operator',
      identity: config.identity,
      // A standby takes over at most ~14 s after the leader dies (lease 12 s + one retry).
      leaseDurationSeconds: 12,
      renewDeadlineMs: 8_000,
      retryPeriodMs: 2_000,
      logger: logger.child({ component: 'leader-election' }),
      onStartedLeading: () => this.lead(),
      onStoppedLeading: () => {
        if (this.stopping) return;
        logger.error('lost the leader lease; exiting so that a fresh process takes over cleanly');
        this.onLostLeadership();
      },
    });
  }

  /** Starts the informers and the metrics endpoint, then campaigns; reconciling starts on election. */
  async start(): Promise<void> {
    await Promise.all([this.cellInformer.start(), this.tenantInformer.start(), this.deploymentInformer.start()]);
    if (this.config.metricsPort > 0) this.server = await this.serveMetrics(this.config.metricsPort);
    this.elector.run();
  }

  private lead(): void {
    this.logger.info({ identity: this.config.identity }, 'elected leader; reconciling');
    this.enqueueEverything();
    this.tenantQueue.start();
    this.cellQueue.start();
    this.resync = setInterval(() => this.enqueueEverything(), RESYNC_MS);
  }

  async stop(options: { releaseLease?: boolean } = {}): Promise<void> {
    this.stopping = true;
    if (this.resync) clearInterval(this.resync);
    await Promise.all([this.tenantQueue.stop(), this.cellQueue.stop()]);
    await this.elector.stop({ release: options.releaseLease ?? true });
    await Promise.all([this.tenantInformer.stop(), this.cellInformer.stop(), this.deploymentInformer.stop()]);
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    await this.databases.close();
    await this.directory.close();
  }

  get isLeader(): boolean {
    return this.elector.isLeader;
  }

  /** Tenants placed in a cell, moving through it, or just given a seat there by this process. */
  tenantsIn(cell: string): number {
    const seen = new Set<string>();
    for (const tenant of this.tenantInformer.list()) {
      const { status } = tenant;
      if (status?.cell === cell || status?.migration?.toCell === cell || status?.migration?.fromCell === cell)
        seen.add(tenant.metadata!.name!);
    }
    for (const [tenant, reserved] of this.reservations) if (reserved === cell) seen.add(tenant);
    return seen.size;
  }

  private enqueueEverything(): void {
    for (const cell of this.cellInformer.list()) this.cellQueue.add(cell.metadata!.name!);
    for (const tenant of this.tenantInformer.list()) this.tenantQueue.add(tenant.metadata!.name!);
  }

  private tenantChanged(tenant: Tenant): void {
    const name = tenant.metadata!.name!;
    if (tenant.status?.cell) this.reservations.delete(name);
    this.tenantQueue.add(name);
    for (const cell of [tenant.status?.cell, tenant.status?.migration?.fromCell, tenant.status?.migration?.toCell])
      if (cell) this.cellQueue.add(cell);
  }

  private cellChanged(cell: Cell): void {
    const name = cell.metadata!.name!;
    this.cellQueue.add(name);
    // Tenants waiting for a cell (or for this one) look again when a cell changes.
    for (const tenant of this.tenantInformer.list()) {
      const { status } = tenant;
      const waiting = !status?.phase || status.phase === 'Pending' || status.phase === 'Placing' || status.phase === 'Migrating';
      if (waiting || status?.cell === name || tenant.metadata!.name === name) this.tenantQueue.add(tenant.metadata!.name!);
    }
  }

  private serveMetrics(port: number): Promise<Server> {
    const server = createServer((request, response) => {
      if (request.url === '/metrics') {
        this.metrics.metrics().then(
          (body) => response.writeHead(200, { 'content-type': this.metrics.contentType }).end(body),
          () => response.writeHead(500).end(),
        );
      } else if (request.url === '/healthz') {
        response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      } else {
        response.writeHead(404).end();
      }
    });
    return new Promise((resolve) => server.listen(port, () => resolve(server)));
  }
}
