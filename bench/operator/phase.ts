// The operator's figures (issue 5): how long a `kubectl apply` of a dedicated Tenant takes to
// be Ready, how long promoting the demo chain from the pooled cell to its own takes and how
// long its writes pause meanwhile, and how fast 500 Tenants applied at once become Active.
// Runs after the other phases from run.ts (BENCH_OPERATOR=0 skips it), or on its own
// (standalone.ts).
//
// What is real: the API server of `scripts/k8s.sh up` with the CRDs, the compiled operator
// as a process, the compiled control plane and its router, a real cell API process per cell,
// PostgreSQL. What stands in: the kubelet (kubelet-stand-in.ts). Everything runs on a
// throw-away copy of the demo database (database-copy.ts), dropped at the end, also after an
// error or Ctrl-C. See bench/README.md, "The operator's figures".
import { randomBytes } from 'node:crypto';
import { requireBuilt } from '../lib/compiled';
import { log } from '../lib/output';
import { measureBulk } from './bulk';
import { withCpuTracked } from './cpu-tracker';
import { measureDedicatedTenant } from './dedicated-tenant';
import { metricsDelta, operatorMetrics } from './metrics';
import { measurePromotion } from './promotion';
import type { OperatorOutcome, OperatorResults } from './results';
import type { OperatorSettings } from './settings';
import { setStage } from './stage';
import { epochMs, seconds } from './time';
import { type Cleanup, UndoList } from '../lib/cleanup';

export { readOperatorSettings, type OperatorSettings } from './settings';
export { OPERATOR_TARGETS, operatorFailures, operatorVerdicts, printOperatorReport } from './report';
export type { OperatorOutcome, OperatorResults } from './results';

/**
 * Runs the phase: set-up, the three measurements, clean-up. Returns the figures, or
 * `{ skipped }` with the reason when the demo database cannot be copied now. `cleanup` (the
 * runner's) gets one step that undoes whatever is still up after a Ctrl-C; the phase undoes
 * everything itself before it returns.
 */
export async function measureOperator({ settings, cleanup }: { settings: OperatorSettings; cleanup: Cleanup }): Promise<OperatorOutcome> {
  requireBuilt([
    'operator/dist/src/main.js',
    'cell-api/dist/src/main.js',
    'control-plane/dist/src/main.js',
    'control-plane/dist/scripts/migrate.js',
    'control-plane/dist/scripts/demo-directory.js',
  ]);
  const run = randomBytes(3).toString('hex');
  const undo = new UndoList('operator phase', { stepTimeoutMs: 60_000 });
  cleanup.push(() => undo.run());
  try {
    return await measure(settings, run, undo);
  } finally {
    await undo.run();
  }
}

async function measure(settings: OperatorSettings, run: string, undo: UndoList): Promise<OperatorOutcome> {
  const phaseStartedAt = epochMs();
  const environment: OperatorResults['environment'] = { run };
  const stage = await setStage(settings, run, undo, environment);
  if ('skipped' in stage) return stage;

  // 1. A dedicated Tenant from nothing to Ready.
  const dedicatedTenant = await measureDedicatedTenant(stage);

  // 2. The chain promoted while a client keeps selling.
  const promotion = await withCpuTracked(stage.parties(), () => measurePromotion(stage));

  // 3. Many pooled Tenants at once.
  log(`operator: 3/3 ${settings.tenants} pooled tenants in one kubectl apply…`);
  const metricsBefore = await operatorMetrics(stage.metricsPort);
  const bulk = await withCpuTracked(stage.parties(), () => measureBulk(stage));
  const results: OperatorResults = {
    environment,
    dedicatedTenant,
    promotion: { ...promotion.result, cpu: promotion.cpu },
    bulk: { ...bulk.result, cpu: bulk.cpu },
  };
  results.bulk.reconciles = metricsDelta(metricsBefore, await operatorMetrics(stage.metricsPort));

  environment.operatorProblems = Object.fromEntries(stage.operatorProblems);
  environment.standInErrors = stage.standIn.errors;
  environment.phaseSeconds = seconds(epochMs() - phaseStartedAt);
  return results;
}
