// The control plane's part of `make bench`'s report: the router's added p99 against its target,
// token verification in µs, the OTP sign-ins and the per-phone limit, and the CPU per party.
import type { Summary } from '../lib/measure';
import { mark, ms, out, printCpu, printTable } from '../lib/output';
import { TARGETS } from '../targets';
import type { ValueCheck } from '../cell/report';
import { BENCH_OTP_LIMITS } from './env';
import type { ControlPlaneFigures } from './phase';

const micros = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : '—');

/** Issue 4: what the router adds to a request's p99. */
export function routerVerdict(cp: ControlPlaneFigures): ValueCheck {
  const added = cp.router.addedP99Ms;
  return { value: added, target: TARGETS.routerAddedP99Ms, pass: added < TARGETS.routerAddedP99Ms };
}

export function printControlPlaneReport(cp: ControlPlaneFigures, routerAddedP99: ValueCheck): void {
  const rows: string[][] = [];
  const latencyRow = (label: string, s: Summary, format: (x: number) => string = ms) =>
    rows.push([label, String(s.n), format(s.p50), format(s.p95), format(s.p99), '', '']);
  const { router, tokenVerification: tokens, otp } = cp;
  latencyRow(`location dashboard via the router (Host ${router.host})`, router.routed);
  latencyRow('  same request straight to the cell (X-Tenant)', router.direct);
  rows.push([
    '  added by the router (p50, p99 differences)',
    '',
    ms(router.addedP50Ms),
    '',
    ms(router.addedP99Ms),
    `p99 added < ${TARGETS.routerAddedP99Ms} ms`,
    mark(routerAddedP99),
  ]);
  latencyRow('  router − cell, request by request', router.pairedDifference);
  latencyRow('token verification, first use: ES256 (µs)', tokens.uncached, micros);
  latencyRow('  same token again, cached (µs)', tokens.cached, micros);
  rows.push([
    '  mean per verification, first use / cached',
    '',
    '',
    `${micros(tokens.uncached.meanMicros)} / ${micros(tokens.cached.meanMicros)} µs`,
    '',
    '',
    '',
  ]);
  latencyRow(`OTP request, ${otp.clients} clients`, otp.request);
  latencyRow(`OTP verify, ${otp.clients} clients`, otp.verify);
  rows.push([
    `OTP sign-ins (request + verify), ${otp.clients} clients, ${otp.elapsedSeconds} s`,
    String(otp.pairs),
    '',
    `${otp.pairsPerSecond} pairs/s`,
    '',
    '',
    '',
  ]);
  const limit = otp.perPhoneLimit;
  rows.push(['  same phone again within 60 s', '', '', `HTTP ${limit.secondStatus}`, '', 'HTTP 429', limit.pass ? 'PASS' : 'FAIL']);

  out('');
  out(
    `control plane: router and OTP on directory schema ${cp.environment.directorySchema}, ephemeral store ${cp.environment.ephemeralStore}; ` +
      `OTP limits per phone ${BENCH_OTP_LIMITS.perPhonePerMinute}/min and ${BENCH_OTP_LIMITS.perPhonePerHour}/h (defaults), ` +
      `per address raised to ${BENCH_OTP_LIMITS.perIpPerHour.toLocaleString('en')}/h (default 30: every bench request comes from 127.0.0.1)`,
  );
  out('');
  printTable(rows);
  out('');
  out(
    `failed requests: router ${router.errors}, OTP ${otp.errors}${otp.errors + router.errors ? ` (${[...router.firstErrors, ...otp.firstErrors].slice(0, 3).join('; ')})` : ''}`,
  );
  if (!limit.pass)
    out(`PER-PHONE LIMIT NOT HELD: two requests for ${limit.phone} answered ${limit.firstStatus} then ${limit.secondStatus}`);
  if (cp.cpu.router) {
    out('');
    const disturbed = printCpu(
      `CPU, % of one core (busy before this phase: ${cp.environment.machineBusyBeforeStartPercent}% of the machine)`,
      [
        ['router overhead series', cp.cpu.router],
        [`OTP, ${otp.clients} clients`, cp.cpu.otp!],
      ],
    );
    if (disturbed.length > 0 || (cp.environment.machineBusyBeforeStartPercent ?? 0) > 20) {
      out(
        `WARNING: other work was running (${disturbed.join(', ') || 'before the phase'}): these figures are disturbed, run again on a quiet machine.`,
      );
    }
  }
  out('token verification ran in the bench process on AccessTokenVerifier from common/dist, with nothing else running.');
}
