import type { Cell, Tenant } from '../kube/resources';
import { dedicatedCellFor, nextPooledCellName, pooledCellComingUp, pooledCellWithRoom, schemaForCell } from './tenant-placement';

const ready = [{ type: 'Ready' as const, status: 'True' as const, reason: 'Available', message: '' }];
const pooled = (name: string, maxTenants: number, isReady = true): Cell => ({
  metadata: { name },
  spec: { mode: 'pooled', version: '1', capacity: { maxTenants }, database: { secretName: 's', schema: schemaForCell(name) } },
  status: isReady ? { conditions: ready } : {},
});
const template = { namePrefix: 'pooled', version: '1.0.0', replicas: 2, maxTenants: 500, secretName: 'cell-database' };

describe('placing tenants', () => {
  it('takes the fullest Ready pooled cell that still has room', () => {
    const counts: Record<string, number> = { 'pooled-1': 2, 'pooled-2': 1, 'pooled-3': 0 };
    const cells = [pooled('pooled-1', 2), pooled('pooled-2', 5), pooled('pooled-3', 5)];
    expect(pooledCellWithRoom(cells, (c) => counts[c]!)?.metadata!.name).toBe('pooled-2');
  });

  it('finds no room when every Ready pooled cell is full, and sees one coming up', () => {
    const cells = [pooled('pooled-1', 1), pooled('pooled-2', 10, false)];
    expect(pooledCellWithRoom(cells, () => 1)).toBeUndefined();
    expect(pooledCellComingUp(cells, () => 1)?.metadata!.name).toBe('pooled-2');
    expect(nextPooledCellName(cells, 'pooled')).toBe('pooled-3');
  });

  it('never seats a tenant in a dedicated or deleting cell', () => {
    const dedicated: Cell = { ...pooled('chain', 10), spec: { ...pooled('chain', 10).spec, mode: 'dedicated' } };
    const deleting: Cell = { ...pooled('pooled-9', 10), metadata: { name: 'pooled-9', deletionTimestamp: new Date() } };
    expect(pooledCellWithRoom([dedicated, deleting], () => 0)).toBeUndefined();
  });

  it('names a dedicated cell after its tenant, owned by it, in a schema of its own', () => {
    const tenant: Tenant = { metadata: { name: 'pho-lon', uid: 'u-1' }, spec: { displayName: 'Phở Lớn', plan: 'dedicated' } };
    const cell = dedicatedCellFor(tenant, template, { shard: 'a' });
    expect(cell.metadata).toMatchObject({
      name: 'pho-lon',
      labels: { shard: 'a', 'localstore.vn/tenant': 'pho-lon' },
      ownerReferences: [expect.objectContaining({ kind: 'Tenant', uid: 'u-1' })],
    });
    expect(cell.spec).toMatchObject({ mode: 'dedicated', database: { schema: 'cell_pho_lon', secretName: 'cell-database' } });
    expect(schemaForCell('a'.repeat(63))).toHaveLength(63);
  });
});
