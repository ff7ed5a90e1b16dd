import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { installCrds, kubectl } from './operator-harness';

const MANIFEST = resolve(__dirname, '../../ai/deploy/inferenceservice.yaml');

/**
 * The model server's InferenceService against the real kube-apiserver with KServe's own
 * CRD (../shared/crds/serving.kserve.io): applied server-side as a dry run, so every field
 * is checked by the upstream schema, and a broken copy is refused.
 */
describe('the model server InferenceService', () => {
  beforeAll(async () => {
    await installCrds();
  }, 180_000);

  it('is accepted by the real InferenceService schema, with the gRPC port named h2c and Standard mode', () => {
    const applied = kubectl(['apply', '--dry-run=server', '-n', 'default', '-o', 'json', '-f', MANIFEST]);
    expect(applied.code, applied.out).toBe(0);
    const served = JSON.parse(applied.out) as { metadata: { annotations: Record<string, string> }; spec: { predictor: { containers: { ports: { name: string; containerPort: number }[]; securityContext: Record<string, unknown> }[] } } };
    expect(served.metadata.annotations['serving.kserve.io/deploymentMode']).toBe('Standard');
    const [container] = served.spec.predictor.containers;
    expect(container!.ports).toEqual([expect.objectContaining({ name: 'h2c', containerPort: 8081 })]);
    expect(container!.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
  });

  it('is refused when a field breaks the schema (the check is real)', () => {
    const broken = parse(readFileSync(MANIFEST, 'utf8')) as { spec: { predictor: Record<string, unknown> } };
    broken.spec.predictor.minReplicas = 'two';
    const applied = kubectl(['apply', '--dry-run=server', '-n', 'default', '-f', '-'], stringify(broken));
    expect(applied.code).not.toBe(0);
    expect(applied.out).toMatch(/minReplicas/);
  });
});
