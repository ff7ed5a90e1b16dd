// The real-time phase's settings (BENCH_REALTIME_* and the servers' URLs, see bench/README.md)
// and the fixed bounds of its waits: how many screens, sales, payments and seconds of load it
// measures, and which loopback servers it runs on.
import { BenchError, wholeNumberReader } from '../lib/output';
import { localServers } from '../lib/local-servers';

export interface RealtimeSettings {
  /** Screens in the one location room, spread evenly over the two cells. */
  clients: number;
  /**
   * Worker threads the screens' sockets are spread over. One thread reads every frame of
   * every screen in turn, which real screens (a device each) never do: more threads show
   * how much of a figure that is, at the price of their CPU on a small machine.
   */
  screenThreads: number;
  /** Sales sent one at a time for the sale → screens figure. */
  sales: number;
  /** Notifications sent one at a time for the payment → screens figure. */
  payments: number;
  /** Unmeasured sales, payments and emits before each series. */
  warmup: number;
  /** Concurrent VNPay senders of the ingress load. */
  senders: number;
  webhookSeconds: number;
  /** Notifications prepared (sale + checkout each) for the load: it stops early when they run out. */
  webhooks: number;
  /** JetStream publishes of the floor. */
  publishes: number;
  quietWaitSeconds: number;
  databaseUrl: string;
  ownerUrl: string;
  directoryUrl: string;
  directoryOwnerUrl: string;
  redisUrl: string;
  natsUrl: string;
}

/** How long one event may take to reach every screen before the bench calls it lost. */
export const FAN_OUT_TIMEOUT_MS = 10_000;
/** The first payment also waits for the cells' consumers to start (they look every 2 s). */
export const FIRST_PAYMENT_TIMEOUT_MS = 20_000;
/** Sockets opened at once: each handshake costs the cell a token check and a transaction. */
export const CONNECT_BATCH = 50;
/** How long the cells may take to record the load's payments after it ends. */
export const DRAIN_TIMEOUT_MS = 180_000;

/** The phase's settings from the environment (see bench/README.md); throws BenchError on a bad value. */
export function readRealtimeSettings(env: NodeJS.ProcessEnv = process.env): RealtimeSettings {
  const problems: string[] = [];
  const int = wholeNumberReader(env, problems);
  const settings: RealtimeSettings = {
    clients: int('BENCH_REALTIME_CLIENTS', 1_000, 2, 5_000),
    screenThreads: int('BENCH_REALTIME_SCREEN_THREADS', 1, 1, 8),
    sales: int('BENCH_REALTIME_SALES', 200, 10, 10_000),
    payments: int('BENCH_REALTIME_PAYMENTS', 200, 10, 10_000),
    warmup: int('BENCH_REALTIME_WARMUP', 20, 0, 1_000),
    senders: int('BENCH_REALTIME_SENDERS', 20, 1, 200),
    webhookSeconds: int('BENCH_REALTIME_WEBHOOK_SECONDS', 10, 1, 120),
    webhooks: int('BENCH_REALTIME_WEBHOOKS', 10_000, 100, 200_000),
    publishes: int('BENCH_REALTIME_PUBLISHES', 1_000, 10, 100_000),
    quietWaitSeconds: int('BENCH_QUIET_WAIT_SECONDS', 60, 0, 600),
    ...localServers(env),
  };
  const urls: [string, string][] = [
    ['DATABASE_URL', settings.databaseUrl],
    ['DATABASE_OWNER_URL', settings.ownerUrl],
    ['DIRECTORY_DATABASE_URL', settings.directoryUrl],
    ['DIRECTORY_OWNER_URL', settings.directoryOwnerUrl],
    ['REDIS_URL', settings.redisUrl],
    ['NATS_URL', settings.natsUrl],
  ];
  for (const [name, url] of urls) {
    let host: string;
    try {
      host = new URL(url).hostname;
    } catch {
      problems.push(`${name} is not a URL`);
      continue;
    }
    if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) problems.push(`${name} must point at loopback (got ${host})`);
  }
  if (settings.clients % 2 !== 0) problems.push(`BENCH_REALTIME_CLIENTS="${settings.clients}" must be even (half on each cell)`);
  if (problems.length > 0) throw new BenchError(`Invalid real-time bench settings:\n  - ${problems.join('\n  - ')}`);
  return settings;
}
