// The phase's verdicts and report: each figure against issue 5's targets, what went wrong
// (not only slow), and the table and lines the bench prints.
import { mark, out, printTable, type CpuShares } from '../lib/output';
import type { Summary } from '../lib/measure';
import { STAND_IN_POLL_MS } from './kubelet-stand-in';
import type { Reconciles } from './metrics';
import type { OperatorOutcome } from './results';

/** Issue 5's targets. The reconcile throughput has none: it is reported. */
export const OPERATOR_TARGETS = {
  dedicatedTenantReadySeconds: 30,
  promotionSeconds: 60,
  writePauseSeconds: 2,
};

export interface Verdict {
  value: number | null | undefined;
  target: number;
  pass: boolean;
}

/** PASS/MISS per target; an unmeasured figure misses. */
export function operatorVerdicts(r: OperatorOutcome | null | undefined): Record<string, Verdict> {
  if (!r || r.skipped !== undefined) return {};
  const check = (value: number | null | undefined, target: number): Verdict => ({
    value,
    target,
    pass: value !== null && value !== undefined && value < target,
  });
  return {
    dedicatedTenantReady: check(r.dedicatedTenant.seconds, OPERATOR_TARGETS.dedicatedTenantReadySeconds),
    promotion: check(r.promotion.seconds, OPERATOR_TARGETS.promotionSeconds),
    writePause: check(r.promotion.writePauseSeconds, OPERATOR_TARGETS.writePauseSeconds),
  };
}

/** Whether the phase saw something wrong, not only slow: a lost or doubled sale, a failed request. */
export function operatorFailures(r: OperatorOutcome | null | undefined): string[] {
  if (!r || r.skipped !== undefined) return [];
  const problems: string[] = [];
  if (!r.promotion.check.pass) problems.push(`acknowledged sales and the dedicated cell disagree: ${JSON.stringify(r.promotion.check)}`);
  if (r.promotion.errors > 0) problems.push(`${r.promotion.errors} sale(s) failed: ${r.promotion.firstErrors.join('; ')}`);
  if (r.promotion.rolledBack) problems.push('the promotion rolled back');
  if (r.bulk.active < r.bulk.tenants) problems.push(`only ${r.bulk.active} of ${r.bulk.tenants} tenants became Active`);
  return problems;
}

