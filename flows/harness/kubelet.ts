import type { V1Deployment, V1DeploymentStatus } from '@kubernetes/client-node';

/**
 * What the kubelet and the Deployment controller would do for a cell Deployment, where there
 * is neither: the flows' `OperatorHarness` and the operator bench each start a real cell API
 * for a Deployment the operator creates (in-process for a flow, a compiled process for the
 * bench) and then report it available. Both read the Deployment and write its status here.
 */

/** The plain values of the cell container's environment (CELL_NAME, DATABASE_SCHEMA, AUTH_JWKS_URL, …). */
export function cellContainerEnv(deployment: V1Deployment): Record<string, string> {
  const container = deployment.spec?.template?.spec?.containers?.[0];
  return Object.fromEntries((container?.env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value!]));
}

/** The path of the cell container's readiness probe. */
export function readinessProbePath(deployment: V1Deployment): string {
  return deployment.spec?.template?.spec?.containers?.[0]?.readinessProbe?.httpGet?.path ?? '/readyz';
}

/** Whether the Deployment is already reported available. */
export const isAvailable = (deployment: V1Deployment): boolean => (deployment.status?.availableReplicas ?? 0) >= 1;

/** The status subresource's merge patch once its one pod is ready, as the Deployment controller writes it. */
export function availableStatus(deployment: V1Deployment): { status: V1DeploymentStatus } {
  return {
    status: {
      observedGeneration: deployment.metadata?.generation,
      replicas: 1,
      readyReplicas: 1,
      availableReplicas: 1,
      updatedReplicas: 1,
    },
  };
}
