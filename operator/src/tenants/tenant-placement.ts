import type { PooledCellTemplate } from '../config/operator-config';
import { conditionIs } from '../kube/conditions';
import { API_VERSION, type Cell, type Tenant } from '../kube/resources';

const DEFAULT_POOLED_CAPACITY = 500;

/** A dedicated tenant's cell: named after it, its own schema, owned by the Tenant. */
export function dedicatedCellFor(tenant: Tenant, template: PooledCellTemplate, labels: Record<string, string>): Cell {
  const name = tenant.metadata!.name!;
  return {
    apiVersion: API_VERSION,
    kind: 'Cell',
    metadata: {
      name,
      labels: { ...labels, 'localstore.vn/tenant': name },
      ownerReferences: [
        { apiVersion: API_VERSION, kind: 'Tenant', name, uid: tenant.metadata!.uid!, controller: true, blockOwnerDeletion: true },
      ],
    },
    spec: {
      mode: 'dedicated',
      version: template.version,
      replicas: template.replicas,
      capacity: { maxTenants: 1 },
      database: { secretName: template.secretName, schema: schemaForCell(name) },
    },
  };
}

/** A new pooled cell from the template, when every pooled cell is full. */
export function pooledCellFromTemplate(name: string, template: PooledCellTemplate, labels: Record<string, string>): Cell {
  return {
    apiVersion: API_VERSION,
    kind: 'Cell',
    metadata: { name, labels },
    spec: {
      mode: 'pooled',
      version: template.version,
      replicas: template.replicas,
      capacity: { maxTenants: template.maxTenants },
      database: { secretName: template.secretName, schema: schemaForCell(name) },
    },
  };
}

/** `pho-bo-hanoi` → `cell_pho_bo_hanoi`: a Postgres identifier (at most 63 bytes). */
export function schemaForCell(cellName: string): string {
  return `cell_${cellName.replace(/-/g, '_')}`.slice(0, 63);
}

/**
 * The pooled cell a new tenant goes to: a Ready, not-deleting pooled cell with room, the
 * fullest first (keeps cells dense and lets empty ones be removed). `undefined` when all are
 * full; then `nextPooledCellName` names the one to create.
 */
export function pooledCellWithRoom(cells: Cell[], tenantsIn: (cell: string) => number): Cell | undefined {
  return cells
    .filter(
      (cell) => cell.spec.mode === 'pooled' && !cell.metadata?.deletionTimestamp && conditionIs(cell.status?.conditions, 'Ready', 'True'),
    )
    .filter((cell) => tenantsIn(cell.metadata!.name!) < (cell.spec.capacity?.maxTenants ?? DEFAULT_POOLED_CAPACITY))
    .sort((a, b) => tenantsIn(b.metadata!.name!) - tenantsIn(a.metadata!.name!) || a.metadata!.name!.localeCompare(b.metadata!.name!))[0];
}

/** A pooled cell still coming up (not Ready yet), so a second one is not created meanwhile. */
export function pooledCellComingUp(cells: Cell[], tenantsIn: (cell: string) => number): Cell | undefined {
  return cells.find(
    (cell) =>
      cell.spec.mode === 'pooled' &&
      !cell.metadata?.deletionTimestamp &&
      !conditionIs(cell.status?.conditions, 'Ready', 'True') &&
      tenantsIn(cell.metadata!.name!) < (cell.spec.capacity?.maxTenants ?? DEFAULT_POOLED_CAPACITY),
  );
}

export function nextPooledCellName(cells: Cell[], prefix: string): string {
  const taken = new Set(cells.map((cell) => cell.metadata!.name!));
  for (let n = 1; ; n++) if (!taken.has(`${prefix}-${n}`)) return `${prefix}-${n}`;
}
