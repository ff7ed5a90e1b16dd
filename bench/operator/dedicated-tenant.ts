// Measurement 1/3: a dedicated Tenant from `kubectl apply` to Ready (target < 30 s), with
// when its Cell was Ready and how its cell process started.
import { log } from '../lib/output';
import { apply } from './cluster';
import type { CellStart } from './kubelet-stand-in';
import { metricsDelta, operatorMetrics, type Reconciles } from './metrics';
import { conditionTrue, tenantActive, tenantManifest } from './resources';
import type { Stage } from './stage';
import { epochMs, seconds } from './time';

export interface DedicatedTenantFigures {
  name: string;
  /** kubectl apply → the Tenant Active and Ready in its own cell. */
  seconds: number;
  kubectlApplySeconds: number;
  cellReadySeconds: number;
  cellStart: CellStart | null;
  reconciles: Reconciles;
}

export async function measureDedicatedTenant({
  run,
  labels,
  dedicatedName,
  tenants,
  cells,
  standIn,
  metricsPort,
  timeoutMs,
}: Stage): Promise<DedicatedTenantFigures> {
  log(`operator: 1/3 kubectl apply of dedicated tenant ${dedicatedName} → Ready…`);
  const metricsBefore = await operatorMetrics(metricsPort);
  const dedicatedStart = epochMs();
  await apply(tenantManifest(labels, dedicatedName, { displayName: `Quán riêng ${run} (bench)`, plan: 'dedicated' }));
  const appliedAt = epochMs();
  const cellReady = cells.until(
    `cell ${dedicatedName} Ready`,
    (all) => conditionTrue(all.get(dedicatedName), 'Ready') && epochMs(),
    timeoutMs,
  );
  cellReady.catch(() => undefined); // awaited below, unless the tenant's wait fails first
  await tenants.until(`tenant ${dedicatedName} Ready`, (all) => tenantActive(all.get(dedicatedName), dedicatedName), timeoutMs);
  const dedicatedReadyAt = epochMs();
  const figures = {
    name: dedicatedName,
    seconds: seconds(dedicatedReadyAt - dedicatedStart),
    kubectlApplySeconds: seconds(appliedAt - dedicatedStart),
    cellReadySeconds: seconds((await cellReady) - dedicatedStart),
    cellStart: standIn.timeline(dedicatedName, dedicatedStart),
    reconciles: metricsDelta(metricsBefore, await operatorMetrics(metricsPort)),
  };
  log(`operator: ${dedicatedName} Ready after ${figures.seconds} s`);
  return figures;
}
