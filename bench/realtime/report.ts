// The real-time phase's result, its targets and its report: the table of figures (floors,
// sale → screens, payment → screens, the ingress under load), PASS/MISS per target, CPU per
// series, and the problems that are failures rather than slowness.
import type { Summary } from '../lib/measure';
import { mark, ms, out, printCpu, printTable, type Check, type CpuShares } from '../lib/output';
import type { PaymentFanOut } from './payment-fan-out';
import type { SaleFanOut } from './sale-fan-out';
import type { ScreensSummary } from './screens';
import type { RecordedPayments, WebhookLoad } from './webhook-load';

/** The targets asked for. The ingress throughput has none: it is reported. */
export const REALTIME_TARGETS = {
  /** recordSale answered → the last of the screens got its `dashboard.delta`. */
  saleToLastScreenP99Ms: 50,
  /** The IPN sent → the last of the screens got its `payment.received`. */
  paymentToLastScreenP99Ms: 100,
};

/** Where and how the figures were taken. */
export interface RealtimeEnvironment {
  run: string;
  cpus: number;
  clients: number;
  screenThreads: number;
  webhookSeconds: number;
  cellSchema: string;
  directorySchema: string;
  redisKeyPrefix: string;
  cellName: string;
  natsNamespace: string;
  floorStream: string;
  floorSubject: string;
  paymentsStream: string;
  tenant: string;
  tenantId: string;
  natsUrl: string;
  redisUrl: string;
  machineBusyBeforeSeriesPercent?: number | null;
  /** Set by the caller, which waits for a quiet machine before the phase. */
  machineBusyBeforeStartPercent?: number | null;
}

/** The phase's figures, as run.ts and the standalone mode print them and write them in JSON. */
export interface RealtimeFigures {
  environment: RealtimeEnvironment;
  floors: { socketEmit: Summary; socketSaleEvents: Summary; jetStreamAck: Summary };
  saleFanOut: SaleFanOut;
  paymentFanOut: PaymentFanOut;
  webhooks: WebhookLoad & { prepared: number; preparedSeconds: number; preparedFirstErrors: string[]; recorded: RecordedPayments };
  screens: ScreensSummary;
  cpu: { saleFanOut: CpuShares | null; paymentFanOut: CpuShares | null; webhooks: CpuShares | null };
}

/** The phase as the runner keeps it: its figures, or why it could not take them. */
export type RealtimeResult = RealtimeFigures | { failed: string };

export interface RealtimeVerdicts {
  saleToLastScreenP99?: Check & { value: number; target: number };
  paymentToLastScreenP99?: Check & { value: number; target: number };
}

/** PASS/MISS per target; an unmeasured figure misses. */
export function realtimeVerdicts(r: RealtimeResult | null | undefined): RealtimeVerdicts {
  if (!r || 'failed' in r) return {};
  const check = (value: number, target: number) => ({ value, target, pass: Number.isFinite(value) && value < target });
  return {
    saleToLastScreenP99: check(r.saleFanOut.toLast.p99, REALTIME_TARGETS.saleToLastScreenP99Ms),
    paymentToLastScreenP99: check(r.paymentFanOut.toLast.p99, REALTIME_TARGETS.paymentToLastScreenP99Ms),
  };
}

/** Whether the phase saw something wrong, not only slow: a lost event, a refused IPN, a payment not recorded. */
export function realtimeFailures(r: RealtimeResult | null | undefined): string[] {
  if (!r) return [];
  if ('failed' in r) return [r.failed];
  const problems: string[] = [];
  for (const [name, series] of [
    ['sale → screens', r.saleFanOut],
    ['payment → screens', r.paymentFanOut],
    ['webhooks', r.webhooks],
  ] as const) {
    if (series.errors > 0) problems.push(`${name}: ${series.errors} failure(s): ${series.firstErrors.join('; ')}`);
  }
  if (r.screens.unexpectedDisconnects > 0)
    problems.push(`${r.screens.unexpectedDisconnects} screen(s) disconnected: ${r.screens.firstDisconnects.join('; ')}`);
  if (!r.webhooks.recorded.pass)
    problems.push(`${r.webhooks.recorded.found} payments recorded by the cells, ${r.webhooks.recorded.expected} accepted by the ingress`);
  return problems;
}

