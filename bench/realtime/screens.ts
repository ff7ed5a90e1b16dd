// The screens as the main thread sees them: sockets on one or more worker threads
// (screens-worker.ts), each thread's clock put on this one's, and an event awaited until it
// has reached every screen on every thread. The screens of the figures sign in to the two
// cells as managers of the location; the socket floor's are anonymous.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { BenchError, log } from '../lib/output';
import { epochMs, nowMs } from '../lib/measure';
import type { Delivery, FromScreens, ScreensCheck, ScreenTarget, ToScreens } from './screen-messages';
import { CONNECT_BATCH, FAN_OUT_TIMEOUT_MS, type RealtimeSettings } from './settings';
import type { TokenSigner } from './tokens';
import { round, sleep } from './numbers';

/** An event of an order on every thread: complete when every screen had it, with the first and last times on this thread's clock. */
export interface Arrival {
  complete: boolean;
  count: number;
  firstAt: number;
  lastAt: number;
  /** The last screen on each cell. */
  lastOnCell: number[];
  /** The payload the first screen got. */
  first: Delivery['first'];
}

/** What the screens saw besides the awaited events, over all threads. */
export interface ScreensSummary {
  connected: number;
  unexpectedDisconnects: number;
  firstDisconnects: string[];
  strayEvents: number;
  threads: number;
  clockOffsetsMs: (number | undefined)[];
}

/**
 * The screens, split over `threads` worker threads, each holding its share of both cells'
 * sockets; an event has reached the screens when it has reached them on every thread.
 */
export class Screens {
  static async open(screens: ScreenTarget[], threads: number): Promise<Screens> {
    const opened: ScreenThread[] = [];
    try {
      for (let t = 0; t < threads; t++) opened.push(await ScreenThread.open(screens.filter((_, i) => Math.floor(i / 2) % threads === t)));
    } catch (error) {
      await Promise.all(opened.map((thread) => thread.close()));
      throw error;
    }
    return new Screens(opened);
  }

  private constructor(private readonly threads: ScreenThread[]) {}

  /** Each thread's clock offset from this one's, and the round trip it was measured over. */
  get clocks(): string {
    return this.threads.map((thread) => `${round(thread.offsetMs)} ms ± ${round((thread.roundTripMs ?? NaN) / 2)}`).join(', ');
  }

  expect(event: string, orderId: string, timeoutMs = FAN_OUT_TIMEOUT_MS): Promise<Arrival> {
    // Posted to every thread now, before the caller's request goes out.
    const parts = this.threads.map((thread) => thread.expect(event, orderId, timeoutMs));
    return Promise.all(parts).then((delivered) => {
      const times = (pick: (d: Delivery) => number | null | undefined) =>
        delivered.map(pick).filter((at): at is number => at !== null && at !== undefined);
      return {
        complete: delivered.every((d) => d.complete),
        count: delivered.reduce((sum, d) => sum + d.count, 0),
        firstAt: Math.min(...times((d) => d.firstAt)),
        lastAt: Math.max(...times((d) => d.lastAt)),
        lastOnCell: [0, 1].map((cell) => Math.max(...times((d) => d.lastOnCell?.[cell]))),
        first: delivered.find((d) => d.first)?.first ?? null,
      };
    });
  }

  forget(event: string, orderId: string): void {
    for (const thread of this.threads) thread.forget(event, orderId);
  }

  async close(): Promise<ScreensSummary> {
    const checks = await Promise.all(this.threads.map((thread) => thread.close()));
    return {
      connected: checks.reduce((sum, c) => sum + (c.connected ?? 0), 0),
      unexpectedDisconnects: checks.reduce((sum, c) => sum + (c.unexpectedDisconnects ?? 0), 0),
      firstDisconnects: checks.flatMap((c) => c.firstDisconnects ?? []).slice(0, 3),
      strayEvents: checks.reduce((sum, c) => sum + (c.strayEvents ?? 0), 0),
      threads: checks.length,
      clockOffsetsMs: checks.map((c) => c.clockOffsetMs),
    };
  }
}

/**
 * The worker's source, run by tsx's CommonJS hook registered in the worker itself. Node 20
 * does not apply the ESM loader tsx registers with `--import` to a worker thread, inherited
 * through execArgv or given there (nodejs/node#47747: "Unknown file extension .ts"); a
 * CommonJS entry that registers the hook first works on every Node the repo supports.
 */
const SCREENS_WORKER = `require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register(); require(${JSON.stringify(join(__dirname, 'screens-worker.ts'))});`;

interface Reply {
  resolve: (message: FromScreens) => void;
  reject: (error: Error) => void;
}

/**
 * One screens' worker thread, seen from the main thread. Its times are put on this thread's
 * clock with the offset `calibrate()` measures: the reply to a clock request with the
 * shortest round trip, whose middle is taken as the worker's instant.
 */
