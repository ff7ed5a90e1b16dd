// The operator's custom resources as the bench reads and writes them: the API group, the
// label the operator puts on what it creates, the fields of a Tenant's and a Cell's status the
// measurements wait for, and the manifests the bench applies.

export const GROUP = 'localstore.vn';
export const VERSION = 'v1alpha1';
export const API_VERSION = `${GROUP}/${VERSION}`;
export const MANAGED_BY = 'app.kubernetes.io/managed-by=localstore-operator';
/** The demo pooled cell, as the directory and `make demo` name it. */
export const DEMO_POOLED_CELL = 'pooled-1';
/** What a promotion's `status.migration.step` goes through, in order. */
export const PROMOTION_STEPS = ['CreatingCell', 'Copying', 'Draining', 'Switching', 'CleaningUp'];

/** An object as the API server answers it; the fields the bench reads are optional, as they may be. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    resourceVersion?: string;
    generation?: number;
    labels?: Record<string, string>;
    finalizers?: string[] | null;
  };
  spec?: any;
  status?: any;
}

export interface KubeList<T = KubeObject> {
  metadata: { resourceVersion: string };
  items: T[];
}

/** A promotion in progress, as the Tenant's status reports it. */
export interface Migration {
  step?: string;
  tablesCopied?: number;
  rowsCopied?: number;
}

export interface Tenant extends KubeObject {
  status?: {
    phase?: string;
    cell?: string;
    tenantId?: string;
    migration?: Migration;
    conditions?: { type: string; status: string }[];
  };
}

export interface Cell extends KubeObject {
  spec?: { database?: { schema?: string } };
  status?: { conditions?: { type: string; status: string }[] };
}

export const conditionTrue = (object: KubeObject | undefined, type: string): boolean =>
  (object?.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === type && c.status === 'True');

/** Active, Ready, no move under way, and (when given) in `cell`. */
export const tenantActive = (tenant: Tenant | undefined, cell?: string): boolean =>
  tenant?.status?.phase === 'Active' &&
  conditionTrue(tenant, 'Ready') &&
  !tenant.status.migration &&
  (cell === undefined || tenant.status.cell === cell);

/** A Tenant with the run's labels (and `extraLabels`). */
export const tenantManifest = (labels: Record<string, string>, name: string, spec: object, extraLabels: Record<string, string> = {}) => ({
  apiVersion: API_VERSION,
  kind: 'Tenant',
  metadata: { name, labels: { ...labels, ...extraLabels } },
  spec,
});
