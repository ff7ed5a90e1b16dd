import { resolve } from 'node:path';
import { REPO_ROOT } from './compiled-servers';

/**
 * Where the harness's API server (`scripts/k8s.sh up`: kube-apiserver and etcd, no kubelet)
 * and its tools live, as the scripts name them: `LOCALSTORE_LOCAL_DIR`, or `.local/` of the
 * checkout. The flows that run the operator and the operator bench both reach it from here.
 */
export const LOCAL_DIR = process.env.LOCALSTORE_LOCAL_DIR || resolve(REPO_ROOT, '.local');
export const KUBECTL = resolve(LOCAL_DIR, 'bin/kubectl');
export const KUBECONFIG = resolve(LOCAL_DIR, 'k8s/kubeconfig');
/** The pid of the API server `scripts/k8s.sh up` started (the bench counts its CPU). */
export const API_SERVER_PID_FILE = resolve(LOCAL_DIR, 'k8s/k8s-harness.pid');
/** Starts the API server, idempotently: `scripts/k8s.sh up`. */
export const K8S_SCRIPT = resolve(REPO_ROOT, 'scripts/k8s.sh');
/** Our CRDs (Tenant, Cell), as the chart installs them. */
export const LOCALSTORE_CRDS = resolve(REPO_ROOT, 'charts/localstore/crds');
/** The upstream CRDs the operator's objects refer to (ServiceMonitor, InferenceService, …), one folder per group. */
export const SHARED_CRDS = resolve(REPO_ROOT, '../shared/crds');
