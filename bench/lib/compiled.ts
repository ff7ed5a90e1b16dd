// The compiled modules (`make build`) the bench borrows from the parts it measures: the
// statements the dashboards run, the demo tokens, the config loaders. The bench loads the
// same files the servers run, so a figure and its raw-SQL floor use the same text; the types
// come from the sources they were built from.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CELL_DIST, CONTROL_PLANE_DIST, REPO_ROOT } from '@localstore/flows/harness/compiled-servers';
import { BenchError } from './output';

/** A compiled module, or a BenchError that says to build. */
function built<T>(dist: string, file: string): T {
  const path = join(dist, file);
  if (!existsSync(path)) throw new BenchError(`${path} is missing: run \`make build\``);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded at run time from the build, typed by its source
  return require(path) as T;
}

/** Fails early, naming every missing file, when a server the bench starts is not built. */
export function requireBuilt(files: string[]): void {
  const missing = files.filter((file) => !existsSync(join(REPO_ROOT, file)));
  if (missing.length > 0) throw new BenchError(`the servers are not built (${missing.join(', ')} missing): run \`make build\``);
}

export const cellDashboardSql = () =>
  built<typeof import('../../cell-api/src/dashboard/dashboard.repository')>(CELL_DIST, 'src/dashboard/dashboard.repository.js');
export const cellDemoTokens = () => built<typeof import('../../cell-api/scripts/demo-tokens')>(CELL_DIST, 'scripts/demo-tokens.js');
export const cellConfig = () => built<typeof import('../../cell-api/src/config/cell-config')>(CELL_DIST, 'src/config/cell-config.js');
export const cellDemoModel = () =>
  built<typeof import('../../cell-api/scripts/demo-data/demand-model')>(CELL_DIST, 'scripts/demo-data/demand-model.js');
export const cellInference = () =>
  built<typeof import('../../cell-api/src/integrations/inference/inference-client')>(
    CELL_DIST,
    'src/integrations/inference/inference-client.js',
  );
export const cellTensors = () =>
  built<typeof import('../../cell-api/src/integrations/inference/tensors')>(CELL_DIST, 'src/integrations/inference/tensors.js');
export const controlPlaneConfig = () =>
  built<typeof import('../../control-plane/src/config/control-plane-config')>(CONTROL_PLANE_DIST, 'src/config/control-plane-config.js');
export const controlPlaneDirectory = () =>
  built<typeof import('../../control-plane/src/database/data-source')>(CONTROL_PLANE_DIST, 'src/database/data-source.js');
export const controlPlanePaymentAccounts = () =>
  built<typeof import('../../control-plane/src/payments/payment-accounts.repository')>(
    CONTROL_PLANE_DIST,
    'src/payments/payment-accounts.repository.js',
  );
export const controlPlaneSecretSealer = () =>
  built<typeof import('../../control-plane/src/payments/secret-sealer')>(CONTROL_PLANE_DIST, 'src/payments/secret-sealer.js');
