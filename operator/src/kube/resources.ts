import type { KubernetesObject } from '@kubernetes/client-node';

/** The API group and version of the operator's own kinds (charts/localstore/crds/). */
export const GROUP = 'localstore.vn';
export const VERSION = 'v1alpha1';
export const API_VERSION = `${GROUP}/${VERSION}`;

export type ConditionType = 'Ready' | 'Progressing' | 'Degraded';
export type ConditionStatus = 'True' | 'False' | 'Unknown';

/** A status condition as in metav1.Condition: why is as important as what. */
export interface Condition {
  type: ConditionType;
  status: ConditionStatus;
  observedGeneration?: number;
  lastTransitionTime?: string;
  reason: string;
  message: string;
}

export interface CellSpec {
  /** `pooled` takes many small tenants; `dedicated` serves one. Never changes. */
  mode: 'pooled' | 'dedicated';
  capacity?: { maxTenants?: number; maxOrdersPerDay?: number };
  replicas?: number;
  maxReplicas?: number;
  /** Requests and limits of the cell API container, as in a Pod spec. */
  resources?: Record<string, unknown>;
  /** Secret (in the operator's namespace) with the connection URLs, and the schema of the cell's tables. */
  database: { secretName: string; schema: string };
  /** Image tag of the cell API. */
  version: string;
}

export interface CellStatus {
  tenants?: number;
  endpoint?: string;
  observedGeneration?: number;
  conditions?: Condition[];
}

export interface Cell extends KubernetesObject {
  spec: CellSpec;
  status?: CellStatus;
}

export type TenantPhase = 'Pending' | 'Placing' | 'Active' | 'Migrating' | 'Suspended';

export interface TenantSpec {
  displayName: string;
  plan: 'pooled' | 'dedicated';
  /** Pins the tenant to this cell. */
  cell?: string;
  suspended?: boolean;
}

/** The steps of a promotion, in order; the step is stored so that the next leader resumes it. */
/** Draining covers the whole pause: drain, freeze, final catch-up and verification. */
export type MigrationStep = 'CreatingCell' | 'Copying' | 'Draining' | 'Switching' | 'CleaningUp' | 'RollingBack' | 'Done';

export interface TenantMigration {
  step?: MigrationStep;
  /** The cell the tenant is leaving and the one it goes to. */
  fromCell?: string;
  toCell?: string;
  tablesCopied?: number;
  rowsCopied?: number;
  /** Position in the source's change log when the first copy began. */
  changeSeq?: string;
  startedAt?: string;
  /** Earliest time the rows left in the pooled cell may be deleted. */
  cleanupAfter?: string;
  message?: string;
}

export interface TenantStatus {
  /** The tenant's id in the directory and in its cell's rows. */
  tenantId?: string;
  cell?: string;
  phase?: TenantPhase;
  observedGeneration?: number;
  conditions?: Condition[];
  migration?: TenantMigration;
}

export interface Tenant extends KubernetesObject {
  spec: TenantSpec;
  status?: TenantStatus;
}

/** Labels on everything the operator creates: selectable, and never confused with someone else's objects. */
export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'localstore-operator' } as const;
export const CELL_LABEL = 'localstore.vn/cell';

/** Finalizers: only for what lives outside Kubernetes (the cell's schema, the tenant's route). */
export const CELL_FINALIZER = 'localstore.vn/cell-schema';
export const TENANT_FINALIZER = 'localstore.vn/tenant-route';
