// The phase's result object, as run.ts prints it and writes it to the bench's JSON: where it
// ran, then the figures of each measurement with the CPU each party used meanwhile.
import type { Exit } from '@localstore/flows/harness/compiled-servers';
import type { CpuShares } from '../lib/output';
import type { BulkFigures } from './bulk';
import type { DedicatedTenantFigures } from './dedicated-tenant';
import type { Reconciles } from './metrics';
import type { PromotionFigures } from './promotion';

export interface Environment {
  run: string;
  namespace?: string;
  /** The database copy the phase ran on. */
  database?: string;
  copySeconds?: number;
  operatorLog?: string;
  chain?: string;
  /** The operator's warnings and errors: message → how many times. */
  operatorProblems?: Record<string, number>;
  standInErrors?: string[];
  phaseSeconds?: number;
  /** How the operator ended on SIGTERM (set by the clean-up). */
  operatorExitOnStop?: Exit | null;
  /** How busy the machine was before the phase (set by the runner). */
  machineBusyBeforeStartPercent?: number | null;
}

export interface OperatorResults {
  skipped?: undefined;
  environment: Environment;
  dedicatedTenant: DedicatedTenantFigures;
  promotion: PromotionFigures & { cpu: CpuShares | null };
  bulk: BulkFigures & { cpu: CpuShares | null; reconciles?: Reconciles };
}

/** The figures, or why the phase did not run (the demo database could not be copied now). */
export type OperatorOutcome = OperatorResults | { skipped: string };
