import type { Cell } from '../kube/resources';
import { cellStatusFrom } from './cell-status';

const cell: Cell = {
  apiVersion: 'localstore.vn/v1alpha1',
  kind: 'Cell',
  metadata: { name: 'c', generation: 4 },
  spec: { mode: 'pooled', version: '1', database: { secretName: 's', schema: 'cell_c' } },
};
const seen = { endpoint: 'http://c', tenants: 3, availableReplicas: 2, wantedReplicas: 2, schemaCurrent: true, endpointAnswers: true };
const condition = (status: ReturnType<typeof cellStatusFrom>, type: string) => status.conditions!.find((c) => c.type === type)!;

describe("a cell's status", () => {
  it('is Ready only when pods, schema and endpoint all are, with the generation it saw', () => {
    const ready = cellStatusFrom(cell, seen);
    expect(condition(ready, 'Ready')).toMatchObject({ status: 'True', reason: 'Available', observedGeneration: 4 });
    expect(ready).toMatchObject({ tenants: 3, endpoint: 'http://c', observedGeneration: 4 });
    for (const missing of [{ availableReplicas: 0 }, { schemaCurrent: false }, { endpointAnswers: false }]) {
      const waiting = cellStatusFrom(cell, { ...seen, ...missing });
      expect(condition(waiting, 'Ready').status).toBe('False');
      expect(condition(waiting, 'Progressing')).toMatchObject({ status: 'True', reason: 'Provisioning' });
    }
  });

  it('says what it waits for', () => {
    const message = condition(cellStatusFrom(cell, { ...seen, availableReplicas: 0, schemaCurrent: false }), 'Ready').message;
    expect(message).toContain('pods: 0/2 available');
    expect(message).toContain('schema: migrations pending');
  });

  it('is Degraded with the reason when a deletion waits for tenants or a step failed', () => {
    expect(condition(cellStatusFrom(cell, { ...seen, deletionBlocked: { tenants: 1 } }), 'Degraded')).toMatchObject({
      status: 'True',
      reason: 'HasTenants',
      message: expect.stringContaining('still serves 1 tenant.'),
    });
    expect(
      condition(cellStatusFrom(cell, { ...seen, failure: { reason: 'SecretMissing', message: 'no secret' } }), 'Degraded'),
    ).toMatchObject({ status: 'True', reason: 'SecretMissing' });
  });

  it('keeps the transition time of a condition whose status did not change', () => {
    const first = cellStatusFrom(cell, seen);
    const stamped = {
      ...cell,
      status: { conditions: first.conditions!.map((c) => ({ ...c, lastTransitionTime: '2026-01-01T00:00:00.000Z' })) },
    };
    expect(condition(cellStatusFrom(stamped, seen), 'Ready').lastTransitionTime).toBe('2026-01-01T00:00:00.000Z');
    expect(condition(cellStatusFrom(stamped, { ...seen, endpointAnswers: false }), 'Ready').lastTransitionTime).not.toBe(
      '2026-01-01T00:00:00.000Z',
    );
  });
});
