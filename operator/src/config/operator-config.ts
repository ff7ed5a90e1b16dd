import { type Env, EnvReader, POSTGRES_SCHEMA_NAME } from '@localstore/common';
import { hostname } from 'node:os';

export interface PooledCellTemplate {
  /** New pooled cells are named `<prefix>-<n>`. */
  namePrefix: string;
  version: string;
  replicas: number;
  maxTenants: number;
  secretName: string;
}

/** The operator's settings, read once at start-up from the environment. */
export interface OperatorConfig {
  /** Namespace of the operator: its Lease, and the database Secrets the cells name (`OPERATOR_NAMESPACE`). */
  namespace: string;
  /** This process in the leader election (`POD_NAME`, else the host name and pid). */
  identity: string;
  /** Kubeconfig file (`KUBECONFIG`); empty: in-cluster service account, else ~/.kube/config. */
  kubeconfig: string | undefined;
  /** Image of the cell API, tagged with a cell's `spec.version` (`CELL_IMAGE`). */
  cellImage: string;
  /** Port the cell API listens on in its pods (`CELL_PORT`). */
  cellPort: number;
  /** Where cells fetch the control plane's token keys (`CELL_AUTH_JWKS_URL`). */
  cellJwksUrl: string;
  /** The control plane's directory: where routes and cells are written (`DIRECTORY_DATABASE_URL`, `DIRECTORY_SCHEMA`). */
  directory: { url: string; schema: string };
  /**
   * Where to reach a cell's API from this process, by cell name (`CELL_ENDPOINTS`, JSON). In
   * a cluster the Service DNS name is used and this stays empty; an operator run outside
   * the cluster (local runs, tests) cannot resolve that name and is told here instead.
   */
  cellEndpointOverrides: Record<string, string>;
  /** What a new pooled cell looks like when every pooled cell is full (`POOLED_CELL_*`). */
  pooledCellTemplate: PooledCellTemplate;
  /** Namespace allowed to scrape cells (`MONITORING_NAMESPACE`) and the router's namespace (`ROUTER_NAMESPACE`). */
  monitoringNamespace: string;
  routerNamespace: string;
  /** How long a promoted tenant's rows stay in the pooled cell after the switch (`PROMOTION_GRACE_SECONDS`). */
  promotionGraceSeconds: number;
  /** Rows per copy batch during promotion (`PROMOTION_BATCH_ROWS`). */
  promotionBatchRows: number;
  /** Reconcile workers per kind, and the overall rate of reconciles (`RECONCILE_*`). */
  concurrency: number;
  reconcilesPerSecond: number;
  /**
   * Labels of the Tenants and Cells this operator manages (`MANAGED_SELECTOR`, `k=v,k2=v2`);
   * empty: all. Cells it creates carry them. Lets two operators share an API server (a
   * canary, or test runs side by side) without touching each other's resources.
   */
  selector: Record<string, string>;
  /** Port of `/metrics` and `/healthz` (`METRICS_PORT`, 0 for none). */
  metricsPort: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

export class OperatorConfigError extends Error {}

const LOCAL_DIRECTORY = 'postgres://localstore_control:localstore_control@127.0.0.1:55432/localstore';

export function loadOperatorConfig(env: Env = process.env): OperatorConfig {
  const read = new EnvReader(env);
  const dnsLabel = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
  let cellEndpointOverrides: Record<string, string> = {};
  if (env.CELL_ENDPOINTS) {
    try {
      const parsed: unknown = JSON.parse(env.CELL_ENDPOINTS);
      if (
        !parsed ||
        typeof parsed !== 'object' ||
        Array.isArray(parsed) ||
        Object.values(parsed).some((v) => typeof v !== 'string' || !/^https?:\/\//.test(v))
      ) {
        throw new Error('not a map');
      }
      cellEndpointOverrides = parsed as Record<string, string>;
    } catch {
      read.problems.push('CELL_ENDPOINTS must be a JSON object of cell name to http(s) URL');
    }
  }
  const config: OperatorConfig = {
    namespace: read.string('OPERATOR_NAMESPACE', 'localstore-system', dnsLabel),
    identity: env.POD_NAME || `${hostname()}-${process.pid}`,
    kubeconfig: env.KUBECONFIG || undefined,
    cellImage: read.string('CELL_IMAGE', 'ghcr.io/localstore/cell-api', /^[a-z0-9][a-z0-9./:_-]{0,254}$/),
    cellPort: read.int('CELL_PORT', 3000, 1, 65535),
    cellJwksUrl: read.url('CELL_AUTH_JWKS_URL', 'http://control-plane.localstore-system.svc:8080/.well-known/jwks.json', [
      'http:',
      'https:',
    ]),
    directory: {
      url: read.url('DIRECTORY_DATABASE_URL', LOCAL_DIRECTORY, ['postgres:', 'postgresql:']),
      schema: read.string('DIRECTORY_SCHEMA', 'directory', POSTGRES_SCHEMA_NAME),
    },
    cellEndpointOverrides,
    pooledCellTemplate: {
      namePrefix: read.string('POOLED_CELL_PREFIX', 'pooled', /^[a-z0-9]([a-z0-9-]{0,40}[a-z0-9])?$/),
      version: read.string('POOLED_CELL_VERSION', '0.1.0', /^[A-Za-z0-9._-]{1,128}$/),
      replicas: read.int('POOLED_CELL_REPLICAS', 2, 1, 100),
      maxTenants: read.int('POOLED_CELL_MAX_TENANTS', 500, 1, 100_000),
      secretName: read.string('POOLED_CELL_SECRET', 'cell-database', dnsLabel),
    },
    monitoringNamespace: read.string('MONITORING_NAMESPACE', 'monitoring', dnsLabel),
    routerNamespace: read.string('ROUTER_NAMESPACE', 'localstore-system', dnsLabel),
    promotionGraceSeconds: read.int('PROMOTION_GRACE_SECONDS', 300, 0, 7 * 24 * 3600),
    promotionBatchRows: read.int('PROMOTION_BATCH_ROWS', 5_000, 100, 100_000),
    concurrency: read.int('RECONCILE_CONCURRENCY', 4, 1, 64),
    reconcilesPerSecond: read.int('RECONCILE_RATE', 50, 1, 10_000),
    selector: read.labels('MANAGED_SELECTOR'),
    metricsPort: read.int('METRICS_PORT', 0, 0, 65535),
    logLevel: read.string('LOG_LEVEL', 'info', /^(fatal|error|warn|info|debug|trace|silent)$/) as OperatorConfig['logLevel'],
  };
  if (read.problems.length > 0) throw new OperatorConfigError(`Invalid operator configuration:\n  - ${read.problems.join('\n  - ')}`);
  return config;
}
