// The stage the three measurements run on: the harness's API server with the CRDs, the copy
// of the demo database, the control plane and its router on the copy, the kubelet stand-in,
// the watches of the run's Tenants and Cells, the operator as a process, and the demo pooled
// cell and the chain adopted by it. Everything pushes its undoing on the phase's undo list.
import { readFileSync } from 'node:fs';
import { freePort } from '@localstore/common/testing';
import { API_SERVER_PID_FILE, KUBECONFIG } from '@localstore/flows/harness/kube-paths';
import { BenchError, log } from '../lib/output';
import { apply, mustKubectl, refuseLeftovers, removeNamespaces, removeRunObjects, startApiServer } from './cluster';
import { startControlPlane, type DemoToken } from './control-plane';
import type { Parties } from './cpu-tracker';
import { copyDemoDatabase } from './database-copy';
import { KubeApi } from './kube-api';
import { KubeletStandIn } from './kubelet-stand-in';
import { ObjectWatch } from './object-watch';
import { startOperator } from './operator-process';
import {
  API_VERSION,
  type Cell,
  conditionTrue,
  DEMO_POOLED_CELL,
  GROUP,
  type Tenant,
  tenantActive,
  tenantManifest,
  VERSION,
} from './resources';
import type { Environment } from './results';
import { onDatabase, type OperatorSettings } from './settings';
import type { UndoList } from '../lib/cleanup';

/** What the measurements use: the run's names, the watches, the stand-in, the router's port and the operator's metrics. */
export interface Stage {
  settings: OperatorSettings;
  run: string;
  /** The run's label, on everything the bench applies and the operator manages. */
  labels: Record<string, string>;
  /** The dedicated Tenant of the first measurement (and its cell's name). */
  dedicatedName: string;
  timeoutMs: number;
  /** The copy's URLs: as the application, as the schema owner, as the directory. */
  urls: { app: string; owner: string; control: string };
  tenants: ObjectWatch<Tenant>;
  cells: ObjectWatch<Cell>;
  standIn: KubeletStandIn;
  /** The control plane's port: its router. */
  cpPort: number;
  metricsPort: number;
  /** The chain owner's token. */
  owner: DemoToken;
  /** The CPU parties of a measurement (see cpu-tracker.ts). */
  parties: () => Parties;
  /** The operator's warnings and errors so far (operator-process.ts). */
  operatorProblems: Map<string, number>;
}

