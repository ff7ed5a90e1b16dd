import type { Condition, ConditionStatus, ConditionType } from './resources';

/**
 * Sets one condition in a list, keeping `lastTransitionTime` when the status did not change
 * (a condition that flips time on every pass would look like flapping to anyone watching).
 */
export function withCondition(
  previous: Condition[] | undefined,
  type: ConditionType,
  status: ConditionStatus,
  reason: string,
  message: string,
  observedGeneration: number | undefined,
  now = new Date(),
): Condition[] {
  const old = previous?.find((c) => c.type === type);
  const lastTransitionTime = old && old.status === status && old.lastTransitionTime ? old.lastTransitionTime : now.toISOString();
  const next: Condition = {
    type,
    status,
    reason,
    message,
    lastTransitionTime,
    ...(observedGeneration !== undefined ? { observedGeneration } : {}),
  };
  return [...(previous ?? []).filter((c) => c.type !== type), next].sort((a, b) => ORDER.indexOf(a.type) - ORDER.indexOf(b.type));
}

const ORDER: ConditionType[] = ['Ready', 'Progressing', 'Degraded'];

export function conditionIs(conditions: Condition[] | undefined, type: ConditionType, status: ConditionStatus): boolean {
  return conditions?.some((c) => c.type === type && c.status === status) ?? false;
}

/** The three conditions of a pass at once: what is true now, in one place. */
export function conditionsOf(
  previous: Condition[] | undefined,
  generation: number | undefined,
  state: { ready: boolean; progressing: boolean; degraded: boolean; reason: string; message: string },
): Condition[] {
  let conditions = withCondition(previous, 'Ready', state.ready ? 'True' : 'False', state.reason, state.message, generation);
  conditions = withCondition(
    conditions,
    'Progressing',
    state.progressing ? 'True' : 'False',
    state.progressing ? state.reason : 'Stable',
    state.progressing ? state.message : 'Nothing to do.',
    generation,
  );
  return withCondition(
    conditions,
    'Degraded',
    state.degraded ? 'True' : 'False',
    state.degraded ? state.reason : 'AsExpected',
    state.degraded ? state.message : 'No problem seen.',
    generation,
  );
}
