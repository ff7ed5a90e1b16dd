// Webhook load: how many VNPay notifications a second the control plane's ingress takes from
// concurrent senders (each prepared IPN sent once), with their latency, and then whether every
// accepted one became exactly one payment row in the cell schema.
import type pg from 'pg';
import type { HttpClient } from '../lib/http-client';
import { nowMs, summarize, type Summary } from '../lib/measure';
import { round, sleep } from './numbers';
import { VNPAY_ACCEPTED, type PreparedPayments } from './payment-fan-out';
import { DRAIN_TIMEOUT_MS, type RealtimeSettings } from './settings';

export interface WebhookLoad {
  senders: number;
  accepted: number;
  elapsedSeconds: number;
  perSecond: number;
  latency: Summary;
  /** The prepared IPNs ran out before the time was up: the rate is over a shorter run. */
  ranOut: boolean;
  /** Accepted during the unmeasured second too: each must become a payment. */
  acceptedInAll: number;
  errors: number;
  firstErrors: string[];
}

export interface RecordedPayments {
  expected: number;
  found: number;
  seconds: number;
  pass: boolean;
}

/**
 * `senders` clients each sending the prepared IPNs back to back (each one once, none
 * twice): 1 s unmeasured (a tenth of the IPNs at most), then `webhookSeconds`. An IPN
 * counts when answered RspCode 00.
 */
export async function measureWebhookLoad(
  settings: RealtimeSettings,
  { load, ingress }: { load: PreparedPayments; ingress: HttpClient },
): Promise<WebhookLoad> {
  let next = 0;
  let acceptedInAll = 0;
  const send = async (seconds: number, upTo: number, latencies: number[] | null, errors: string[]) => {
    const startedAt = nowMs();
    const deadline = startedAt + seconds * 1000;
    let accepted = 0;
    await Promise.all(
      Array.from({ length: settings.senders }, async () => {
        while (nowMs() < deadline && next < upTo) {
          const { path } = load[next++]!;
          const sentAt = nowMs();
          const answer = await ingress.get(path).catch((error: Error) => ({ status: 0, body: { error: error.message } }));
          if (answer.status === 200 && answer.body?.RspCode === VNPAY_ACCEPTED) {
            accepted++;
            latencies?.push(nowMs() - sentAt);
          } else {
            errors.push(`IPN answered ${answer.status} ${JSON.stringify(answer.body)}`);
          }
        }
      }),
    );
    acceptedInAll += accepted;
    return { accepted, elapsedSeconds: (nowMs() - startedAt) / 1000 };
  };
  const warmupErrors: string[] = [];
  await send(1, Math.floor(load.length / 10), null, warmupErrors);
  const latencies: number[] = [];
  const errors = [...warmupErrors];
  const measured = await send(settings.webhookSeconds, load.length, latencies, errors);
  return {
    senders: settings.senders,
    accepted: measured.accepted,
    elapsedSeconds: round(measured.elapsedSeconds),
    perSecond: Math.round(measured.accepted / measured.elapsedSeconds),
    latency: summarize(latencies),
    ranOut: next >= load.length && measured.elapsedSeconds < settings.webhookSeconds - 0.05,
    acceptedInAll,
    errors: errors.length,
    firstErrors: [...new Set(errors)].slice(0, 3),
  };
}

/** Every accepted IPN must become one payment row in the cell schema: waits (bounded) until it has. */
export async function waitForRecordedPayments(pool: pg.Pool, tenantId: string, expected: number): Promise<RecordedPayments> {
  const startedAt = nowMs();
  let found = 0;
  while (nowMs() - startedAt < DRAIN_TIMEOUT_MS) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
      found = (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM payments WHERE provider = 'vnpay'`)).rows[0]!.n;
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    if (found >= expected) break;
    await sleep(250);
  }
  return { expected, found, seconds: round((nowMs() - startedAt) / 1000, 2), pass: found === expected };
}
