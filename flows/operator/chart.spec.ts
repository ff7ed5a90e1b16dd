import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { installCrds, kubectl } from '@localstore/operator/testing';

const ROOT = resolve(__dirname, '../..');
const CHART = resolve(ROOT, 'charts/localstore');
const PRODUCTION = resolve(CHART, 'examples/values-production.yaml');
const HELM = execFileSync(resolve(ROOT, 'scripts/tools.sh'), ['path', 'helm'], { encoding: 'utf8' }).trim();
const PROMTOOL = execFileSync(resolve(ROOT, 'scripts/tools.sh'), ['path', 'promtool'], { encoding: 'utf8' }).trim();
const RULES = resolve(CHART, 'rules/localstore.rules.yaml');
/** The harness's release: what the chart declares as its floor must hold on it. */
const KUBE_VERSION = '1.36.3';
/** Cluster-scoped names are shared with the other test files: this run's own. */
const RUN = randomBytes(3).toString('hex');

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
  rules?: { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] }[];
}

function helm(args: string[]): { code: number; out: string } {
  const run = spawnSync(HELM, args, { encoding: 'utf8' });
  return { code: run.status ?? 1, out: `${run.stdout}${run.stderr}` };
}

function render(release: string, namespace: string, extra: string[] = []): { text: string; objects: K8sObject[] } {
  const rendered = helm(['template', release, CHART, '--namespace', namespace, '--kube-version', KUBE_VERSION, ...extra]);
  if (rendered.code !== 0) throw new Error(rendered.out);
  const objects = parseAllDocuments(rendered.out)
    .map((doc) => doc.toJS() as K8sObject)
    .filter(Boolean);
  return { text: rendered.out, objects };
}

/** Every container of a workload, with its pod's security context. */
function containersOf(object: K8sObject): { pod: Record<string, unknown>; container: Record<string, unknown> }[] {
  const spec = object.spec as Record<string, any>;
  const pod =
    object.kind === 'InferenceService' ? spec.predictor : ['Deployment', 'Job'].includes(object.kind) ? spec.template.spec : undefined;
  if (!pod) return [];
  return (pod.containers as Record<string, unknown>[]).map((container) => ({ pod: pod.securityContext ?? {}, container }));
}

/**
 * The Helm chart, checked by the real tools: helm lint and helm template (helm built from the
 * Go module proxy), the rendered objects applied `--dry-run=server` to the real kube-apiserver
 * with our CRDs and the upstream KServe, Gateway API and Prometheus Operator CRDs installed
 * (so every field is validated by the real schemas), and the operator's RBAC asked with
 * `kubectl auth can-i` as its ServiceAccount.
 */
