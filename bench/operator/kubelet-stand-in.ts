// The kubelet stand-in (there is no kubelet): a compiled cell API process for each cell
// Deployment the operator creates, reported available once it answers its readiness probe.
// It records when each cell's Deployment was seen, its process started, its probe answered
// and it was reported available: the "cell start" timeline of the dedicated tenant and the
// promotion.
import type { V1Deployment } from '@kubernetes/client-node';
import { freePort } from '@localstore/common/testing';
import { CELL_MAIN, CompiledServer } from '@localstore/flows/harness/compiled-servers';
import { availableStatus, cellContainerEnv, isAvailable, readinessProbePath } from '@localstore/flows/harness/kubelet';
import { HttpClient } from '../lib/http-client';
import { log } from '../lib/output';
import type { KubeApi } from './kube-api';
import { MANAGED_BY } from './resources';
import { epochMs, seconds, sleep } from './time';

/** How often the stand-in looks for new Deployments and probes the cells it started. */
export const STAND_IN_POLL_MS = 100;

interface RunningCell {
  env: Record<string, string>;
  probePath: string;
  seenAt: number;
  startedAt?: number;
  readyAt?: number;
  availableAt?: number;
  port?: number;
  server?: CompiledServer;
  client?: HttpClient;
  restarting?: boolean;
}

/** When a cell's start went through each stage, in seconds after a moment. */
export interface CellStart {
  deploymentSeen: number | null;
  processStarted: number | null;
  readinessProbeOk: number | null;
  reportedAvailable: number | null;
}

/**
 * For each cell Deployment (label managed-by and the run's label), start a real cell API
 * process and, once it answers the Deployment's readiness probe, report the Deployment
 * available through its status subresource, as a kubelet and the Deployment controller would
 * together. Polls every 100 ms, so it adds about that to each cell's start. A cell process
 * that exits is started again after 1 s.
 */
export class KubeletStandIn {
  /** cell name → its process and the moments of its start */
  private readonly cells = new Map<string, RunningCell>();
  private readonly selector: string;
  private stopped = false;
  private loop: Promise<void> | undefined;
  readonly errors: string[] = [];

  constructor(
    private readonly api: KubeApi,
    runLabel: string,
    /** The ports reserved for the cells the operator was told of (CELL_ENDPOINTS). */
    private readonly ports: Map<string, number>,
    private readonly databaseUrl: string,
  ) {
    this.selector = `${MANAGED_BY},${runLabel}`;
  }

  start(): void {
    this.loop = (async () => {
      while (!this.stopped) {
        const started = performance.now();
        try {
          await this.pass();
        } catch (error) {
          if (this.errors.length < 5) this.errors.push((error as Error).message);
        }
        await sleep(Math.max(0, STAND_IN_POLL_MS - (performance.now() - started)));
      }
    })();
  }

  private async pass(): Promise<void> {
    const { items } = await this.api.json<{ items: V1Deployment[] }>(
      'GET',
      `/apis/apps/v1/deployments?${new URLSearchParams({ labelSelector: this.selector })}`,
    );
    for (const deployment of items) {
      const env = cellContainerEnv(deployment);
      const name = env.CELL_NAME;
      if (!name) continue;
      let cell = this.cells.get(name);
      if (!cell) {
        cell = { seenAt: epochMs(), env, probePath: readinessProbePath(deployment) };
        this.cells.set(name, cell);
        await this.run(name, cell);
      }
      if (cell.server?.exited && !this.stopped && !cell.restarting) {
        const restarted = cell;
        restarted.restarting = true;
        log(`kubelet stand-in: the cell API of ${name} exited (${JSON.stringify(cell.server.exited)}); starting it again in 1 s`);
        setTimeout(() => this.run(name, restarted).finally(() => (restarted.restarting = false)), 1_000);
      }
      if (isAvailable(deployment) || !cell.readyAt) continue;
      await this.api.json(
        'PATCH',
        `/apis/apps/v1/namespaces/${deployment.metadata!.namespace}/deployments/${deployment.metadata!.name}/status`,
        availableStatus(deployment),
        'application/merge-patch+json',
      );
      cell.availableAt ??= epochMs();
    }
  }

  /** The cell's process on its reserved port, and its readiness probe until it answers 200. */
  private async run(name: string, cell: RunningCell): Promise<void> {
    let port = this.ports.get(name);
    if (!port) {
      port = await freePort();
      log(`kubelet stand-in: cell ${name} has no reserved port (the operator cannot reach it through CELL_ENDPOINTS); using ${port}`);
    }
    cell.port = port;
    cell.server = new CompiledServer({
      name: `cell ${name}`,
      args: [CELL_MAIN],
      env: cellEnv({
        CELL_NAME: name,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: this.databaseUrl,
        DATABASE_SCHEMA: cell.env.DATABASE_SCHEMA,
        AUTH_JWKS_URL: cell.env.AUTH_JWKS_URL,
      }),
    });
    cell.startedAt ??= epochMs();
    cell.client ??= new HttpClient(port);
    const server = cell.server;
    const client = cell.client;
    void (async () => {
      while (!this.stopped && !server.exited) {
        try {
          const { status } = await client.get(cell.probePath);
          if (status === 200) {
            cell.readyAt ??= epochMs();
            return;
          }
        } catch {
          // not listening yet
        }
        await sleep(STAND_IN_POLL_MS);
      }
    })();
  }

  /** Times of the cell's start, relative to `from` (ms since epoch), in seconds. */
  timeline(name: string, from: number): CellStart | null {
    const cell = this.cells.get(name);
    if (!cell) return null;
    const rel = (at: number | undefined) => (at === undefined ? null : seconds(at - from));
    return {
      deploymentSeen: rel(cell.seenAt),
      processStarted: rel(cell.startedAt),
      readinessProbeOk: rel(cell.readyAt),
      reportedAvailable: rel(cell.availableAt),
    };
  }

  pids(): number[] {
    return [...this.cells.values()].map((c) => c.server?.pid).filter((pid): pid is number => Boolean(pid));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    await Promise.all(
      [...this.cells.values()].map(async (cell) => {
        cell.client?.close();
        await cell.server?.stop();
      }),
    );
  }
}

/** A cell API's environment: ours without what would point it elsewhere, plus `env`. */
function cellEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', ...env };
  // Embedded fallbacks (in-process cache, bus, Socket.IO adapter), as the other phases run;
  // the demo key file would make the cell ignore AUTH_JWKS_URL.
  for (const name of ['REDIS_URL', 'NATS_URL', 'AUTH_JWKS_FILE', 'DATABASE_OWNER_URL']) delete base[name];
  return base;
}
