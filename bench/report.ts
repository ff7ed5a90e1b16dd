// `make bench`'s report: every phase's table in order, then one JSON line with every figure,
// the verdicts and whether the run passed. What failed decides the exit status.
import { cellVerdicts, type CellVerdicts, cpuMsPerSaleUnderLoad, printCellReport, type ValueCheck } from './cell/report';
import { printControlPlaneReport, routerVerdict } from './control-plane/report';
import { out, type Check } from './lib/output';
import { OPERATOR_TARGETS, operatorFailures, operatorVerdicts, printOperatorReport } from './operator/phase';
import type { BenchResults } from './phases';
import { printRealtimeReport, REALTIME_TARGETS, realtimeFailures, realtimeVerdicts } from './realtime/phase';
import type { BenchSettings } from './settings';
import { TARGETS } from './targets';

export type Verdicts = CellVerdicts & { routerAddedP99?: ValueCheck };

/** What the report leads to: 1 when a request failed, a sale went missing, a limit did not hold, a later phase failed, or (strict) a target was missed. */
export interface Outcome {
  exitCode: 0 | 1;
}

export function verdicts(r: BenchResults): Verdicts {
  const cell = cellVerdicts(r);
  return r.controlPlane ? { ...cell, routerAddedP99: routerVerdict(r.controlPlane) } : cell;
}

/** Requests that failed in the cell's and the control plane's series, and the first few messages. */
export function failures(r: BenchResults): { count: number; first: string[] } {
  const series = [
    r.locationSeries,
    r.chainSeries,
    r.saleSeries,
    r.load,
    ...(r.controlPlane ? [r.controlPlane.router, r.controlPlane.otp] : []),
  ];
  return { count: series.reduce((sum, s) => sum + s.errors, 0), first: series.flatMap((s) => s.firstErrors).slice(0, 3) };
}

/** Prints every phase's report and the JSON line; returns the exit status. */
export function report(settings: BenchSettings, results: BenchResults): Outcome {
  const v = verdicts(results);
  const failed = failures(results);
  printCellReport(settings, results, v, failed);
  if (results.controlPlane) printControlPlaneReport(results.controlPlane, v.routerAddedP99!);
  if (results.realtime) printRealtimeReport(results.realtime);
  printOperatorPhase(results.operator);

  const operator = results.operator;
  const operatorFailed = operator !== null && 'failed' in operator;
  const realtimeChecks = realtimeVerdicts(results.realtime);
  const realtimeProblems: string[] = realtimeFailures(results.realtime);
  const operatorChecks: Record<string, Check> = operatorFailed ? {} : operatorVerdicts(operator);
  const operatorProblems: string[] = operatorFailed ? [operator.failed] : operatorFailures(operator);
  const perPhoneLimitHeld = results.controlPlane ? results.controlPlane.otp.perPhoneLimit.pass : null;
  const allPass = [...Object.values(v), ...(Object.values(realtimeChecks) as Check[]), ...Object.values(operatorChecks)].every(
    (check: Check) => check.pass,
  );
  out(
    JSON.stringify({
      bench: 'localstore-cell-api',
      at: new Date().toISOString(),
      environment: results.environment,
      targets: { ...TARGETS, realtime: REALTIME_TARGETS, operator: OPERATOR_TARGETS },
      locationDashboard: results.locationSeries,
      chainDashboard: results.chainSeries,
      recordSale: results.saleSeries.graphql,
      load: { clients: settings.clients, ...results.load },
      cpu: results.cpu,
      cpuMsPerSaleUnderLoad: cpuMsPerSaleUnderLoad(results),
      controlPlane: results.controlPlane,
      realtime: results.realtime,
      operator: results.operator,
      verdicts: v,
      salesRecordedCheck: results.recordedCheck,
      otpPerPhoneLimitHeld: perPhoneLimitHeld,
      realtimeVerdicts: realtimeChecks,
      realtimeProblems,
      operatorVerdicts: operatorChecks,
      operatorProblems,
      failedRequests: failed.count,
      pass: allPass && failed.count === 0 && perPhoneLimitHeld !== false && realtimeProblems.length === 0 && operatorProblems.length === 0,
    }),
  );
  if (
    failed.count > 0 ||
    results.recordedCheck === false ||
    perPhoneLimitHeld === false ||
    realtimeProblems.length > 0 ||
    operatorProblems.length > 0
  )
    return { exitCode: 1 };
  return { exitCode: !allPass && settings.strict ? 1 : 0 };
}

function printOperatorPhase(operator: BenchResults['operator']): void {
  if (!operator) return;
  if ('failed' in operator) {
    out('');
    out(`operator: FAILED — ${operator.failed}`);
    return;
  }
  printOperatorReport(operator);
}