describe('the Helm chart', () => {
  const namespace = `chart-${RUN}`;

  beforeAll(async () => {
    await installCrds();
    for (const crd of ['httproutes.gateway.networking.k8s.io', 'prometheusrules.monitoring.coreos.com']) {
      expect(kubectl(['wait', '--for=condition=Established', `crd/${crd}`, '--timeout=60s']).code).toBe(0);
    }
    expect(kubectl(['create', 'namespace', namespace]).code).toBe(0);
  }, 180_000);

  afterAll(() => {
    kubectl(['delete', 'namespace', namespace, '--ignore-not-found', '--wait=false']);
    kubectl(['delete', 'clusterrole,clusterrolebinding', '-l', `app.kubernetes.io/instance=r${RUN}`, '--ignore-not-found', '--wait=false']);
    kubectl([
      'delete',
      'role,rolebinding',
      '-n',
      'default',
      '-l',
      `app.kubernetes.io/instance=r${RUN}`,
      '--ignore-not-found',
      '--wait=false',
    ]);
  });

  it('passes helm lint with the default and the production values', () => {
    for (const values of [[], ['--values', PRODUCTION]]) {
      const linted = helm(['lint', '--strict', CHART, '--kube-version', KUBE_VERSION, ...values]);
      expect(linted.code, linted.out).toBe(0);
      expect(linted.out).toContain('0 chart(s) failed');
    }
  });

  it.each([
    ['default values', [] as string[], 'HTTPRoute'],
    ['production values', ['--values', PRODUCTION], 'Ingress'],
  ])('renders with the %s, and the real API server accepts every object (dry run)', (_, values, route) => {
    const { text, objects } = render(`r${RUN}`, namespace, values);
    const kinds = new Set(objects.map((o) => o.kind));
    for (const kind of [
      'Deployment',
      'Service',
      'ServiceAccount',
      'PodDisruptionBudget',
      'HorizontalPodAutoscaler',
      'ClusterRole',
      'Role',
      'InferenceService',
      'Cell',
      'ServiceMonitor',
      'PrometheusRule',
      'ConfigMap',
      'Job',
      route,
    ]) {
      expect(kinds, kind).toContain(kind);
    }
    const applied = kubectl(['apply', '--dry-run=server', '-f', '-'], text);
    expect(applied.code, applied.out).toBe(0);
    expect(applied.out.match(/\(server dry run\)/g)).toHaveLength(objects.length);
  });

  it('renders the CRDs that the API server serves', () => {
    const { objects } = render(`r${RUN}`, namespace, ['--include-crds']);
    const crds = objects.filter((o) => o.kind === 'CustomResourceDefinition').map((o) => o.metadata.name);
    expect(crds.sort()).toEqual(['cells.localstore.vn', 'tenants.localstore.vn']);
  });

  it('hardens every workload: non-root, read-only root, no capabilities, seccomp, requests and limits; names fit a DNS label', () => {
    for (const values of [[], ['--values', PRODUCTION]]) {
      const { objects } = render(`a-release-name-as-long-as-helm-allows-it-53-${RUN}`.slice(0, 53), namespace, values);
      for (const object of objects) expect(object.metadata.name.length, object.metadata.name).toBeLessThanOrEqual(63);
      const workloads = objects.flatMap(containersOf);
      expect(workloads.length).toBeGreaterThanOrEqual(4);
      for (const { pod, container } of workloads) {
        const security = container.securityContext as Record<string, any>;
        expect(pod, String(container.name)).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
        expect(security, String(container.name)).toMatchObject({
          runAsNonRoot: true,
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
          seccompProfile: { type: 'RuntimeDefault' },
        });
        expect(container.resources, String(container.name)).toMatchObject({
          requests: { cpu: expect.anything(), memory: expect.anything() },
          limits: { cpu: expect.anything(), memory: expect.anything() },
        });
      }
    }
  });

  it('takes secrets only by reference: no credential in the rendered output', () => {
    const { objects } = render(`r${RUN}`, namespace);
    expect(objects.map((o) => o.kind)).not.toContain('Secret');
    const controlPlane = objects.find((o) => o.kind === 'Deployment' && o.metadata.name.endsWith('control-plane'))!;
    const env = (controlPlane.spec as any).template.spec.containers[0].env as { name: string; value?: string; valueFrom?: unknown }[];
    for (const name of ['DIRECTORY_DATABASE_URL', 'REDIS_URL'])
      expect(env.find((e) => e.name === name)).toMatchObject({ valueFrom: { secretKeyRef: expect.any(Object) } });
    for (const e of env) expect(String(e.value ?? '')).not.toMatch(/:\/\/[^/\s]*:[^/\s]*@/);
  });

  it('serves the models as an InferenceService with the gRPC port named h2c, in Standard mode; a broken one is refused', () => {
    const { objects } = render(`r${RUN}`, namespace);
    const service = objects.find((o) => o.kind === 'InferenceService')!;
    expect(service.metadata.annotations!['serving.kserve.io/deploymentMode']).toBe('Standard');
    const [container] = (service.spec as any).predictor.containers;
    expect(container.ports).toEqual([expect.objectContaining({ name: 'h2c', containerPort: 8081 })]);
    const broken = structuredClone(service);
    (broken.spec as any).predictor.minReplicas = 'two';
    const applied = kubectl(['apply', '--dry-run=server', '-f', '-'], stringify(broken));
    expect(applied.code).not.toBe(0);
    expect(applied.out).toMatch(/minReplicas/);
  });

  it.each([
    ['domain', ['--set', 'domain=Not A Domain']],
    ['routing.kind', ['--set', 'routing.kind=nodeport']],
    ['controlPlane.replicas', ['--set', 'controlPlane.replicas=0']],
    ['controlPlane.autoscaling.minReplicas', ['--set', 'controlPlane.autoscaling.minReplicas=30']],
    ['controlPlane.smsProvider', ['--set', 'controlPlane.smsProvider=carrier-pigeon']],
  ])('refuses a bad %s, naming it', (field, values) => {
    const rendered = helm(['template', `r${RUN}`, CHART, '--kube-version', KUBE_VERSION, ...values]);
    expect(rendered.code).not.toBe(0);
    expect(rendered.out).toContain(`${field}:`);
  });

  it('carries rules that promtool accepts and whose unit tests pass', () => {
    const checked = spawnSync(PROMTOOL, ['check', 'rules', RULES], { encoding: 'utf8' });
    expect(checked.status, `${checked.stdout}${checked.stderr}`).toBe(0);
    const tested = spawnSync(PROMTOOL, ['test', 'rules', resolve(CHART, 'rules/tests/alerts.test.yaml')], { encoding: 'utf8' });
    expect(tested.status, `${tested.stdout}${tested.stderr}`).toBe(0);
  });

  it('gives every alert a severity, a summary, a test, and a runbook that exists', () => {
    const rules = parse(readFileSync(RULES, 'utf8')) as {
      groups: { rules: { alert?: string; labels?: Record<string, string>; annotations?: Record<string, string> }[] }[];
    };
    const tests = readFileSync(resolve(CHART, 'rules/tests/alerts.test.yaml'), 'utf8');
    const alerts = rules.groups.flatMap((g) => g.rules).filter((r) => r.alert);
    expect(alerts.length).toBeGreaterThanOrEqual(10);
    for (const alert of alerts) {
      expect(['critical', 'warning'], alert.alert).toContain(alert.labels?.severity);
      expect(alert.annotations?.summary, alert.alert).toBeTruthy();
      expect(alert.annotations?.runbook_url, alert.alert).toBe(
        `https://github.com/localstore/platform/blob/main/docs/runbooks/${alert.alert}.md`,
      );
      expect(existsSync(resolve(ROOT, 'docs/runbooks', `${alert.alert}.md`)), `docs/runbooks/${alert.alert}.md`).toBe(true);
      expect(tests, `a promtool test of ${alert.alert}`).toContain(`alertname: ${alert.alert}`);
    }
    // The PrometheusRule points the links where the values say.
    const { objects } = render(`r${RUN}`, namespace, ['--set', 'monitoring.prometheusRules.runbookBaseUrl=https://wiki.example/runbooks/']);
    const rule = objects.find((o) => o.kind === 'PrometheusRule')!;
    expect(JSON.stringify(rule.spec)).toContain('https://wiki.example/runbooks/LocalStoreCellNotReady.md');
    expect(JSON.stringify(rule.spec)).not.toContain('github.com/localstore');
  });

  it('ships each Grafana dashboard as a ConfigMap for the sidecar, every panel with a title and a description', () => {
    const files = readdirSync(resolve(CHART, 'dashboards')).filter((f) => f.endsWith('.json'));
    expect(files.sort()).toEqual(['cell.json', 'models.json', 'operator.json', 'payments.json', 'platform-overview.json']);
    for (const file of files) {
      const dashboard = JSON.parse(readFileSync(resolve(CHART, 'dashboards', file), 'utf8')) as {
        uid: string;
        title: string;
        panels: { title: string; description: string; targets: unknown[] }[];
      };
      expect(dashboard.title, file).toMatch(/^LocalStore \/ /);
      for (const panel of dashboard.panels) {
        expect(panel.title, file).toMatch(/\?$/);
        expect(panel.description.length, `${file}: ${panel.title}`).toBeGreaterThan(20);
        expect(panel.targets.length, `${file}: ${panel.title}`).toBeGreaterThan(0);
      }
    }
    const { objects } = render(`r${RUN}`, namespace);
    const maps = objects.filter((o) => o.kind === 'ConfigMap');
    expect(maps).toHaveLength(files.length);
    for (const map of maps) expect(map.metadata.labels?.grafana_dashboard).toBe('1');
    const cell = maps.find((m) => m.metadata.name.endsWith('dashboard-cell')) as unknown as { data: Record<string, string> };
    expect(JSON.parse(cell.data['cell.json']!).templating.list.map((v: { name: string }) => v.name)).toContain('cell');
  });

  describe("the operator's RBAC, asked as its ServiceAccount", () => {
    let account: string;

    beforeAll(() => {
      const { objects } = render(`r${RUN}`, namespace);
      const rbac = objects.filter(
        (o) =>
          ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'].includes(o.kind) &&
          o.metadata.name.includes('operator'),
      );
      const applied = kubectl(['apply', '-f', '-'], rbac.map((o) => stringify(o)).join('---\n'));
      expect(applied.code, applied.out).toBe(0);
      account = `system:serviceaccount:${namespace}:${rbac.find((o) => o.kind === 'ServiceAccount')!.metadata.name}`;
    });

    // kubectl prints yes or no on stdout (and may warn on stderr, e.g. for a cluster-scoped kind).
    const answerOf = (out: string) => /^(yes|no)\b/m.exec(out)?.[1] ?? out;
    const can = (verb: string, resource: string, ns?: string) =>
      answerOf(kubectl(['auth', 'can-i', verb, resource, `--as=${account}`, ...(ns ? ['-n', ns] : [])]).out);

    // Each call of operator/src (see the ClusterRole's comments), as `kubectl auth can-i` asks it.
    it.each<[string, string, string?]>([
      ['list', 'tenants.localstore.vn'],
      ['watch', 'tenants.localstore.vn'],
      ['get', 'tenants.localstore.vn'],
      ['patch', 'tenants.localstore.vn'],
      ['list', 'cells.localstore.vn'],
      ['watch', 'cells.localstore.vn'],
      ['get', 'cells.localstore.vn'],
      ['create', 'cells.localstore.vn'],
      ['patch', 'cells.localstore.vn'],
      ['patch', 'cells.localstore.vn/status'],
      ['patch', 'tenants.localstore.vn/status'],
      ['create', 'namespaces'],
      ['patch', 'namespaces/cell-pooled-9'],
      ['delete', 'namespaces/cell-pooled-9'],
      ['list', 'deployments.apps', '--all'],
      ['watch', 'deployments.apps', '--all'],
      ['get', 'deployments.apps/cell-api', 'cell-pooled-9'],
      ['patch', 'deployments.apps/cell-api', 'cell-pooled-9'],
      ['create', 'deployments.apps/cell-api', 'cell-pooled-9'],
      ['patch', 'services/cell-api', 'cell-pooled-9'],
      ['patch', 'serviceaccounts/cell-api', 'cell-pooled-9'],
      ['patch', 'secrets/cell-api-database', 'cell-pooled-9'],
      ['patch', 'horizontalpodautoscalers.autoscaling/cell-api', 'cell-pooled-9'],
      ['patch', 'poddisruptionbudgets.policy/cell-api', 'cell-pooled-9'],
      ['patch', 'networkpolicies.networking.k8s.io/cell-api', 'cell-pooled-9'],
      ['patch', 'servicemonitors.monitoring.coreos.com/cell-api', 'cell-pooled-9'],
      ['create', 'leases.coordination.k8s.io', 'OWN'],
      ['get', 'leases.coordination.k8s.io/localstore-operator', 'OWN'],
      ['update', 'leases.coordination.k8s.io/localstore-operator', 'OWN'],
      ['get', 'secrets/cell-database', 'OWN'],
      ['create', 'events', 'default'],
    ])('may %s %s', (verb, resource, ns) => {
      const where = ns === '--all' ? undefined : ns === 'OWN' ? namespace : ns;
      const answer =
        ns === '--all'
          ? answerOf(kubectl(['auth', 'can-i', verb, resource, '--all-namespaces', `--as=${account}`]).out)
          : can(verb, resource, where);
      expect(answer).toBe('yes');
    });

    // What a careless role would grant and the operator never does.
    it.each<[string, string, string?]>([
      ['get', 'pods', 'cell-pooled-9'],
      ['create', 'pods/exec', 'cell-pooled-9'],
      ['get', 'configmaps', 'cell-pooled-9'],
      ['list', 'secrets', 'OWN'],
      ['get', 'secrets/other-secret', 'OWN'],
      ['get', 'secrets/cell-database', 'kube-system'],
      ['get', 'secrets/cell-api-database', 'cell-pooled-9'],
      ['patch', 'secrets/other-secret', 'cell-pooled-9'],
      ['patch', 'deployments.apps/coredns', 'kube-system'],
      ['delete', 'cells.localstore.vn'],
      ['create', 'tenants.localstore.vn'],
      ['delete', 'tenants.localstore.vn'],
      ['update', 'cells.localstore.vn'],
      ['create', 'clusterrolebindings.rbac.authorization.k8s.io'],
      ['create', 'rolebindings.rbac.authorization.k8s.io', 'cell-pooled-9'],
      ['create', 'customresourcedefinitions.apiextensions.k8s.io'],
      ['list', 'namespaces'],
      ['delete', 'leases.coordination.k8s.io/localstore-operator', 'OWN'],
      ['update', 'leases.coordination.k8s.io/someone-else', 'OWN'],
      ['create', 'events', 'kube-system'],
      ['impersonate', 'serviceaccounts'],
    ])('may not %s %s', (verb, resource, ns) => {
      expect(can(verb, resource, ns === 'OWN' ? namespace : ns)).toBe('no');
    });
  });
});