const sec = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${x.toFixed(2)} s`);
const msf = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '—');

const reconcileText = (delta: Reconciles | undefined) =>
  Object.entries(delta ?? {})
    .map(([kind, d]) => `${kind} ${d.ok}${d.error ? ` (+${d.error} failed)` : ''} in ${d.seconds} s`)
    .join(', ');

const cpuText = (cpu: CpuShares | null) =>
  cpu
    ? `${Object.entries(cpu)
        .filter(([k]) => k !== 'machinePercent')
        .map(([k, x]) => `${k} ${x}%`)
        .join(', ')}; machine ${cpu.machinePercent}%`
    : 'not measured';

export function printOperatorReport(r: OperatorOutcome): void {
  out('');
  if (r.skipped !== undefined) {
    out(`operator: SKIPPED — ${r.skipped}`);
    return;
  }
  const v = operatorVerdicts(r);
  const { dedicatedTenant: d, promotion: p, bulk: b } = r;
  const rows: string[][] = [];
  const single = (label: string, value: string, target = '', result = '', n: number | string = '') =>
    rows.push([label, String(n), '', value, '', target, result]);
  const latency = (label: string, s: Summary) => rows.push([label, String(s.n), msf(s.p50), msf(s.p95), msf(s.p99), '', '']);
  single(
    `kubectl apply → Ready, dedicated tenant`,
    sec(d.seconds),
    `< ${OPERATOR_TARGETS.dedicatedTenantReadySeconds} s`,
    mark(v.dedicatedTenantReady!),
    1,
  );
  const start = d.cellStart ?? { processStarted: null, readinessProbeOk: null };
  single('  its Cell Ready after', sec(d.cellReadySeconds));
  single('  cell process started / readiness probe OK after', `${sec(start.processStarted)} / ${sec(start.readinessProbeOk)}`);
  single(
    `promotion of ${p.tenant} (${p.ordersBefore.toLocaleString('en')} orders): plan change → route switch`,
    sec(p.seconds),
    `< ${OPERATOR_TARGETS.promotionSeconds} s`,
    mark(v.promotion!),
    1,
  );
  for (const step of p.steps) {
    if (step.step === 'Done') continue; // the clean-up's end: its own row below
    single(`  step ${step.step} (from +${sec(step.startedAfter)})`, sec(step.seconds));
  }
  single(
    '  write pause: longest gap between acknowledged sales',
    sec(p.writePauseSeconds),
    `< ${OPERATOR_TARGETS.writePauseSeconds} s`,
    mark(v.writePause!),
  );
  single('  writes refused (first refusal → acknowledgement)', `${sec(p.writesRefusedSeconds)}, ${p.refusedAttempts} retries`);
  single('  route draining → switched (directory)', sec(p.routeDrainedSeconds));
  latency('  recordSale via the router during the move (not refused)', p.saleLatency);
  latency('  recordSale via the router before the move', p.saleLatencyBefore);
  single(
    '  sales acknowledged (during the move) / found in the dedicated cell once',
    `${p.acknowledged} (${p.acknowledgedDuringMove}) / ${p.check.pass ? 'all' : 'NOT all'}`,
    '',
    p.check.pass ? 'PASS' : 'FAIL',
    p.acknowledged,
  );
  single(`  clean-up of the pooled copy after the switch`, sec(p.cleanupSeconds));
  single(`${b.tenants} pooled tenants, one kubectl apply → all Active`, sec(b.seconds), 'none given', '', b.tenants);
  single('  throughput', b.tenantsPerSecond === null ? '—' : `${b.tenantsPerSecond} tenants/s`);
  single('  kubectl apply returned after / first tenant Active after', `${sec(b.kubectlApplySeconds)} / ${sec(b.firstActiveSeconds)}`);
  latency('  apply → Active per tenant (s)', b.applyToActive);

  const e = r.environment;
  out(
    `operator: on a copy of the demo database (${e.database}, copied in ${e.copySeconds} s, dropped afterwards), the operator as a process, ` +
      `a kubelet stand-in polling every ${STAND_IN_POLL_MS} ms, the control plane's router; run ${e.run}, ${e.phaseSeconds} s in all`,
  );
  out('');
  printTable(rows);
  out('');
  out(
    `promotion: refused by ${
      Object.entries(p.refusedBy)
        .map(([by, n]) => `${by} ×${n}`)
        .join(', ') || 'no one'
    }; the route drained at +${sec(p.drainingAt)} and switched at +${sec(p.switchedAt)}; ` +
      `${p.check.ordersInDedicated.toLocaleString('en')} orders in ${p.dedicatedSchema} (expected ${p.check.ordersExpected.toLocaleString('en')})` +
      `${p.check.leftInPooled === null ? '' : `, ${p.check.leftInPooled} left in the pooled cell`}.`,
  );
  out(
    `promotion: ${p.rowsCopied === null ? '' : `${p.rowsCopied.toLocaleString('en')} rows in ${p.tablesCopied} tables copied; `}CPU (% of one core, from the plan change to the end of the clean-up) ${cpuText(p.cpu)}`,
  );
  out("promotion, database time of the operator's statements by step (sampled every 200 ms; several run at once while verifying):");
  for (const [step, figures] of Object.entries(p.databaseTime ?? {})) {
    const statements = Object.entries(figures.statements)
      .map(([what, s]) => `${what} ${s} s`)
      .join(', ');
    const waits = Object.entries(figures.waits)
      .map(([wait, share]) => `${wait} ${share}%`)
      .join(', ');
    if (statements) out(`  ${step}: ${statements} (waiting: ${waits})`);
  }
  out(`${b.tenants} tenants: CPU (% of one core) ${cpuText(b.cpu)}`);
  out(
    `reconciles: dedicated tenant ${reconcileText(d.reconciles)}; promotion ${reconcileText(p.reconciles)}; ${b.tenants} tenants ${reconcileText(b.reconciles)}; placed in ${Object.entries(
      b.placedIn,
    )
      .map(([c, n]) => `${c} ×${n}`)
      .join(', ')}.`,
  );
  const problems = Object.entries(e.operatorProblems ?? {});
  if (problems.length > 0)
    out(
      `operator warnings/errors: ${problems
        .slice(0, 5)
        .map(([msg, n]) => `${n} × ${msg}`)
        .join('; ')} (see ${e.operatorLog})`,
    );
  const exit = e.operatorExitOnStop;
  if (exit && exit.code !== 0)
    out(`operator process: exited with ${exit.code ?? exit.signal} on SIGTERM, not 0 (see the end of ${e.operatorLog}).`);
  const disturbed = (
    [
      ['promotion', p.cpu],
      [`${b.tenants} tenants`, b.cpu],
    ] as const
  )
    .filter(([, cpu]) => cpu && cpu.other > 25)
    .map(([name]) => name);
  if (disturbed.length > 0 || (e.machineBusyBeforeStartPercent ?? 0) > 20) {
    out(
      `WARNING: other work was running (${disturbed.join(', ') || 'before the phase'}): these figures are disturbed, run again on a quiet machine.`,
    );
  }
  for (const problem of operatorFailures(r)) out(`PROBLEM: ${problem}`);
}
