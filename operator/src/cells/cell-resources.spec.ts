import { loadOperatorConfig } from '../config/operator-config';
import type { Cell } from '../kube/resources';
import { cellNamespace, cellServiceUrl, desiredCellObjects } from './cell-resources';

const cell: Cell = {
  apiVersion: 'localstore.vn/v1alpha1',
  kind: 'Cell',
  metadata: { name: 'pho-lon', uid: '0b6f2b5e-4e43-4f5b-9b3a-1f1f2d2c3c4c' },
  spec: {
    mode: 'dedicated',
    version: '1.2.3',
    replicas: 3,
    maxReplicas: 12,
    database: { secretName: 'cell-database', schema: 'cell_pho_lon' },
  },
};

describe("a cell's Kubernetes objects", () => {
  const objects = desiredCellObjects(cell, loadOperatorConfig({ MANAGED_SELECTOR: 'shard=a' }), { appUrl: 'postgres://app:pw@db/x' });
  const byKind = (kind: string) => objects.find((o) => o.kind === kind) as any;

  it('are every object a cell needs, all owned by the Cell and labelled for the operator', () => {
    expect(objects.map((o) => o.kind)).toEqual([
      'Namespace',
      'Secret',
      'ServiceAccount',
      'Deployment',
      'Service',
      'HorizontalPodAutoscaler',
      'PodDisruptionBudget',
      'NetworkPolicy',
      'ServiceMonitor',
    ]);
    for (const object of objects) {
      expect(object.metadata!.ownerReferences).toEqual([
        expect.objectContaining({ kind: 'Cell', name: 'pho-lon', uid: cell.metadata!.uid, controller: true }),
      ]);
      expect(object.metadata!.labels).toMatchObject({
        'app.kubernetes.io/managed-by': 'localstore-operator',
        'localstore.vn/cell': 'pho-lon',
        shard: 'a',
      });
    }
  });

  it('leave the replica count to the autoscaler, between spec.replicas and spec.maxReplicas', () => {
    expect(byKind('Deployment').spec.replicas).toBeUndefined();
    expect(byKind('HorizontalPodAutoscaler').spec).toMatchObject({ minReplicas: 3, maxReplicas: 12 });
  });

  it("give the pods the application login only, never the owner's", () => {
    const secret = byKind('Secret');
    expect(Object.keys(secret.data)).toEqual(['DATABASE_URL']);
    expect(Buffer.from(secret.data.DATABASE_URL, 'base64').toString()).toBe('postgres://app:pw@db/x');
    const env = byKind('Deployment').spec.template.spec.containers[0].env;
    expect(env).toEqual(
      expect.arrayContaining([
        { name: 'DATABASE_SCHEMA', value: 'cell_pho_lon' },
        { name: 'CELL_NAME', value: 'pho-lon' },
      ]),
    );
    expect(JSON.stringify(env)).not.toContain('OWNER');
  });

  it('run the image of spec.version as non-root with probes', () => {
    const pod = byKind('Deployment').spec.template.spec;
    expect(pod.containers[0].image).toBe('ghcr.io/localstore/cell-api:1.2.3');
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.containers[0].readinessProbe.httpGet.path).toBe('/readyz');
  });

  it('name a namespace that fits 63 characters even for the longest cell name', () => {
    const long = 'a'.repeat(63);
    expect(cellNamespace('pho-lon')).toBe('cell-pho-lon');
    expect(cellNamespace(long).length).toBeLessThanOrEqual(63);
    expect(cellNamespace(long)).not.toBe(cellNamespace(`${'a'.repeat(62)}b`));
    expect(cellServiceUrl('pho-lon', 3000)).toBe('http://cell-api.cell-pho-lon.svc.cluster.local:3000');
  });
});
