// `make bench`'s phases in order: the cell, the control plane, real time, the operator. The
// last two start servers of their own: those of the phases before are stopped first, and
// their failure does not take the other figures with it (it is reported, and the exit status
// is 1).
import { measureCell, type CellFigures } from './cell/phase';
import { measureControlPlane, type ControlPlaneFigures } from './control-plane/phase';
import { type Cleanup, undoAll } from './lib/cleanup';
import { requireBuilt } from './lib/compiled';
import { waitForQuietMachine } from './lib/cpu';
import { BenchError, log } from './lib/output';
import { measureOperator, type OperatorSettings } from './operator/phase';
import { measureRealtime, type RealtimeSettings } from './realtime/phase';
import type { BenchSettings } from './settings';

/** A phase that failed on a precondition: its message stands in for its figures. */
export interface PhaseFailure {
  failed: string;
}

export type RealtimeOutcome = Awaited<ReturnType<typeof measureRealtime>> | PhaseFailure;
export type OperatorOutcome = Awaited<ReturnType<typeof measureOperator>> | PhaseFailure;

export interface BenchResults extends CellFigures {
  controlPlane: ControlPlaneFigures | null;
  realtime: RealtimeOutcome | null;
  operator: OperatorOutcome | null;
}

export async function runPhases(settings: BenchSettings, cleanup: Cleanup): Promise<BenchResults> {
  requireBuilt([
    'cell-api/dist/scripts/demo-tokens.js',
    'cell-api/dist/src/dashboard/dashboard.repository.js',
    'cell-api/dist/src/main.js',
    'cell-api/dist/src/config/cell-config.js',
    'control-plane/dist/src/main.js',
    'control-plane/dist/scripts/migrate.js',
    'control-plane/dist/scripts/demo-directory.js',
  ]);
  const cellFigures = await measureCell(settings, cleanup);
  const controlPlane = settings.controlPlane ? await measureControlPlane(settings, cleanup) : null;
  const realtime = settings.realtimeSettings ? await measureRealtimePhase(settings.realtimeSettings, settings, cleanup) : null;
  const operator = settings.operatorSettings ? await measureOperatorPhase(settings.operatorSettings, settings, cleanup) : null;
  return { ...cellFigures, controlPlane, realtime, operator };
}

/**
 * The real-time phase starts two cells and a control plane of its own on NATS: the servers
 * of the phases before are stopped first (they are done, and a control plane of theirs on
 * the same NATS would answer the phase's checkouts).
 */
async function measureRealtimePhase(phase: RealtimeSettings, settings: BenchSettings, cleanup: Cleanup): Promise<RealtimeOutcome> {
  await undoAll(cleanup);
  const busy = await waitForQuietMachine(settings.quietWaitSeconds);
  try {
    const figures = await measureRealtime(phase, cleanup);
    noteBusyBefore(figures, busy);
    return figures;
  } catch (error) {
    if (!(error instanceof BenchError)) throw error;
    log(`the real-time phase failed: ${error.message}`);
    return { failed: error.message };
  }
}

/**
 * The operator's phase copies the demo database, which PostgreSQL allows only with no one
 * connected to it: the servers and pools of the phases before are stopped first (they are
 * done).
 */
async function measureOperatorPhase(phase: OperatorSettings, settings: BenchSettings, cleanup: Cleanup): Promise<OperatorOutcome> {
  await undoAll(cleanup);
  const busy = await waitForQuietMachine(settings.quietWaitSeconds);
  try {
    const figures = await measureOperator({ settings: phase, cleanup });
    noteBusyBefore(figures, busy);
    return figures;
  } catch (error) {
    if (!(error instanceof BenchError)) throw error;
    log(`the operator phase failed: ${error.message}`);
    return { failed: error.message };
  }
}

/** How busy the machine was before a phase, in its figures' environment (a skipped phase has none). */
function noteBusyBefore(figures: object, busy: number | null): void {
  if ('environment' in figures && typeof figures.environment === 'object' && figures.environment !== null)
    (figures.environment as Record<string, unknown>).machineBusyBeforeStartPercent = busy;
}
