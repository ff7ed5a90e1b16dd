import { execFileSync, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { eventually } from '@localstore/common/testing';

/**
 * The operator's way to the test API server (`make k8s-up`: a real kube-apiserver and
 * etcd, see `operator/test/k8s/README.md`): kubectl with the harness's kubeconfig, and the
 * CRDs installed. Used by the operator's own tests and, through `@localstore/operator/testing`,
 * by the flows that run it against a control plane and cells.
 */

export const REPO_ROOT = resolve(__dirname, '../..');
export const KUBECTL = resolve(REPO_ROOT, '.local/bin/kubectl');
export const KUBECONFIG = resolve(REPO_ROOT, '.local/k8s/kubeconfig');
const SHARED_CRDS = resolve(REPO_ROOT, '../shared/crds');

export function kubectl(args: string[], input?: string): { code: number; out: string } {
  const run = spawnSync(KUBECTL, ['--kubeconfig', KUBECONFIG, ...args], { input, encoding: 'utf8' });
  return { code: run.status ?? 1, out: `${run.stdout}${run.stderr}` };
}

/**
 * Starts the harness's API server (`make k8s-up`) and installs our CRDs and the upstream
 * ones, server-side, then waits until each is Established. Several test files do this at
 * once on a fresh server, so the wait polls: `kubectl wait` fails outright on a CRD whose
 * status has no conditions yet.
 */
export async function installCrds(): Promise<void> {
  execFileSync(resolve(REPO_ROOT, 'scripts/k8s.sh'), ['up'], { stdio: 'pipe' });
  for (const dir of [
    resolve(REPO_ROOT, 'charts/localstore/crds'),
    ...['serving.kserve.io', 'monitoring.coreos.com', 'gateway.networking.k8s.io'].map((d) => resolve(SHARED_CRDS, d)),
  ]) {
    const installed = kubectl(['apply', '--server-side', '--force-conflicts', '-f', dir]);
    if (installed.code !== 0) throw new Error(installed.out);
  }
  for (const crd of [
    'tenants.localstore.vn',
    'cells.localstore.vn',
    'servicemonitors.monitoring.coreos.com',
    'inferenceservices.serving.kserve.io',
  ]) {
    await eventually(
      async () => kubectl(['get', 'crd', crd, '-o', 'jsonpath={.status.conditions[?(@.type=="Established")].status}']).out === 'True',
      `CRD ${crd} Established`,
      60_000,
      100,
    );
  }
}
