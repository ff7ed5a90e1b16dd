import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { parse, parseAllDocuments } from 'yaml';

interface Planned {
  type: string;
  name: string;
  inputs: Record<string, any>;
}

const ROOT = resolve(__dirname, '../..');
let planned: Planned[] = [];

/**
 * Pulumi's own mocks: nothing reaches a cluster or the Pulumi service; every resource the program
 * registers is recorded. Set anew for each plan, as `plan` disconnects from the mock monitor.
 */
function mockPulumi(): void {
  void pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        planned.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    'localstore',
    'test',
    false,
  );
}
mockPulumi();

const SECRETS = {
  postgresAppUrl: 'postgres://localstore_app:app-pass@pg-rw.db:5432/localstore',
  postgresOwnerUrl: 'postgres://localstore_owner:owner-pass@pg-rw.db:5432/localstore',
  postgresControlUrl: 'postgres://localstore_control:control-pass@pg-rw.db:5432/localstore',
  redisUrl: 'redis://:redis-pass@redis-master.redis:6379',
  paymentCredentialsKey: Buffer.alloc(32, 7).toString('base64'),
  otpPepper: 'pepper-0123456789abcdef0123456789abcdef',
  smsViettelUrl: 'https://sms.viettel.example/api',
  smsViettelUser: 'sms-user-4821',
  smsViettelPassword: 'sms-pass',
  smsViettelBrand: 'BRAND-4821',
};

/** A stack's committed settings (Pulumi.<stack>.yaml) plus its secrets, as `pulumi up` would see them. */
function useStack(stack: 'dev' | 'prod', overrides: Record<string, string | undefined> = {}): void {
  const file = parse(readFileSync(resolve(__dirname, `../Pulumi.${stack}.yaml`), 'utf8')) as { config: Record<string, string | number> };
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(file.config)) config[key] = String(value);
  for (const [key, value] of Object.entries(SECRETS)) config[`localstore:${key}`] = value;
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete config[`localstore:${key}`];
    else config[`localstore:${key}`] = value;
  }
  pulumi.runtime.setAllConfig(
    config,
    Object.keys(SECRETS).map((key) => `localstore:${key}`),
  );
}

async function plan(stack: 'dev' | 'prod'): Promise<{ resources: Planned[]; outputs: Record<string, unknown> }> {
  planned = [];
  mockPulumi();
  useStack(stack);
  const { loadStackConfig } = await import('./stack-config');
  const { createPlatform } = await import('./platform');
  const platform = createPlatform(loadStackConfig(new pulumi.Config('localstore')));
  const resolved = <T>(output: pulumi.Output<T>) => new Promise<T>((done) => output.apply(done));
  const outputs = {
    namespace: await resolved(platform.namespace),
    pooledCell: await resolved(platform.pooledCell),
    appUrl: platform.appUrl,
    grafanaDashboards: platform.grafanaDashboards,
  };
  // The registrations still in flight land before the plan is read: disconnecting waits for
  // Pulumi's queue of pending resource operations to drain.
  await pulumi.runtime.disconnect();
  return { resources: [...planned], outputs };
}

