import { createHash } from 'node:crypto';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { OperatorConfig } from '../config/operator-config';
import { API_VERSION, type Cell, CELL_LABEL, MANAGED_BY } from '../kube/resources';

/** Name of the cell API's Deployment, Service, ServiceAccount and Secret inside a cell's namespace. */
export const CELL_API = 'cell-api';

/**
 * A cell's namespace: `cell-<name>`, or, when that would pass 63 characters, a truncated
 * name with a hash of the whole so two long names never share a namespace.
 */
export function cellNamespace(cellName: string): string {
  const full = `cell-${cellName}`;
  if (full.length <= 63) return full;
  const hash = createHash('sha256').update(cellName).digest('hex').slice(0, 8);
  return `${full.slice(0, 54).replace(/-+$/, '')}-${hash}`;
}

/** The in-cluster URL of a cell's API: its Service's DNS name. */
export function cellServiceUrl(cellName: string, port: number): string {
  return `http://${CELL_API}.${cellNamespace(cellName)}.svc.cluster.local:${port}`;
}

export interface CellDatabaseUrls {
  /** The cell pods' login (no ownership, RLS applies). The owner's URL never leaves the operator. */
  appUrl: string;
}

const DEFAULT_RESOURCES = { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } };

/**
 * Every Kubernetes object a cell needs, as the operator wants it. Pure: the reconciler
 * applies the whole list with server-side apply on each pass, so what it leaves out of an
 * object is what it does not own. Every object is owned by the Cell (deleting the Cell
 * lets the garbage collector remove them).
 */
export function desiredCellObjects(cell: Cell, config: OperatorConfig, database: CellDatabaseUrls): KubernetesObject[] {
  const name = cell.metadata!.name!;
  const namespace = cellNamespace(name);
  const labels = {
    ...config.selector,
    ...MANAGED_BY,
    [CELL_LABEL]: name,
    'app.kubernetes.io/name': CELL_API,
    'app.kubernetes.io/instance': name,
  };
  const selector = { [CELL_LABEL]: name, 'app.kubernetes.io/name': CELL_API };
  const ownerReferences = [
    { apiVersion: API_VERSION, kind: 'Cell', name, uid: cell.metadata!.uid!, controller: true, blockOwnerDeletion: true },
  ];
  const meta = (objectName: string) => ({ name: objectName, namespace, labels, ownerReferences });
  const { spec } = cell;
  const minReplicas = spec.replicas ?? 2;

  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels, ownerReferences } },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: meta(`${CELL_API}-database`),
      type: 'Opaque',
      data: { DATABASE_URL: Buffer.from(database.appUrl).toString('base64') },
    } as KubernetesObject,
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(CELL_API), automountServiceAccountToken: false } as KubernetesObject,
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta(CELL_API),
      spec: {
        // No `replicas`: the autoscaler owns the count (from spec.replicas up to spec.maxReplicas);
        // applying one here would fight it on every pass.
        selector: { matchLabels: selector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: CELL_API,
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
            topologySpreadConstraints: [
              {
                maxSkew: 1,
                topologyKey: 'topology.kubernetes.io/zone',
                whenUnsatisfiable: 'ScheduleAnyway',
                labelSelector: { matchLabels: selector },
              },
              {
                maxSkew: 1,
                topologyKey: 'kubernetes.io/hostname',
                whenUnsatisfiable: 'ScheduleAnyway',
                labelSelector: { matchLabels: selector },
              },
            ],
            containers: [
              {
                name: CELL_API,
                image: `${config.cellImage}:${spec.version}`,
                ports: [{ name: 'http', containerPort: config.cellPort }],
                env: [
                  { name: 'CELL_NAME', value: name },
                  { name: 'HOST', value: '0.0.0.0' },
                  { name: 'PORT', value: String(config.cellPort) },
                  { name: 'DATABASE_SCHEMA', value: spec.database.schema },
                  { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: `${CELL_API}-database`, key: 'DATABASE_URL' } } },
                  { name: 'AUTH_JWKS_URL', value: config.cellJwksUrl },
                ],
                resources: spec.resources ?? DEFAULT_RESOURCES,
                livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10, failureThreshold: 3 },
                readinessProbe: { httpGet: { path: '/readyz', port: 'http' }, periodSeconds: 5, failureThreshold: 2 },
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
              },
            ],
          },
        },
      },
    } as KubernetesObject,
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(CELL_API),
      spec: { selector, ports: [{ name: 'http', port: config.cellPort, targetPort: 'http' }] },
    } as KubernetesObject,
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: meta(CELL_API),
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: CELL_API },
        minReplicas,
        maxReplicas: Math.max(minReplicas, spec.maxReplicas ?? 10),
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
      },
    } as KubernetesObject,
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: meta(CELL_API),
      spec: { selector: { matchLabels: selector }, maxUnavailable: 1 },
    } as KubernetesObject,
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta(CELL_API),
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ['Ingress'],
        // Only the router (control plane) and the monitoring stack may reach a cell.
        ingress: [
          {
            from: [
              { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': config.routerNamespace } } },
              { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': config.monitoringNamespace } } },
            ],
            ports: [{ protocol: 'TCP', port: config.cellPort }],
          },
        ],
      },
    } as KubernetesObject,
    {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: meta(CELL_API),
      spec: { selector: { matchLabels: selector }, endpoints: [{ port: 'http', path: '/metrics', interval: '30s' }] },
    } as KubernetesObject,
  ];
}