class ScreenThread {
  static async open(screens: ScreenTarget[]): Promise<ScreenThread> {
    const worker = new Worker(SCREENS_WORKER, { eval: true });
    const opened = new ScreenThread(worker);
    try {
      await opened.call({ type: 'open', screens, batch: CONNECT_BATCH });
      await opened.calibrate();
    } catch (error) {
      await worker.terminate();
      throw error;
    }
    return opened;
  }

  offsetMs = 0;
  roundTripMs: number | null = null;
  /** Replies to call(), in order; deliveries by key. */
  private readonly replies: Reply[] = [];
  private readonly waiting = new Map<string, (delivery: Delivery) => void>();
  private check: ScreensCheck | null = null;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (message: FromScreens) => this.received(message));
    const gone = (error: Error | null) => {
      for (const reply of this.replies.splice(0))
        reply.reject(new BenchError(`the screens' thread failed: ${error?.message ?? 'it exited'}`));
      for (const [key, resolve] of this.waiting) resolve({ complete: false, count: 0, key });
      this.waiting.clear();
    };
    worker.on('error', gone);
    worker.on('exit', () => gone(null));
  }

  private received(message: FromScreens): void {
    if (message.type === 'delivered') {
      const resolve = this.waiting.get(message.key);
      this.waiting.delete(message.key);
      const local = (at: number | null | undefined) => (at === null || at === undefined ? null : at - this.offsetMs);
      const { type: _type, ...delivery } = message;
      resolve?.({
        ...delivery,
        firstAt: local(message.firstAt),
        lastAt: local(message.lastAt),
        lastOnCell: (message.lastOnCell ?? []).map(local),
      });
      return;
    }
    const reply = this.replies.shift();
    if (message.type === 'failed') reply?.reject(new BenchError(message.message));
    else reply?.resolve(message);
  }

  private call(message: ToScreens): Promise<FromScreens> {
    return new Promise((resolve, reject) => {
      this.replies.push({ resolve, reject });
      this.worker.postMessage(message);
    });
  }

  private async calibrate(): Promise<void> {
    for (let i = 0; i < 50; i++) {
      const sentAt = epochMs();
      const reply = await this.call({ type: 'clock' });
      const roundTrip = epochMs() - sentAt;
      if (reply.type === 'clock' && (this.roundTripMs === null || roundTrip < this.roundTripMs)) {
        this.roundTripMs = roundTrip;
        this.offsetMs = reply.at - (sentAt + roundTrip / 2);
      }
    }
  }

  /** Resolves when every screen has `event` for `orderId`, or after `timeoutMs` with what arrived. */
  expect(event: string, orderId: string, timeoutMs = FAN_OUT_TIMEOUT_MS): Promise<Delivery> {
    const key = `${event}/${orderId}`;
    const delivered = new Promise<Delivery>((resolve) => this.waiting.set(key, resolve));
    this.worker.postMessage({ type: 'expect', key, timeoutMs } satisfies ToScreens);
    return delivered;
  }

  /** Stops waiting (the request failed). */
  forget(event: string, orderId: string): void {
    const key = `${event}/${orderId}`;
    this.waiting.get(key)?.({ complete: false, count: 0, key });
    this.waiting.delete(key);
    this.worker.postMessage({ type: 'forget', key } satisfies ToScreens);
  }

  /** Closes the sockets and ends the thread; returns what the screens saw (disconnects, strays). */
  async close(): Promise<ScreensCheck> {
    if (!this.check) {
      const closed = this.call({ type: 'close' }).then((m) => (m.type === 'closed' ? m.check : {}));
      this.check = await Promise.race([closed, sleep(10_000).then((): ScreensCheck => ({}))]).catch((): ScreensCheck => ({}));
      this.check.clockOffsetMs = round(this.offsetMs);
      this.check.clockRoundTripMs = round(this.roundTripMs ?? NaN);
      await this.worker.terminate();
    }
    return this.check;
  }
}

/**
 * `clients` screens, half on each cell, each signed in as a manager of the one location
 * (so in its room only, not the owners' tenant room), each with a token of its own.
 */
export async function openScreens({
  settings,
  ports,
  signer,
  tenant,
  locationId,
}: {
  settings: RealtimeSettings;
  ports: number[];
  signer: TokenSigner;
  tenant: { id: string; slug: string };
  locationId: string;
}): Promise<Screens> {
  const screens: ScreenTarget[] = [];
  for (let i = 0; i < settings.clients; i++) {
    const cell = i % 2;
    const token = await signer.sign({ tid: tenant.id, role: 'manager', locs: [locationId] }, randomUUID());
    screens.push({ url: `http://127.0.0.1:${ports[cell]}`, cell, token, tenantSlug: tenant.slug, locationId });
  }
  const startedAt = nowMs();
  const opened = await Screens.open(screens, settings.screenThreads);
  log(
    `screens: ${settings.clients} connected and joined in ${round((nowMs() - startedAt) / 1000, 1)} s on ${settings.screenThreads} thread(s) (clock offsets ${opened.clocks})`,
  );
  return opened;
}