describe.each(['dev', 'prod'] as const)('the Pulumi program, stack %s (mocked: no cluster, no Pulumi service)', (stack) => {
  let resources: Planned[];
  let outputs: Record<string, unknown>;

  beforeAll(async () => {
    ({ resources, outputs } = await plan(stack));
  });

  const one = (type: string, name: string) => {
    const found = resources.filter((r) => r.type === type && r.name === name);
    expect(found, `${type} ${name}`).toHaveLength(1);
    return found[0]!;
  };

  it('plans the namespace, the five Secrets, the chart as a Helm release and the first pooled Cell', () => {
    expect(resources.map((r) => `${r.type} ${r.name}`).sort()).toEqual(
      [
        'kubernetes:core/v1:Namespace namespace',
        'kubernetes:core/v1:Secret cell-database',
        'kubernetes:core/v1:Secret localstore-control-plane',
        'kubernetes:core/v1:Secret localstore-operator',
        'kubernetes:core/v1:Secret localstore-postgres',
        'kubernetes:core/v1:Secret localstore-redis',
        'kubernetes:helm.sh/v3:Release localstore',
        'kubernetes:localstore.vn/v1alpha1:Cell pooled-cell',
      ].sort(),
    );
    const release = one('kubernetes:helm.sh/v3:Release', 'localstore');
    expect(release.inputs.chart).toBe(resolve(ROOT, 'charts/localstore'));
    expect(release.inputs.namespace).toBe(outputs.namespace);
    expect(release.inputs.values.cells.pooled.enabled).toBe(false);
    const cell = one('kubernetes:localstore.vn/v1alpha1:Cell', 'pooled-cell');
    expect(cell.inputs.spec).toMatchObject({ mode: 'pooled', database: { secretName: 'cell-database' } });
  });

  it('holds the namespace to the restricted Pod Security Standard and keeps the chart’s hardening', () => {
    expect(one('kubernetes:core/v1:Namespace', 'namespace').inputs.metadata.labels['pod-security.kubernetes.io/enforce']).toBe(
      'restricted',
    );
    const values = one('kubernetes:helm.sh/v3:Release', 'localstore').inputs.values;
    // The stack does not touch the security contexts: the chart's defaults stand. Rendered with
    // exactly these values, every container is non-root with a read-only root and no capabilities.
    expect(JSON.stringify(values)).not.toMatch(/securityContext|runAsUser|privileged/i);
    const dir = mkdtempSync(join(tmpdir(), 'pulumi-values-'));
    writeFileSync(join(dir, 'values.json'), JSON.stringify(values));
    const helm = execFileSync(resolve(ROOT, 'scripts/tools.sh'), ['path', 'helm'], { encoding: 'utf8' }).trim();
    const rendered = spawnSync(
      helm,
      ['template', 'localstore', resolve(ROOT, 'charts/localstore'), '--kube-version', '1.36.3', '-f', join(dir, 'values.json')],
      { encoding: 'utf8' },
    );
    expect(rendered.status, rendered.stderr).toBe(0);
    const containers = parseAllDocuments(rendered.stdout)
      .map((doc) => doc.toJS() as { kind: string; spec?: any })
      .filter((o) => o?.kind === 'Deployment')
      .flatMap((o) => o.spec.template.spec.containers as { securityContext: Record<string, any> }[]);
    expect(containers.length).toBeGreaterThanOrEqual(2);
    for (const container of containers)
      expect(container.securityContext).toMatchObject({
        runAsNonRoot: true,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      });
  });

  it('puts the config secrets in Secrets only, marked secret in the state, never in the chart’s values', () => {
    // Pulumi's wire form of a secret: { <sig key>: <secret sig>, value } — encrypted in the state.
    const secretValue = (input: Record<string, unknown>) => {
      expect(input[pulumi.runtime.specialSigKey]).toBe(pulumi.runtime.specialSecretSig);
      return input.value as Record<string, string>;
    };
    expect(secretValue(one('kubernetes:core/v1:Secret', 'cell-database').inputs.stringData)).toEqual({
      DATABASE_URL: SECRETS.postgresAppUrl,
      DATABASE_OWNER_URL: SECRETS.postgresOwnerUrl,
    });
    expect(secretValue(one('kubernetes:core/v1:Secret', 'localstore-postgres').inputs.stringData)['directory-url']).toBe(
      SECRETS.postgresControlUrl,
    );
    const values = JSON.stringify(one('kubernetes:helm.sh/v3:Release', 'localstore').inputs.values);
    for (const secret of Object.values(SECRETS)) expect(values).not.toContain(secret);
  });

  it('exports the platform’s URL and the Grafana dashboards’ names', () => {
    expect(outputs.appUrl).toBe(stack === 'dev' ? 'https://app.dev.localstore.vn' : 'https://app.localstore.vn');
    expect(outputs.grafanaDashboards).toEqual([
      'LocalStore / Cell',
      'LocalStore / Models',
      'LocalStore / Operator',
      'LocalStore / Payments',
      'LocalStore / Platform overview',
    ]);
    expect(outputs.pooledCell).toBe('pooled-1');
  });
});

describe('the Pulumi program’s configuration checks', () => {
  const problemsOf = async (overrides: Record<string, string | undefined>) => {
    useStack('prod', overrides);
    const { loadStackConfig, StackConfigError } = await import('./stack-config');
    try {
      loadStackConfig(new pulumi.Config('localstore'));
    } catch (error) {
      expect(error).toBeInstanceOf(StackConfigError);
      return (error as Error).message;
    }
    throw new Error('the configuration was accepted');
  };

  it.each([
    ['a missing domain', { domain: undefined }, 'localstore:domain: required'],
    ['a domain that is no DNS name', { domain: 'Local Store' }, 'localstore:domain'],
    ['no control plane replica', { controlPlaneReplicas: '0' }, 'localstore:controlPlaneReplicas: must be a whole number from 1'],
    ['a pooled cell of -1 replicas', { pooledCellReplicas: '-1' }, 'localstore:pooledCellReplicas'],
    ['two NATS servers', { natsReplicas: '2' }, 'localstore:natsReplicas'],
    ['an unknown routing', { routing: 'nodeport' }, 'localstore:routing'],
    ['a missing database secret', { postgresAppUrl: undefined }, 'localstore:postgresAppUrl: required secret'],
    ['an ingress without its certificate', { tlsSecretName: undefined }, 'localstore:tlsSecretName: required'],
  ])('reports %s, naming the key', async (_, overrides, words) => {
    expect(await problemsOf(overrides)).toContain(words);
  });

  it('reports every problem at once', async () => {
    const message = await problemsOf({ domain: undefined, controlPlaneReplicas: '0' });
    expect(message).toContain('localstore:domain');
    expect(message).toContain('localstore:controlPlaneReplicas');
  });
});
