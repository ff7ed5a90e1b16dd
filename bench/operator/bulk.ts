// Measurement 3/3: how fast many pooled Tenants applied at once (one server-side apply of a
// v1 List) become Active, and in which cells they are placed. No target: it is reported.
import { log } from '../lib/output';
import { type Summary, summarize } from '../lib/measure';
import { mustKubectl } from './cluster';
import type { ObjectWatch } from './object-watch';
import { API_VERSION, type Tenant, tenantActive } from './resources';
import type { OperatorSettings } from './settings';
import { epochMs, seconds } from './time';

export interface BulkFigures {
  tenants: number;
  active: number;
  /** The apply → the last Tenant Active; null when not all were. */
  seconds: number | null;
  kubectlApplySeconds: number;
  tenantsPerSecond: number | null;
  firstActiveSeconds: number | null;
  /** Seconds from the apply to each Tenant Active. */
  applyToActive: Summary;
  /** cell → how many of the Tenants it holds. */
  placedIn: Record<string, number>;
}

/** `tenants` pooled Tenants in one server-side apply of a v1 List, until every one is Active. */
export async function measureBulk({
  settings,
  run,
  labels,
  tenants,
  timeoutMs,
}: {
  settings: OperatorSettings;
  run: string;
  labels: Record<string, string>;
  tenants: ObjectWatch<Tenant>;
  timeoutMs: number;
}): Promise<BulkFigures> {
  const names = Array.from({ length: settings.tenants }, (_, i) => `bench-${run}-t${String(i + 1).padStart(4, '0')}`);
  const wanted = new Set(names);
  const activeAt = new Map<string, number>();
  const stop = tenants.listen((_type, tenant, at) => {
    const name = tenant.metadata.name;
    if (wanted.has(name) && !activeAt.has(name) && tenantActive(tenant)) activeAt.set(name, at);
  });
  const list = {
    apiVersion: 'v1',
    kind: 'List',
    items: names.map((name, i) => ({
      apiVersion: API_VERSION,
      kind: 'Tenant',
      metadata: { name, labels: { ...labels, 'localstore.vn/bench-set': 'bulk' } },
      spec: { displayName: `Quán thử tải ${i + 1} (bench)`, plan: 'pooled' },
    })),
  };
  const startedAt = epochMs();
  try {
    await mustKubectl('kubectl apply of the tenants', ['apply', '--server-side', '--field-manager=bench', '-f', '-'], JSON.stringify(list));
    const appliedAt = epochMs();
    try {
      await tenants.until(`${names.length} tenants Active`, () => activeAt.size === names.length, timeoutMs);
    } catch (error) {
      log(`operator: ${(error as Error).message} (${activeAt.size} were)`);
    }
    const doneAt = activeAt.size === names.length ? Math.max(...activeAt.values()) : null;
    const perTenant = [...activeAt.values()].map((at) => (at - startedAt) / 1000);
    const placedIn: Record<string, number> = {};
    for (const name of names) {
      const cell = tenants.objects.get(name)?.status?.cell ?? '(none)';
      placedIn[cell] = (placedIn[cell] ?? 0) + 1;
    }
    return {
      tenants: names.length,
      active: activeAt.size,
      seconds: doneAt ? seconds(doneAt - startedAt) : null,
      kubectlApplySeconds: seconds(appliedAt - startedAt),
      tenantsPerSecond: doneAt ? Math.round((names.length / ((doneAt - startedAt) / 1000)) * 10) / 10 : null,
      firstActiveSeconds: perTenant.length ? seconds(Math.min(...perTenant) * 1000) : null,
      applyToActive: summarize(perTenant),
      placedIn,
    };
  } finally {
    stop();
  }
}
