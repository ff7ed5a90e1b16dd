import { conditionsOf } from '../kube/conditions';
import type { Cell, CellStatus } from '../kube/resources';

/** What one pass saw of a cell: the three readiness checks, or why it could not look. */
export interface CellObservation {
  endpoint: string;
  tenants: number;
  availableReplicas: number;
  wantedReplicas: number;
  schemaCurrent: boolean;
  endpointAnswers: boolean;
  /** A problem that stops the pass (missing Secret, failed migration), with its reason. */
  failure?: { reason: string; message: string };
  /** Deletion waits for the cell to empty. */
  deletionBlocked?: { tenants: number };
}

/**
 * The status a pass writes, computed from what it saw. Ready needs all three: pods
 * available, schema at the current migration, and the endpoint answering `/readyz`.
 */
export function cellStatusFrom(cell: Cell, seen: CellObservation): CellStatus {
  const generation = cell.metadata?.generation;
  const base = { tenants: seen.tenants, endpoint: seen.endpoint, observedGeneration: generation };
  const previous = cell.status?.conditions;
  if (seen.deletionBlocked) {
    const n = seen.deletionBlocked.tenants;
    return {
      ...base,
      conditions: conditionsOf(previous, generation, {
        ready: false,
        progressing: false,
        degraded: true,
        reason: 'HasTenants',
        message: `Deletion refused: the cell still serves ${n} tenant${n === 1 ? '' : 's'}. Move or delete them first; nothing was deleted.`,
      }),
    };
  }
  if (seen.failure) {
    return {
      ...base,
      conditions: conditionsOf(previous, generation, { ready: false, progressing: false, degraded: true, ...seen.failure }),
    };
  }
  const waiting: string[] = [];
  if (seen.availableReplicas < 1) waiting.push(`pods: ${seen.availableReplicas}/${seen.wantedReplicas} available`);
  if (!seen.schemaCurrent) waiting.push('schema: migrations pending');
  if (!seen.endpointAnswers) waiting.push(`endpoint: ${seen.endpoint}/readyz does not answer yet`);
  if (waiting.length > 0) {
    return {
      ...base,
      conditions: conditionsOf(previous, generation, {
        ready: false,
        progressing: true,
        degraded: false,
        reason: 'Provisioning',
        message: `Waiting for ${waiting.join('; ')}.`,
      }),
    };
  }
  return {
    ...base,
    conditions: conditionsOf(previous, generation, {
      ready: true,
      progressing: false,
      degraded: false,
      reason: 'Available',
      message: `${seen.availableReplicas}/${seen.wantedReplicas} pods available, schema current, ${seen.endpoint} ready.`,
    }),
  };
}
