import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { StackConfig } from './stack-config';

/** The chart this program installs: the repository's own, so the two never drift. */
export const CHART_PATH = resolve(__dirname, '../../charts/localstore');
const POOLED_CELL = 'pooled-1';

export interface Platform {
  namespace: pulumi.Output<string>;
  appUrl: string;
  tenantUrlPattern: string;
  grafanaDashboards: string[];
  pooledCell: pulumi.Output<string>;
}

/** Dashboard titles as Grafana lists them (the chart ships the JSON). */
export function dashboardTitles(): string[] {
  const dir = resolve(CHART_PATH, 'dashboards');
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => (JSON.parse(readFileSync(resolve(dir, file), 'utf8')) as { title: string }).title);
}

/**
 * The platform on one cluster: a namespace held to the restricted Pod Security Standard,
 * the Secrets the chart names (from the stack's config secrets, never from plain values),
 * the chart as a Helm release, and the first pooled Cell.
 */
export function createPlatform(stack: StackConfig, opts: pulumi.ComponentResourceOptions = {}): Platform {
  const namespace = new k8s.core.v1.Namespace(
    'namespace',
    {
      metadata: {
        name: stack.namespace,
        labels: {
          'app.kubernetes.io/part-of': 'localstore',
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': 'latest',
        },
      },
    },
    opts,
  );
  const ns = namespace.metadata.name;
  const secret = (name: string, data: Record<string, pulumi.Input<string>>) =>
    new k8s.core.v1.Secret(
      name,
      { metadata: { name, namespace: ns, labels: { 'app.kubernetes.io/part-of': 'localstore' } }, type: 'Opaque', stringData: data },
      { ...opts, parent: namespace },
    );
  const { secrets } = stack;
  const secretObjects = [
    secret('localstore-postgres', { 'directory-url': secrets.postgresControlUrl, 'directory-owner-url': secrets.postgresOwnerUrl }),
    secret('cell-database', { DATABASE_URL: secrets.postgresAppUrl, DATABASE_OWNER_URL: secrets.postgresOwnerUrl }),
    secret('localstore-redis', { url: secrets.redisUrl }),
    secret('localstore-control-plane', {
      PAYMENT_CREDENTIALS_KEY: secrets.paymentCredentialsKey,
      OTP_PEPPER: secrets.otpPepper,
      ...secrets.sms,
    }),
    secret('localstore-operator', { DIRECTORY_DATABASE_URL: secrets.postgresControlUrl }),
  ];

  const monitoringLabels = stack.prometheusRelease ? { release: stack.prometheusRelease } : {};
  const release = new k8s.helm.v3.Release(
    'localstore',
    {
      name: 'localstore',
      chart: CHART_PATH,
      namespace: ns,
      // The CRDs come with the chart; an upgrade does not replace them (Helm's rule), the operator's release notes say when to.
      skipCrds: false,
      atomic: true,
      timeout: 900,
      values: {
        domain: stack.domain,
        image: { registry: stack.imageRegistry },
        controlPlane: {
          image: { tag: stack.version },
          replicas: stack.controlPlaneReplicas,
          autoscaling: {
            enabled: stack.controlPlaneReplicas > 1,
            minReplicas: stack.controlPlaneReplicas,
            maxReplicas: Math.max(stack.controlPlaneReplicas * 4, 4),
          },
          podDisruptionBudget: { enabled: stack.controlPlaneReplicas > 1, minAvailable: 1 },
          smsProvider: stack.smsProvider,
        },
        operator: { image: { tag: stack.version }, replicas: stack.operatorReplicas },
        models: { image: { tag: stack.version } },
        externalServices: { nats: { url: stack.natsUrl, paymentsStreamReplicas: stack.natsReplicas } },
        // The program makes the Cell itself (below), so its spec follows the stack.
        cells: {
          pooled: {
            enabled: false,
            name: POOLED_CELL,
            version: stack.version,
            maxTenants: stack.pooledCellMaxTenants,
            replicas: stack.pooledCellReplicas,
          },
        },
        routing:
          stack.routing.kind === 'gateway'
            ? { kind: 'gateway', gateway: { parentRefs: [{ name: stack.routing.gatewayName, namespace: stack.routing.gatewayNamespace }] } }
            : { kind: 'ingress', ingress: { className: stack.routing.className, tlsSecretName: stack.routing.tlsSecretName } },
        monitoring: { serviceMonitors: { labels: monitoringLabels }, prometheusRules: { labels: monitoringLabels } },
      },
    },
    { ...opts, dependsOn: secretObjects },
  );

  const cell = new k8s.apiextensions.CustomResource(
    'pooled-cell',
    {
      apiVersion: 'localstore.vn/v1alpha1',
      kind: 'Cell',
      metadata: { name: POOLED_CELL, labels: { 'app.kubernetes.io/part-of': 'localstore' } },
      spec: {
        mode: 'pooled',
        version: stack.version,
        replicas: stack.pooledCellReplicas,
        maxReplicas: Math.max(stack.pooledCellReplicas * 5, 5),
        capacity: { maxTenants: stack.pooledCellMaxTenants },
        database: { secretName: 'cell-database', schema: 'cell_pooled_1' },
      },
    },
    { ...opts, dependsOn: [release] },
  );

  return {
    namespace: ns,
    appUrl: `https://app.${stack.domain}`,
    tenantUrlPattern: `https://<slug>.${stack.domain}`,
    grafanaDashboards: dashboardTitles(),
    pooledCell: cell.metadata.name,
  };
}
