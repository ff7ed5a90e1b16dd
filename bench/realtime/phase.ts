// The real-time figures: how long a sale takes to reach 1,000 screens of one location held
// by two cell processes (Socket.IO, the Redis adapter between them), how long a VNPay
// payment notification takes to reach them (the control plane's ingress → JetStream → a
// cell's payments consumer → Socket.IO), how many notifications a second the ingress takes,
// and the floors of both paths measured in the same run: a bare Socket.IO emit to 1,000
// clients and a bare JetStream publish-ack. Runs after the control plane's phase from
// run.ts (BENCH_REALTIME=0 skips it), or on its own (standalone.ts):
//
//   npx tsx --tsconfig bench/tsconfig.json bench/realtime/standalone.ts
//
// What is real: two compiled cell API processes (`cell-api/dist/src/main.js`) on one schema,
// the compiled control plane, the shared Redis (the adapter's channels under a prefix of the
// run's own) and NATS (a payments stream and checkout subject of the run's own, through
// NATS_NAMESPACE), PostgreSQL. What stands in: VNPay, played by the bench, which signs its
// IPNs as VNPay documents it (flows/harness/vnpay-signing.ts, written out on its own, not
// shared with the code under test); and the screens, socket.io-client sockets on worker
// threads of this process (screens-worker.ts). The demo data is never touched: the cell
// schema, the directory schema, the tenant, its merchant account and the token key pair are
// the run's own and are removed at the end, also after an error or Ctrl-C. See
// bench/README.md, "The real-time figures".
//
// This file runs the series in order; each has a file of its own: settings.ts, stack.ts
// (with tenant.ts and tokens.ts), screens.ts and screens-worker.ts, floors.ts,
// sale-fan-out.ts, payment-fan-out.ts, webhook-load.ts, and report.ts.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import pg from 'pg';
import { UndoList, type Cleanup } from '../lib/cleanup';
import { requireBuilt } from '../lib/compiled';
import { withCpu, waitForQuietMachine } from '../lib/cpu';
import { nowMs } from '../lib/measure';
import { log } from '../lib/output';
import { measureJetStreamFloor, measureSocketFloor } from './floors';
import { round } from './numbers';
import { measurePaymentFanOut, preparePayments } from './payment-fan-out';
import type { RealtimeEnvironment, RealtimeFigures } from './report';
import { measureSaleFanOut } from './sale-fan-out';
import { openScreens } from './screens';
import type { RealtimeSettings } from './settings';
import { runNames, startStack } from './stack';
import { measureWebhookLoad, waitForRecordedPayments } from './webhook-load';

export { readRealtimeSettings, type RealtimeSettings } from './settings';
export {
  printRealtimeReport,
  REALTIME_TARGETS,
  realtimeFailures,
  realtimeVerdicts,
  type RealtimeFigures,
  type RealtimeResult,
  type RealtimeVerdicts,
} from './report';

/**
 * Runs the phase and returns its figures. `cleanup` (the runner's) gets one step that undoes
 * whatever is still up after a Ctrl-C; the phase undoes everything itself before it returns.
 */
export async function measureRealtime(settings: RealtimeSettings, cleanup: Cleanup): Promise<RealtimeFigures> {
  requireBuilt([
    'cell-api/dist/src/main.js',
    'control-plane/dist/src/main.js',
    'cell-db/dist/migrate.js',
    'control-plane/dist/src/database/data-source.js',
    'control-plane/dist/src/payments/payment-accounts.repository.js',
  ]);
  const undo = new UndoList('real-time');
  cleanup.push(() => undo.run());
  try {
    return await measure(settings, randomBytes(3).toString('hex'), undo);
  } finally {
    await undo.run();
  }
}

async function measure(settings: RealtimeSettings, run: string, undo: UndoList): Promise<RealtimeFigures> {
  const names = runNames(run);

  // The floors first, with none of the servers up.
  log(`floors: a bare Socket.IO emit to ${settings.clients} clients in this process, then ${settings.publishes} JetStream publish-acks…`);
  const socketFloors = await measureSocketFloor(settings);
  const jetStreamFloor = await measureJetStreamFloor(settings, names, undo);

  const stack = await startStack(settings, run, names, undo);
  const { tenant, merchant, ports, parties, ingress, graphql, signer, shop, sale } = stack;
  const environment: RealtimeEnvironment = {
    run,
    cpus: os.cpus().length,
    clients: settings.clients,
    screenThreads: settings.screenThreads,
    webhookSeconds: settings.webhookSeconds,
    ...names,
    paymentsStream: stack.paymentsStream,
    tenant: tenant.slug,
    tenantId: tenant.id,
    natsUrl: settings.natsUrl,
    redisUrl: settings.redisUrl,
  };

  log(`screens: opening ${settings.clients} sockets (${settings.clients / 2} on each cell), each joining the location's room…`);
  const screens = await openScreens({ settings, ports, signer, tenant, locationId: shop.locationId });
  undo.push('closing the screens', () => screens.close());

  environment.machineBusyBeforeSeriesPercent = await waitForQuietMachine(settings.quietWaitSeconds);

  log(`sale → screens: ${settings.warmup} + ${settings.sales} sales one at a time, alternately on each cell…`);
  const saleFanOut = await withCpu(parties, () => measureSaleFanOut(settings, { sale, screens }));

  log(`payment → screens: ${settings.payments} VNPay payments (sale, requestPayment) prepared, then their IPNs sent one at a time…`);
  const prepared = await preparePayments(Math.max(1, settings.warmup) + settings.payments, 1, { sale, graphql, merchant, screens });
  const paymentFanOut = await withCpu(parties, () => measurePaymentFanOut(settings, { prepared, ingress, screens }));

  // The load's payments would each go to every screen: 1,000 × hundreds a second would
  // measure this process's sockets, not the ingress. The screens have done their part.
  const screenCheck = await screens.close();

  log(`webhooks: preparing up to ${settings.webhooks} VNPay payments with ${settings.senders} clients…`);
  const preparedAt = nowMs();
  const load = await preparePayments(settings.webhooks, settings.senders, { sale, graphql, merchant, screens: null });
  const preparedSeconds = (nowMs() - preparedAt) / 1000;
  const raw = new pg.Pool({
    connectionString: settings.databaseUrl,
    max: 1,
    options: `-c search_path=${names.cellSchema},public`,
    application_name: 'localstore-bench:realtime',
  });
  undo.push('closing the bench pool', () => raw.end());
  await waitForQuietMachine(Math.min(15, settings.quietWaitSeconds));
  log(`webhooks: ${settings.senders} senders, 1 s unmeasured then ${settings.webhookSeconds} s…`);
  const webhookLoad = await withCpu(parties, () => measureWebhookLoad(settings, { load, ingress }));
  const accepted = paymentFanOut.result.accepted + webhookLoad.result.acceptedInAll;
  const recorded = await waitForRecordedPayments(raw, tenant.id, accepted);

  return {
    environment,
    floors: { socketEmit: socketFloors.oneEvent, socketSaleEvents: socketFloors.saleEvents, jetStreamAck: jetStreamFloor },
    saleFanOut: saleFanOut.result,
    paymentFanOut: paymentFanOut.result,
    webhooks: {
      ...webhookLoad.result,
      prepared: load.length,
      preparedSeconds: round(preparedSeconds),
      preparedFirstErrors: load.firstErrors,
      recorded,
    },
    screens: screenCheck,
    cpu: { saleFanOut: saleFanOut.cpu, paymentFanOut: paymentFanOut.cpu, webhooks: webhookLoad.cpu },
  };
}