export async function setStage(
  settings: OperatorSettings,
  run: string,
  undo: UndoList,
  environment: Environment,
): Promise<Stage | { skipped: string }> {
  const runLabel = `localstore.vn/bench=${run}`;
  const labels = { 'localstore.vn/bench': run };
  const namespace = `bench-operator-${run}`;
  const copyName = `bench_operator_${run}`;
  const chain = settings.chain;
  const dedicatedName = `bench-${run}-dedicated`;
  const templatePrefix = `bench-${run}`;
  const timeoutMs = settings.timeoutSeconds * 1000;

  // The API server and the CRDs first: no point copying the database if they cannot come up.
  await startApiServer();
  const api = await KubeApi.connect(KUBECONFIG);
  undo.push('closing the API connections', () => api.close());
  await refuseLeftovers(api, [DEMO_POOLED_CELL, chain.slug]);

  log(`operator: copying database ${settings.sourceDatabase} to ${copyName} (the phase never writes to the demo data)…`);
  const copy = await copyDemoDatabase(settings, copyName, undo);
  if (copy.skipped !== undefined) return { skipped: copy.skipped };
  log(`operator: copied in ${copy.copySeconds} s`);
  const urls = {
    app: onDatabase(settings.databaseUrl, copyName),
    owner: onDatabase(settings.ownerUrl, copyName),
    control: onDatabase(settings.controlUrl, copyName),
  };

  // Ports fixed ahead, so the operator (another process) can be told every cell's endpoint.
  const cellNames = [DEMO_POOLED_CELL, dedicatedName, chain.slug, ...[1, 2, 3].map((n) => `${templatePrefix}-${n}`)];
  const taken = new Set<number>();
  const reservePort = async () => {
    for (;;) {
      const port = await freePort();
      if (taken.has(port)) continue;
      taken.add(port);
      return port;
    }
  };
  const ports = new Map<string, number>();
  for (const name of cellNames) ports.set(name, await reservePort());
  const cpPort = await reservePort();
  const metricsPort = await reservePort();

  // The Kubernetes side: a namespace for the operator (its Lease, the cells' database Secret).
  await mustKubectl('creating the namespace', ['create', 'namespace', namespace]);
  undo.push(`removing namespace ${namespace}`, () => removeNamespaces(api, [namespace]));
  await mustKubectl('creating the cell database Secret', [
    '-n',
    namespace,
    'create',
    'secret',
    'generic',
    'cell-database',
    `--from-literal=DATABASE_URL=${urls.app}`,
    `--from-literal=DATABASE_OWNER_URL=${urls.owner}`,
  ]);

  const { controlPlane, tokens } = await startControlPlane({ port: cpPort, pooledCellPort: ports.get(DEMO_POOLED_CELL)!, urls, undo });
  const owner = tokens.find((t) => t.slug === chain.slug);
  if (!owner) throw new BenchError(`the copied directory has no demo token for ${chain.slug}`);

  const standIn = new KubeletStandIn(api, runLabel, ports, urls.app);
  standIn.start();
  undo.push('stopping the cell API processes', () => standIn.stop());
  // Before the operator goes: with it stopped nothing puts a finalizer back.
  undo.push('deleting the Tenants, Cells and cell namespaces', () => removeRunObjects(api, runLabel));

  const tenants = new ObjectWatch<Tenant>(api, `/apis/${GROUP}/${VERSION}/tenants`, runLabel);
  const cells = new ObjectWatch<Cell>(api, `/apis/${GROUP}/${VERSION}/cells`, runLabel);
  await Promise.all([tenants.start(), cells.start()]);
  undo.push('stopping the watches', () => {
    tenants.stop();
    cells.stop();
  });

  const operator = startOperator({
    run,
    namespace,
    runLabel,
    templatePrefix,
    directoryUrl: urls.control,
    cellEndpoints: ports,
    jwksUrl: `http://127.0.0.1:${cpPort}/.well-known/jwks.json`,
    metricsPort,
    logLevel: settings.operatorLogLevel,
    undo,
    // Recorded, and said when not 0 (operator-process.ts).
    onExit: (exit) => (environment.operatorExitOnStop = exit),
  });
  log(
    `operator: pid ${operator.server.pid}, namespace ${namespace}, label ${runLabel}, database ${copyName}; its log: ${operator.logPath}`,
  );

  await adoptDemoCellAndChain({ settings, labels, tenants, cells, timeoutMs });

  // CPU per party while each figure is taken; the cells started during a measurement (the
  // dedicated ones) are not in the list: their share shows up as "other".
  const apiServerPid = Number(readFileSync(API_SERVER_PID_FILE, 'utf8').trim()) || null;
  const parties = (): Parties => ({
    operator: () => operator.server.pid,
    apiServer: () => apiServerPid,
    controlPlane: () => controlPlane.pid,
    cells: () => standIn.pids(),
  });
  Object.assign(environment, {
    namespace,
    database: copyName,
    copySeconds: copy.copySeconds,
    operatorLog: operator.logPath,
    chain: chain.slug,
  });
  return {
    settings,
    run,
    labels,
    dedicatedName,
    timeoutMs,
    urls,
    tenants,
    cells,
    standIn,
    cpPort,
    metricsPort,
    owner,
    parties,
    operatorProblems: operator.problems,
  };
}

/**
 * Adopt the demo pooled cell (its schema is the copy's cell_pooled: migrating it is a no-op)
 * and the chain, found by slug in the directory with its existing route.
 */
async function adoptDemoCellAndChain({
  settings,
  labels,
  tenants,
  cells,
  timeoutMs,
}: {
  settings: OperatorSettings;
  labels: Record<string, string>;
  tenants: ObjectWatch<Tenant>;
  cells: ObjectWatch<Cell>;
  timeoutMs: number;
}): Promise<void> {
  const chain = settings.chain;
  log(`operator: adopting the demo pooled cell ${DEMO_POOLED_CELL} and tenant ${chain.slug}…`);
  await apply({
    apiVersion: API_VERSION,
    kind: 'Cell',
    metadata: { name: DEMO_POOLED_CELL, labels },
    spec: {
      mode: 'pooled',
      version: '0.1.0',
      capacity: { maxTenants: 1000 },
      database: { secretName: 'cell-database', schema: 'cell_pooled' },
    },
  });
  await cells.until(`cell ${DEMO_POOLED_CELL} Ready`, (all) => conditionTrue(all.get(DEMO_POOLED_CELL), 'Ready'), timeoutMs);
  await apply(tenantManifest(labels, chain.slug, { displayName: chain.name, plan: 'pooled' }));
  const adopted = await tenants.until(
    `tenant ${chain.slug} Active in ${DEMO_POOLED_CELL}`,
    (all) => tenantActive(all.get(chain.slug), DEMO_POOLED_CELL) && all.get(chain.slug),
    timeoutMs,
  );
  if (adopted.status!.tenantId !== chain.id)
    throw new BenchError(
      `tenant ${chain.slug} got id ${adopted.status!.tenantId}, not the demo's ${chain.id}: the directory entry was not found by slug`,
    );
}
