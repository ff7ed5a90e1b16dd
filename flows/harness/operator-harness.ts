import { createServer, type AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { KubeConfig, PatchStrategy, setHeaderOptions, type V1Deployment, type V1Lease } from '@kubernetes/client-node';
import pino from 'pino';
import { TestCell } from '@localstore/cell-api/testing';
import { TestControlPlane } from '@localstore/control-plane/testing';
import { APP_URL, deletePaymentsStream, freePort, NATS_URL, OWNER_URL } from '@localstore/common/testing';
import { CompiledServer, OPERATOR_MAIN } from './compiled-servers';
import { KUBECONFIG } from './kube-paths';
import { availableStatus, cellContainerEnv, isAvailable } from './kubelet';
import { WalletProviders } from './wallet-providers';
import {
  API_VERSION,
  type Cell,
  installCrds,
  KubeClient,
  kubectl,
  loadOperatorConfig,
  MANAGED_BY,
  Operator,
  type OperatorConfig,
  type Tenant,
} from '@localstore/operator/testing';

const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/**
 * An operator against the real API server and Postgres, for one test file. What is real:
 * kube-apiserver + etcd, the CRDs, Postgres (cell schemas, the directory of a real control
 * plane with its router), the cell API processes. What stands in: the kubelet — there is no
 * node, so `KubeletStandIn` starts a real cell API for each cell Deployment the operator
 * creates and reports the Deployment available, as a kubelet would.
 *
 * Each run has its own namespace, label (the operator's `MANAGED_SELECTOR`) and cell-name
 * prefix, so test files running side by side never touch each other's resources.
 */
export class OperatorHarness {
  readonly cells = new Map<string, TestCell>();
  operators: Operator[] = [];
  private kubeletTimer?: NodeJS.Timeout;
  private kubeletBusy = false;
  /** The test's own client (an admin's view), not any operator's. */
  readonly kube: KubeClient;

  private constructor(
    readonly runId: string,
    readonly namespace: string,
    readonly controlPlane: TestControlPlane,
    readonly config: OperatorConfig,
    /** With `payments`: the provider stand-ins, and the cells consume payments from NATS. */
    readonly providers?: WalletProviders,
  ) {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(KUBECONFIG);
    this.kube = new KubeClient(kubeConfig);
  }

  static async start(env: Record<string, string> = {}, options: { payments?: boolean } = {}): Promise<OperatorHarness> {
    await installCrds();
    const runId = randomBytes(3).toString('hex');
    const namespace = `ls-op-${runId}`;
    const created = kubectl(['create', 'namespace', namespace]);
    if (created.code !== 0) throw new Error(created.out);
    const secret = kubectl([
      '-n',
      namespace,
      'create',
      'secret',
      'generic',
      'cell-database',
      `--from-literal=DATABASE_URL=${APP_URL}`,
      `--from-literal=DATABASE_OWNER_URL=${OWNER_URL}`,
    ]);
    if (secret.code !== 0) throw new Error(secret.out);
    // Signup in cluster mode: the control plane creates Tenant resources with this run's label.
    let providers: WalletProviders | undefined;
    let paymentsEnv: Record<string, string> = {};
    if (options.payments) {
      const port = await freePort();
      providers = await WalletProviders.start({ webhookBase: `http://127.0.0.1:${port}` });
      paymentsEnv = {
        CONTROL_PLANE_PORT: String(port),
        NATS_URL,
        NATS_NAMESPACE: `op${runId}`,
        PAYMENT_WEBHOOK_BASE_URL: `http://127.0.0.1:${port}`,
        PAYMENT_CREDENTIALS_KEY: Buffer.alloc(32, 5).toString('base64'),
        VNPAY_PAY_URL: providers.vnpayPayUrl,
      };
    }
    const controlPlane = await TestControlPlane.start({
      TENANCY_MODE: 'cluster',
      OTP_PEPPER: randomBytes(32).toString('hex'),
      KUBECONFIG,
      TENANT_LABELS: `localstore.vn/test-run=${runId}`,
      ...paymentsEnv,
    });
    const config = loadOperatorConfig({
      OPERATOR_NAMESPACE: namespace,
      KUBECONFIG,
      DIRECTORY_DATABASE_URL: controlPlane.config.directory.appUrl,
      DIRECTORY_SCHEMA: controlPlane.config.directory.schema,
      MANAGED_SELECTOR: `localstore.vn/test-run=${runId}`,
      POOLED_CELL_PREFIX: `p-${runId}`,
      PROMOTION_GRACE_SECONDS: '0',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      ...env,
    });
    return new OperatorHarness(runId, namespace, controlPlane, config, providers);
  }

  get labels(): Record<string, string> {
    return { 'localstore.vn/test-run': this.runId };
  }

  /** Ports fixed ahead for cells, so an operator in another process can be told its endpoints. */
  private readonly cellPorts = new Map<string, number>();
  private processes: CompiledServer[] = [];

  async reserveCellPort(cellName: string): Promise<void> {
    const port = await new Promise<number>((resolvePort) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const { port: free } = server.address() as AddressInfo;
        server.close(() => resolvePort(free));
      });
    });
    this.cellPorts.set(cellName, port);
    this.config.cellEndpointOverrides[cellName] = `http://127.0.0.1:${port}`;
  }

  /**
   * The operator as a separate process (`node operator/dist/src/main.js`, built by
   * `make build`), for tests that kill one the hard way.
   */
  spawnOperator(identity: string): CompiledServer {
    const env = {
      ...process.env,
      OPERATOR_NAMESPACE: this.namespace,
      POD_NAME: identity,
      KUBECONFIG,
      DIRECTORY_DATABASE_URL: this.config.directory.url,
      DIRECTORY_SCHEMA: this.config.directory.schema,
      MANAGED_SELECTOR: `localstore.vn/test-run=${this.runId}`,
      POOLED_CELL_PREFIX: `p-${this.runId}`,
      PROMOTION_GRACE_SECONDS: String(this.config.promotionGraceSeconds),
      CELL_ENDPOINTS: JSON.stringify(this.config.cellEndpointOverrides),
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    };
    const operator = new CompiledServer({ name: `operator ${identity}`, args: [OPERATOR_MAIN], env });
    this.processes.push(operator);
    return operator;
  }

  /** Who holds the operator's lease now. */
  async leaseHolder(): Promise<string | undefined> {
    const lease = await this.kube.read<V1Lease>('coordination.k8s.io/v1', 'Lease', 'localstore-operator', this.namespace);
    return lease?.spec?.holderIdentity ?? undefined;
  }

  /** A new in-process operator (a second one campaigns for the same lease). */
  async startOperator(identity = `op-${this.operators.length + 1}`): Promise<Operator> {
    const operator = new Operator({ ...this.config, identity }, pino({ level: this.config.logLevel }), () => undefined);
    this.operators.push(operator);
    await operator.start();
    return operator;
  }

  /** Plays kubelet until stopped: every cell Deployment of this run gets a running cell API. */
  startKubelet(): void {
    this.kubeletTimer = setInterval(() => {
      if (this.kubeletBusy) return;
      this.kubeletBusy = true;
      this.runPendingCells().finally(() => (this.kubeletBusy = false));
    }, 200);
  }

  private async runPendingCells(): Promise<void> {
    const { kube } = this;
    const selector = Object.entries({ ...MANAGED_BY, ...this.labels })
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    const { items } = await kube.apps.listDeploymentForAllNamespaces({ labelSelector: selector });
    for (const deployment of items) await this.runCell(kube, deployment);
  }

  private async runCell(kube: KubeClient, deployment: V1Deployment): Promise<void> {
    const env = cellContainerEnv(deployment);
    const cellName = env.CELL_NAME!;
    if (!this.cells.has(cellName)) {
      const port = this.cellPorts.get(cellName);
      const cell = await TestCell.start({
        CELL_NAME: cellName,
        DATABASE_SCHEMA: env.DATABASE_SCHEMA!,
        AUTH_JWKS_URL: this.controlPlane.jwksUrl,
        ...(port ? { PORT: String(port) } : {}),
        ...(this.providers ? { NATS_URL, NATS_NAMESPACE: `op${this.runId}` } : {}),
      });
      this.cells.set(cellName, cell);
      this.config.cellEndpointOverrides[cellName] = cell.url;
    }
    if (isAvailable(deployment)) return;
    await kube.apps.patchNamespacedDeploymentStatus(
      { name: deployment.metadata!.name!, namespace: deployment.metadata!.namespace!, body: availableStatus(deployment) },
      MERGE,
    );
  }

  async tenant(name: string): Promise<Tenant | undefined> {
    return this.kube.read<Tenant>(API_VERSION, 'Tenant', name);
  }

  async cell(name: string): Promise<Cell | undefined> {
    return this.kube.read<Cell>(API_VERSION, 'Cell', name);
  }

  apply(manifest: object): void {
    const applied = kubectl(['apply', '--server-side', '--field-manager=admin', '-f', '-'], JSON.stringify(manifest));
    if (applied.code !== 0) throw new Error(applied.out);
  }

  tenantManifest(name: string, spec: Record<string, unknown>): object {
    return { apiVersion: API_VERSION, kind: 'Tenant', metadata: { name, labels: this.labels }, spec };
  }

  cellManifest(name: string, spec: Record<string, unknown>): object {
    return {
      apiVersion: API_VERSION,
      kind: 'Cell',
      metadata: { name, labels: this.labels },
      spec: { version: '0.1.0', database: { secretName: 'cell-database', schema: `cell_${name.replace(/-/g, '_')}` }, ...spec },
    };
  }

  async stopOperators(): Promise<void> {
    await Promise.all(this.operators.map((operator) => operator.stop().catch(() => undefined)));
    this.operators = [];
  }

  async stop(): Promise<void> {
    if (this.kubeletTimer) clearInterval(this.kubeletTimer);
    await Promise.all(this.processes.map((operator) => operator.kill()));
    await this.stopOperators();
    // Our finalizers would keep the resources forever without an operator: take them off.
    for (const kind of ['tenants', 'cells']) {
      const names = kubectl(['get', kind, '-l', `localstore.vn/test-run=${this.runId}`, '-o', 'name'])
        .out.split('\n')
        .filter(Boolean);
      for (const name of names) kubectl(['patch', name, '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
      if (names.length > 0) kubectl(['delete', ...names, '--wait=false']);
    }
    kubectl(['delete', 'namespace', this.namespace, '--wait=false']);
    for (const cell of this.cells.values()) await cell.stop().catch(() => undefined);
    await this.controlPlane.stop();
    if (this.providers) {
      await this.providers.close();
      await deletePaymentsStream(`op${this.runId}`);
    }
  }
}