export function printRealtimeReport(r: RealtimeResult): void {
  out('');
  if ('failed' in r) {
    out(`real-time: FAILED — ${r.failed}`);
    return;
  }
  const v = realtimeVerdicts(r);
  const e = r.environment;
  const half = e.clients / 2;
  const rows: string[][] = [];
  const latency = (label: string, s: Summary, target = '', result = '') =>
    rows.push([label, String(s.n), ms(s.p50), ms(s.p95), ms(s.p99), target, result]);
  const { saleFanOut: s, paymentFanOut: p, webhooks: w, floors: f } = r;
  latency(`floor: bare Socket.IO emit → last of ${e.clients} clients (in the bench, no Redis)`, f.socketEmit);
  latency("  same, a sale's two events (sale.recorded, dashboard.delta) → last delta", f.socketSaleEvents);
  latency('floor: JetStream publish → ack (file storage, one server)', f.jetStreamAck);
  latency(
    `recordSale answered → last of ${e.clients} screens got dashboard.delta`,
    s.toLast,
    `p99 < ${REALTIME_TARGETS.saleToLastScreenP99Ms} ms`,
    mark(v.saleToLastScreenP99!),
  );
  latency('  → the first screen', s.toFirst);
  latency(`  → last screen on the recording cell (${half})`, s.recordingCell);
  latency(`  → last screen on the other cell, through Redis (${half})`, s.otherCell);
  latency('  recordSale sent → last screen', s.fromSent);
  latency('  recordSale itself (sent → answered)', s.recordSale);
  latency(
    `VNPay IPN sent → last of ${e.clients} screens got payment.received`,
    p.toLast,
    `p99 < ${REALTIME_TARGETS.paymentToLastScreenP99Ms} ms`,
    mark(v.paymentToLastScreenP99!),
  );
  latency('  → the first screen', p.toFirst);
  latency('  IPN sent → ingress answered RspCode 00 (after the JetStream ack)', p.ingress);
  latency('  requestPayment beforehand (cell → NATS → control plane)', p.requestPayment);
  rows.push([
    `IPNs/s accepted by the ingress, ${w.senders} senders, ${w.elapsedSeconds} s`,
    String(w.accepted),
    '',
    `${w.perSecond} /s`,
    '',
    'none given',
    '',
  ]);
  latency('  IPN latency under that load', w.latency);
  rows.push([
    '  payments recorded by the cells (all accepted IPNs)',
    String(w.recorded.expected),
    '',
    `${w.recorded.found} after ${w.recorded.seconds} s`,
    '',
    'all',
    w.recorded.pass ? 'PASS' : 'FAIL',
  ]);

  out(
    `real-time: ${e.clients} screens (socket.io-client on ${e.screenThreads} worker thread(s) of the bench, ${half} on each of 2 cell processes, one location room), ` +
      `Redis adapter under ${e.redisKeyPrefix} on ${e.redisUrl}, NATS ${e.natsUrl} (namespace ${e.natsNamespace}: stream ${e.paymentsStream}); cell schema ${e.cellSchema}, directory ${e.directorySchema} ` +
      `(both dropped afterwards); run ${e.run}`,
  );
  out('');
  printTable(rows);
  out('');
  out(
    `webhooks: ${w.prepared} IPNs prepared (sale + requestPayment each) in ${w.preparedSeconds} s beforehand, each sent once` +
      `${w.ranOut ? ` — they RAN OUT after ${w.elapsedSeconds} s of the ${e.webhookSeconds} s: raise BENCH_REALTIME_WEBHOOKS` : ''}; the screens were closed first (every payment would go to each of them).`,
  );
  if (r.cpu.saleFanOut) {
    const disturbed = printCpu(
      `CPU, % of one core (${e.cpus} cores; busy before the series: ${e.machineBusyBeforeSeriesPercent}% of the machine; "client" is this process, the ${e.clients} screens' thread included)`,
      [
        ['sale → screens', r.cpu.saleFanOut],
        ['payment → screens', r.cpu.paymentFanOut!],
        [`webhooks, ${w.senders} senders`, r.cpu.webhooks!],
      ],
    );
    if (disturbed.length > 0 || (e.machineBusyBeforeSeriesPercent ?? 0) > 20) {
      out(
        `WARNING: other work was running (${disturbed.join(', ') || 'before the series'}): these figures are disturbed, run again on a quiet machine.`,
      );
    }
  }
  if (r.screens.strayEvents > 0) out(`screens: ${r.screens.strayEvents} event(s) for no awaited order (late duplicates)`);
  for (const problem of realtimeFailures(r)) out(`PROBLEM: ${problem}`);
}
