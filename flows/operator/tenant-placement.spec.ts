import { Client } from 'pg';
import { OWNER_URL } from '@localstore/common/testing';
import { cellNamespace } from '@localstore/operator/testing';
import { FIELD_MANAGER } from '@localstore/operator/testing';
import type { Cell, Tenant } from '@localstore/operator/testing';
import { httpRequest } from '@localstore/control-plane/testing';
import { eventually } from '@localstore/common/testing';
import { kubectl } from '@localstore/operator/testing';
import { OperatorHarness } from '../harness/operator-harness';

const SIGNUP = `mutation Signup($input: SignupInput!) { signup(input: $input) { tenant { id slug name plan } accessToken refreshToken } }`;

/**
 * The operator end to end on a real API server: Tenants placed in pooled cells with room
 * (a new pooled cell when all are full), dedicated tenants in their own cell with every
 * object it needs, routes written to a real control plane's directory, and the finalizer
 * refusing to drop a cell that still has tenants. Real: kube-apiserver, Postgres, the cell
 * API and the control plane. Stand-in: the kubelet (see OperatorHarness).
 */
describe('the operator places tenants', () => {
  let harness: OperatorHarness;
  let owner: Client;
  const active = (name: string) =>
    eventually(async () => {
      const tenant = await harness.tenant(name);
      return tenant?.status?.phase === 'Active' && tenant.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')
        ? tenant
        : undefined;
    }, `tenant ${name} Active`);
  const routeOf = async (tenantId: string) =>
    (
      await harness.controlPlane.owner.query(
        `SELECT cell_name, state FROM "${harness.controlPlane.config.directory.schema}".routes WHERE tenant_id = $1`,
        [tenantId],
      )
    )[0];

  beforeAll(async () => {
    harness = await OperatorHarness.start();
    harness.startKubelet();
    await harness.startOperator();
    owner = new Client({ connectionString: OWNER_URL });
    await owner.connect();
  }, 120_000);
  afterAll(async () => {
    await owner?.end();
    await harness?.stop();
  }, 60_000);

  it('gives a dedicated tenant its own ready cell, with every object owned and applied by the operator, and routes it there', async () => {
    const name = `chuoi-${harness.runId}`;
    harness.apply(harness.tenantManifest(name, { displayName: 'Chuỗi Phở Lớn', plan: 'dedicated' }));
    const tenant: Tenant = await active(name);
    expect(tenant.status).toMatchObject({ cell: name, phase: 'Active' });
    expect(tenant.status!.tenantId).toMatch(/^[0-9a-f-]{36}$/);

    const cell = (await harness.cell(name))!;
    expect(cell.spec.mode).toBe('dedicated');
    expect(cell.metadata!.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'Tenant', name, uid: tenant.metadata!.uid, controller: true }),
    ]);
    expect(cell.status).toMatchObject({ tenants: 1, endpoint: harness.cells.get(name)!.url });
    expect(cell.metadata!.finalizers).toContain('localstore.vn/cell-schema');

    const namespace = cellNamespace(name);
    for (const kind of [
      'deployment',
      'service',
      'serviceaccount',
      'secret',
      'horizontalpodautoscaler',
      'poddisruptionbudget',
      'networkpolicy',
      'servicemonitor',
    ]) {
      const got = kubectl(['-n', namespace, 'get', kind, 'cell-api', '-o', 'json', '--show-managed-fields']);
      if (kind === 'secret') {
        expect(kubectl(['-n', namespace, 'get', kind, 'cell-api-database', '-o', 'json']).code).toBe(0);
        continue;
      }
      expect(got.code, `${kind}: ${got.out}`).toBe(0);
      const object = JSON.parse(got.out);
      expect(object.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'Cell', name, uid: cell.metadata!.uid })]);
      expect(object.metadata.managedFields.map((f: { manager: string }) => f.manager)).toContain(FIELD_MANAGER);
    }
    const deployment = JSON.parse(kubectl(['-n', namespace, 'get', 'deployment', 'cell-api', '-o', 'json']).out);
    const container = deployment.spec.template.spec.containers[0];
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(container.image).toMatch(/:0\.1\.0$/);
    expect(deployment.spec.template.spec.topologySpreadConstraints).toHaveLength(2);
    const policy = JSON.parse(kubectl(['-n', namespace, 'get', 'networkpolicy', 'cell-api', '-o', 'json']).out);
    expect(policy.spec.ingress[0].from.map((f: any) => f.namespaceSelector.matchLabels['kubernetes.io/metadata.name'])).toEqual([
      'localstore-system',
      'monitoring',
    ]);

    const schema = cell.spec.database.schema;
    const migrations = await owner.query(`SELECT count(*)::int AS n FROM "${schema}".schema_migrations`);
    expect(migrations.rows[0].n).toBeGreaterThanOrEqual(4);
    expect(await routeOf(tenant.status!.tenantId!)).toEqual({ cell_name: name, state: 'active' });
    const events = kubectl(['get', 'events', '-n', 'default', '--field-selector', `involvedObject.name=${name}`, '-o', 'json']);
    expect(JSON.parse(events.out).items.map((e: { reason: string }) => e.reason)).toEqual(expect.arrayContaining(['Placed']));
  });

  it('fills a pooled cell to its capacity, then creates the next pooled cell from the template', async () => {
    const pooled = `p-${harness.runId}-1`;
    harness.apply(harness.cellManifest(pooled, { mode: 'pooled', capacity: { maxTenants: 2 }, replicas: 1 }));
    const names = ['a', 'b', 'c'].map((x) => `quan-${x}-${harness.runId}`);
    for (const name of names) harness.apply(harness.tenantManifest(name, { displayName: `Quán ${name}`, plan: 'pooled' }));
    const placed = await Promise.all(names.map(active));
    const cells = placed.map((t) => t.status!.cell);
    expect(cells.filter((c) => c === pooled)).toHaveLength(2);
    const overflow = cells.find((c) => c !== pooled)!;
    expect(overflow).toBe(`p-${harness.runId}-2`);
    expect((await harness.cell(overflow))!.spec).toMatchObject({ mode: 'pooled', capacity: { maxTenants: 500 } });
    await eventually(async () => (await harness.cell(pooled))?.status?.tenants === 2, 'pooled cell counts its tenants');
    for (const tenant of placed)
      expect(await routeOf(tenant.status!.tenantId!)).toEqual({ cell_name: tenant.status!.cell, state: 'active' });
  });

  it('signs a business up in cluster mode: the control plane creates the Tenant and the operator routes it', async () => {
    const { accessToken } = await harness.controlPlane.signIn('+84917000001');
    const slug = `quan-moi-${harness.runId}`;
    const signup = await httpRequest(`${harness.controlPlane.url}/graphql`, {
      host: 'app.localhost',
      body: { query: SIGNUP, variables: { input: { businessName: 'Quán Mới', slug } } },
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(signup.json.errors).toBeUndefined();
    const created = signup.json.data.signup;
    expect(created.tenant).toMatchObject({ slug, name: 'Quán Mới', plan: 'pooled' });

    const tenant = (await harness.tenant(slug))!;
    expect(tenant.metadata!.labels).toMatchObject(harness.labels);
    expect(tenant.status).toMatchObject({ tenantId: created.tenant.id, phase: 'Active' });
    expect(await routeOf(created.tenant.id)).toEqual({ cell_name: tenant.status!.cell, state: 'active' });
    await eventually(async () => harness.controlPlane.running.routes.lookup(slug), 'router knows the new subdomain');
    const served = await httpRequest(`${harness.controlPlane.url}/graphql`, {
      host: `${slug}.localhost`,
      body: { query: '{ locations { id } }' },
      headers: { authorization: `Bearer ${created.accessToken}` },
    });
    expect(served.json).toEqual({ data: { locations: [] } });
  });

  it('suspends a tenant (the router stops serving it, its data stays) and serves it again when resumed', async () => {
    const name = `quan-a-${harness.runId}`;
    const host = { host: `${name}.localhost`, body: { query: '{ locations { id } }' } };
    harness.apply(harness.tenantManifest(name, { displayName: `Quán ${name}`, plan: 'pooled', suspended: true }));
    const suspended: Tenant = await eventually(async () => {
      const tenant = await harness.tenant(name);
      return tenant?.status?.phase === 'Suspended' ? tenant : undefined;
    }, 'suspended');
    const status = async () =>
      (
        await harness.controlPlane.owner.query(
          `SELECT status FROM "${harness.controlPlane.config.directory.schema}".tenants WHERE id = $1`,
          [suspended.status!.tenantId],
        )
      )[0].status;
    expect(await status()).toBe('suspended');
    const refused = await eventually(async () => {
      const answer = await httpRequest(`${harness.controlPlane.url}/graphql`, host);
      return answer.status === 403 ? answer : undefined;
    }, 'router refuses it');
    expect(refused.json.reason ?? refused.text).toContain('TENANT_SUSPENDED');
    harness.apply(harness.tenantManifest(name, { displayName: `Quán ${name}`, plan: 'pooled', suspended: false }));
    await active(name);
    expect(await status()).toBe('active');
  });

  it('rolls a new cell version out to the Deployment and counts its passes in /metrics', async () => {
    const name = `chuoi-${harness.runId}`;
    const cell = (await harness.cell(name))!;
    // An admin's upgrade: the operator created the Cell but does not re-apply its spec.
    expect(cell.spec.version).toBe('0.1.0');
    expect(kubectl(['patch', 'cell', name, '--type=merge', '-p', '{"spec":{"version":"0.2.0"}}']).code).toBe(0);
    await eventually(async () => {
      const deployment = JSON.parse(kubectl(['-n', cellNamespace(name), 'get', 'deployment', 'cell-api', '-o', 'json']).out);
      return deployment.spec.template.spec.containers[0].image.endsWith(':0.2.0');
    }, 'image updated');
    const metrics = await harness.operators[0]!.metrics.metrics();
    expect(metrics).toMatch(/operator_reconciles_total\{kind="Cell",outcome="ok"\} [1-9]/);
    expect(metrics).toMatch(/operator_is_leader 1/);
  });

  it('stops serving a deleted tenant but keeps its route and data, so applying it again brings it back where it was', async () => {
    const name = `quan-b-${harness.runId}`;
    const before = (await harness.tenant(name))!;
    const tenantId = before.status!.tenantId!;
    const cell = harness.cells.get(before.status!.cell!)!;
    kubectl(['delete', 'tenant', name, '--wait=false']);
    await eventually(async () => (await harness.tenant(name)) === undefined, 'tenant gone');
    expect(await routeOf(tenantId)).toEqual({ cell_name: before.status!.cell, state: 'active' });
    await eventually(
      async () =>
        (await httpRequest(`${harness.controlPlane.url}/graphql`, { host: `${name}.localhost`, body: { query: '{ locations { id } }' } }))
          .status === 403,
      'router refuses it',
    );
    expect(await cell.ownerQuery(tenantId, 'SELECT slug FROM tenants')).toEqual([{ slug: name }]);
    harness.apply(harness.tenantManifest(name, { displayName: `Quán ${name}`, plan: 'pooled' }));
    const again = await active(name);
    expect(again.status).toMatchObject({ tenantId, cell: before.status!.cell });
  });

  it('refuses to delete a cell that still has tenants, saying why, and removes the schema of an empty one', async () => {
    const pooled = `p-${harness.runId}-1`;
    kubectl(['delete', 'cell', pooled, '--wait=false']);
    const blocked: Cell = await eventually(async () => {
      const cell = await harness.cell(pooled);
      return cell?.status?.conditions?.find((c) => c.type === 'Degraded' && c.reason === 'HasTenants') ? cell : undefined;
    }, 'deletion refused');
    const routed = (
      await harness.controlPlane.owner.query(
        `SELECT count(*)::int AS n FROM "${harness.controlPlane.config.directory.schema}".routes WHERE cell_name = $1`,
        [pooled],
      )
    )[0].n;
    expect(routed).toBeGreaterThan(0);
    expect(blocked.status!.conditions!.find((c) => c.type === 'Degraded')!.message).toContain(`still serves ${routed} tenant`);
    const schema = blocked.spec.database.schema;
    expect((await owner.query(`SELECT 1 FROM pg_namespace WHERE nspname = $1`, [schema])).rowCount).toBe(1);

    const empty = `p-${harness.runId}-9`;
    harness.apply(harness.cellManifest(empty, { mode: 'pooled', replicas: 1 }));
    await eventually(
      async () => (await harness.cell(empty))?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
      'empty cell ready',
    );
    const emptySchema = (await harness.cell(empty))!.spec.database.schema;
    kubectl(['delete', 'cell', empty, '--wait=false']);
    await eventually(async () => (await harness.cell(empty)) === undefined, 'empty cell gone');
    expect((await owner.query(`SELECT 1 FROM pg_namespace WHERE nspname = $1`, [emptySchema])).rowCount).toBe(0);
  });
});
