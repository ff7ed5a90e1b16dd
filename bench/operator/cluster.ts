// The harness's API server for the phase: kubectl (asynchronous, so the kubelet stand-in and
// the seller keep running meanwhile), the server started with the CRDs, another run's
// leftovers refused, and this run's Tenants, Cells and namespaces removed at the end.
import { spawn } from 'node:child_process';
import { REPO_ROOT } from '@localstore/flows/harness/compiled-servers';
import { K8S_SCRIPT, KUBECONFIG, KUBECTL, LOCALSTORE_CRDS, SHARED_CRDS } from '@localstore/flows/harness/kube-paths';
import { join } from 'node:path';
import { BenchError, log } from '../lib/output';
import type { KubeApi } from './kube-api';
import { GROUP, type KubeList, type KubeObject, VERSION } from './resources';

/** kubectl of the harness: its exit code and what it printed (stdout and stderr). */
export function kubectl(args: string[], input?: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(KUBECTL, ['--kubeconfig', KUBECONFIG, ...args], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    child.once('error', (error) => resolve({ code: 1, out: error.message }));
    child.once('exit', (code) => resolve({ code: code ?? 1, out: text }));
    child.stdin.end(input ?? '');
  });
}

/** kubectl's output, or a BenchError naming `what` failed. */
export async function mustKubectl(what: string, args: string[], input?: string): Promise<string> {
  const result = await kubectl(args, input);
  if (result.code !== 0) throw new BenchError(`${what} failed: ${result.out.trim().slice(0, 2_000)}`);
  return result.out;
}

/** A server-side apply of `manifest` as the bench's field manager. */
export const apply = (manifest: object): Promise<string> =>
  mustKubectl('kubectl apply', ['apply', '--server-side', '--field-manager=bench', '-f', '-'], JSON.stringify(manifest));

/** `scripts/k8s.sh up` (idempotent), then our CRDs and ServiceMonitor's, Established. */
export async function startApiServer(): Promise<void> {
  log('operator: starting the API server (scripts/k8s.sh up) and installing the CRDs…');
  await runCommand('scripts/k8s.sh up', K8S_SCRIPT, ['up'], 20 * 60_000);
  await mustKubectl('installing the CRDs', [
    'apply',
    '--server-side',
    '--force-conflicts',
    '-f',
    LOCALSTORE_CRDS,
    '-f',
    join(SHARED_CRDS, 'monitoring.coreos.com'),
  ]);
  await mustKubectl('waiting for the CRDs', [
    'wait',
    '--for=condition=Established',
    '--timeout=60s',
    'crd/tenants.localstore.vn',
    'crd/cells.localstore.vn',
    'crd/servicemonitors.monitoring.coreos.com',
  ]);
}

function runCommand(what: string, file: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.once('error', (error) => reject(new BenchError(`${what} could not run: ${error.message}`)));
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(text);
      else reject(new BenchError(`${what} failed (code ${code}):\n${text.trim().slice(-2_000)}`));
    });
  });
}

/**
 * Cells and Tenants of another run (or of this bench interrupted hard) would be taken over
 * by our apply: refuse, and say how to remove them.
 */
export async function refuseLeftovers(api: KubeApi, cellNames: string[]): Promise<void> {
  const found: string[] = [];
  for (const name of cellNames) {
    if (await api.read(`/apis/${GROUP}/${VERSION}/cells/${name}`)) found.push(`cell/${name}`);
    if (await api.read(`/apis/${GROUP}/${VERSION}/tenants/${name}`)) found.push(`tenant/${name}`);
    if (await api.read(`/api/v1/namespaces/cell-${name}`)) found.push(`namespace/cell-${name}`);
  }
  if (found.length > 0) {
    throw new BenchError(
      `the API server still holds ${found.join(', ')} (another operator bench is running, or one was killed before its clean-up). ` +
        `If none is running: kubectl --kubeconfig .local/k8s/kubeconfig patch <each tenant/cell> --type=merge -p '{"metadata":{"finalizers":null}}', then delete them and the namespaces.`,
    );
  }
}

/**
 * The run's Tenants and Cells (finalizers off first: the operator is stopped and nothing
 * else would remove them), then the cell namespaces the operator made.
 */
export async function removeRunObjects(api: KubeApi, runLabel: string): Promise<void> {
  for (const plural of ['tenants', 'cells']) {
    const path = `/apis/${GROUP}/${VERSION}/${plural}`;
    const { items } = await api.json<KubeList>('GET', `${path}?${new URLSearchParams({ labelSelector: runLabel })}`);
    await inParallel(items, 16, async (object) => {
      if (object.metadata.finalizers?.length)
        await api.request('PATCH', `${path}/${object.metadata.name}`, { metadata: { finalizers: null } }, 'application/merge-patch+json');
    });
    await mustKubectl(`deleting the ${plural}`, ['delete', plural, '-l', runLabel, '--wait=false', '--ignore-not-found']);
  }
  const { items } = await api.json<KubeList>('GET', `/api/v1/namespaces?${new URLSearchParams({ labelSelector: runLabel })}`);
  await removeNamespaces(
    api,
    items.map((ns) => ns.metadata.name),
  );
}

/**
 * Namespaces, emptied first: without a controller manager nothing deletes what is in a
 * namespace being deleted, or finalizes it, so it would stay `Terminating` for good.
 */
export async function removeNamespaces(api: KubeApi, names: string[]): Promise<void> {
  const kinds =
    'deployments,services,secrets,serviceaccounts,horizontalpodautoscalers,poddisruptionbudgets,networkpolicies,servicemonitors,leases,events,configmaps';
  for (const name of names) {
    await kubectl(['-n', name, 'delete', kinds, '--all', '--wait=false', '--ignore-not-found']);
    await kubectl(['delete', 'namespace', name, '--wait=false', '--ignore-not-found']);
    const ns = await api.read<KubeObject>(`/api/v1/namespaces/${name}`);
    if (ns) {
      ns.spec = { ...ns.spec, finalizers: [] };
      await api.request('PUT', `/api/v1/namespaces/${name}/finalize`, ns);
    }
  }
}

async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}
