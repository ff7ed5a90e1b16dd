import { randomBytes } from 'node:crypto';
import { installCrds, kubectl } from '../../test/kube-harness';

/** Cluster-scoped names are shared by every run on the API server: this run's own suffix. */
const RUN = randomBytes(3).toString('hex');

const apply = (manifest: object) => kubectl(['apply', '--server-side', '--field-manager=test', '-f', '-'], JSON.stringify(manifest));
const tenant = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'localstore.vn/v1alpha1',
  kind: 'Tenant',
  metadata: { name },
  spec,
});
const cell = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'localstore.vn/v1alpha1',
  kind: 'Cell',
  metadata: { name },
  spec,
});

/**
 * The custom resources on a real kube-apiserver (`make k8s-up`): schemas, CEL rules,
 * printer columns and descriptions are the API server's own verdicts, not a mock's.
 */
describe('Tenant and Cell custom resources', () => {
  beforeAll(() => installCrds());
  afterAll(() => {
    // Only this file's resources: operator tests run beside it on the same API server.
    kubectl(['delete', 'tenants', `pho-bo-hanoi-${RUN}`, `chuoi-lon-${RUN}`, '--ignore-not-found', '--wait=false']);
    kubectl(['delete', 'cells', `pooled-1-${RUN}`, `dedicated-x-${RUN}`, '--ignore-not-found', '--wait=false']);
  });

  it('accepts a valid Tenant and Cell and shows them with their columns', () => {
    expect(apply(tenant(`pho-bo-hanoi-${RUN}`, { displayName: 'Phở Bò Hà Nội', plan: 'pooled' })).code).toBe(0);
    expect(
      apply(
        cell(`pooled-1-${RUN}`, {
          mode: 'pooled',
          version: '0.1.0',
          capacity: { maxTenants: 500 },
          database: { secretName: 'cell-db', schema: 'cell_pooled' },
        }),
      ).code,
    ).toBe(0);
    const tenants = kubectl(['get', 'tenants']);
    expect(tenants.out).toMatch(/NAME\s+PLAN\s+CELL\s+PHASE\s+READY\s+AGE/);
    expect(tenants.out).toMatch(new RegExp(`pho-bo-hanoi-${RUN}\\s+pooled`));
    expect(kubectl(['get', 'cells']).out).toMatch(/NAME\s+MODE\s+TENANTS\s+READY\s+VERSION\s+AGE/);
  });

  it('explains its fields to kubectl explain', () => {
    const explained = kubectl(['explain', 'tenant.spec.plan']);
    expect(explained.code).toBe(0);
    expect(explained.out).toContain('promotes it without losing a write');
  });

  it.each([
    ['a plan other than the two', tenant('quan-a', { displayName: 'A', plan: 'gold' }), 'spec.plan'],
    ['a name that is not a DNS label', tenant('quan.b', { displayName: 'B', plan: 'pooled' }), 'metadata.name'],
    ['a name too short for a slug', tenant('ab', { displayName: 'C', plan: 'pooled' }), 'metadata.name'],
    ['an empty display name', tenant('quan-d', { displayName: '', plan: 'pooled' }), 'spec.displayName'],
    [
      'a capacity of zero',
      cell('pooled-2', { mode: 'pooled', version: '0.1.0', capacity: { maxTenants: 0 }, database: { secretName: 's', schema: 'cell_2' } }),
      'spec.capacity.maxTenants',
    ],
    [
      'a schema name that is not an identifier',
      cell('pooled-3', { mode: 'pooled', version: '0.1.0', database: { secretName: 's', schema: 'cell-3; drop' } }),
      'spec.database.schema',
    ],
  ])('refuses %s, naming the field', (_, manifest, field) => {
    const refused = apply(manifest);
    expect(refused.code).not.toBe(0);
    expect(refused.out).toContain(field);
  });

  it('refuses moving a dedicated tenant back to pooled while it migrates', () => {
    expect(apply(tenant(`chuoi-lon-${RUN}`, { displayName: 'Chuỗi Lớn', plan: 'dedicated' })).code).toBe(0);
    const status = kubectl([
      'patch',
      'tenant',
      `chuoi-lon-${RUN}`,
      '--subresource=status',
      '--type=merge',
      '-p',
      JSON.stringify({ status: { phase: 'Migrating' } }),
    ]);
    expect(status.code).toBe(0);
    const back = apply(tenant(`chuoi-lon-${RUN}`, { displayName: 'Chuỗi Lớn', plan: 'pooled' }));
    expect(back.code).not.toBe(0);
    expect(back.out).toContain('spec.plan cannot go back to pooled while the tenant is migrating');
  });

  it("refuses changing a cell's mode", () => {
    expect(
      apply(cell(`dedicated-x-${RUN}`, { mode: 'dedicated', version: '0.1.0', database: { secretName: 's', schema: 'cell_x' } })).code,
    ).toBe(0);
    const changed = apply(
      cell(`dedicated-x-${RUN}`, { mode: 'pooled', version: '0.1.0', database: { secretName: 's', schema: 'cell_x' } }),
    );
    expect(changed.code).not.toBe(0);
    expect(changed.out).toContain('spec.mode cannot change');
  });
});
