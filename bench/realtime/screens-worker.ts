// The screens of the real-time phase, in a worker thread: up to a few thousand
// socket.io-client sockets and the record of when each got which event. Reading 1,000
// Socket.IO frames per event takes this thread tens of milliseconds; on the main thread it
// would delay the GraphQL and IPN answers the figures start from (they wait behind the
// frames in the event loop), so the screens live here and the main thread only sends and
// times. See screens.ts (`Screens`) for the other end and screen-messages.ts for the messages:
// in, `open` (sockets to connect, in batches, each joining its location's room when it names
// one), `expect` / `forget` (an event of an order), `clock` (for the offset between the
// threads' clocks), `close`; out, `opened`, `delivered`, `clock`, `closed`, `failed`.
import { parentPort } from 'node:worker_threads';
import { io, type Socket } from 'socket.io-client';
import { epochMs as clock } from '../lib/measure';
import type { Delivery, FromScreens, ScreenEvent, ScreenTarget, ToScreens } from './screen-messages';

interface Entry {
  count: number;
  firstAt: number | null;
  lastAt: number | null;
  lastOnCell: (number | null)[];
  first: ScreenEvent | null;
  expected: boolean;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Per event and order: how many screens have it, when the first and the last got it, and
 * the last on each cell. An entry is made by whichever comes first, the event or the
 * `expect`, so a screen that gets the event before the main thread's `expect` arrives is
 * counted too.
 */
class FanOut {
  private readonly entries = new Map<string, Entry>();

  constructor(
    readonly total: number,
    private readonly send: (message: FromScreens) => void,
  ) {}

  private entry(key: string): Entry {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { count: 0, firstAt: null, lastAt: null, lastOnCell: [null, null], first: null, expected: false, timer: undefined };
      this.entries.set(key, entry);
    }
    return entry;
  }

  expect(key: string, timeoutMs: number): void {
    const entry = this.entry(key);
    entry.expected = true;
    if (entry.count >= this.total) return this.settle(key, true);
    entry.timer = setTimeout(() => this.settle(key, false), timeoutMs);
  }

  forget(key: string): void {
    const entry = this.entries.get(key);
    if (entry) clearTimeout(entry.timer);
    this.entries.delete(key);
  }

  arrived(event: string, cell: number, payload: ScreenEvent | undefined): void {
    const at = clock();
    const key = `${event}/${payload?.orderId}`;
    const entry = this.entry(key);
    entry.count++;
    entry.firstAt ??= at;
    entry.first ??= payload ?? null;
    entry.lastAt = at;
    entry.lastOnCell[cell] = at;
    if (entry.count === this.total && entry.expected) this.settle(key, true);
  }

  private settle(key: string, complete: boolean): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    clearTimeout(entry.timer);
    const { count, firstAt, lastAt, lastOnCell, first } = entry;
    const delivered: Delivery = { key, complete, count, firstAt, lastAt, lastOnCell, first };
    this.send({ type: 'delivered', ...delivered });
  }

  /** Events nobody waited for: a late one, after its wait gave up. */
  get strays(): number {
    let n = 0;
    for (const entry of this.entries.values()) if (!entry.expected) n++;
    return n;
  }
}

const port = parentPort!;
const send = (message: FromScreens) => port.postMessage(message);
const sockets: Socket[] = [];
let fanOut: FanOut | null = null;
let closing = false;
let unexpectedDisconnects = 0;
const firstDisconnects: string[] = [];

/** One screen: connected over WebSocket, and in its location's room when `locationId` is given. */
async function openScreen({ index, url, cell, token, tenantSlug, locationId }: ScreenTarget & { index: number }): Promise<void> {
  const socket = io(url, {
    path: '/socket.io',
    transports: ['websocket'],
    ...(token ? { auth: { token }, extraHeaders: { 'x-tenant': tenantSlug ?? '' } } : {}),
    reconnection: false,
    forceNew: true,
    timeout: 20_000,
  });
  sockets.push(socket);
  socket.on('dashboard.delta', (delta: ScreenEvent) => fanOut!.arrived('dashboard.delta', cell, delta));
  socket.on('payment.received', (payment: ScreenEvent) => fanOut!.arrived('payment.received', cell, payment));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', (error: Error & { data?: unknown }) =>
      reject(new Error(`screen ${index} could not connect to ${url}: ${error.message} ${JSON.stringify(error.data ?? {})}`)),
    );
  });
  if (locationId) {
    const answer = (await socket.timeout(20_000).emitWithAck('join', { locationId })) as { ok?: boolean } | undefined;
    if (!answer?.ok) throw new Error(`screen ${index} could not join the location's room: ${JSON.stringify(answer)}`);
  }
  socket.on('disconnect', (reason) => {
    if (closing) return;
    unexpectedDisconnects++;
    if (firstDisconnects.length < 3) firstDisconnects.push(`screen ${index} on cell ${'ab'[cell]}: ${reason}`);
  });
}

function closeAll(): void {
  closing = true;
  for (const socket of sockets) socket.close();
  sockets.length = 0;
}

async function open({ screens, batch }: { screens: ScreenTarget[]; batch: number }): Promise<void> {
  fanOut = new FanOut(screens.length, send);
  for (let first = 0; first < screens.length; first += batch) {
    await Promise.all(screens.slice(first, first + batch).map((screen, k) => openScreen({ index: first + k, ...screen })));
  }
}

port.on('message', (message: ToScreens) => {
  switch (message.type) {
    case 'open':
      open(message).then(
        () => send({ type: 'opened' }),
        (error: Error) => {
          closeAll();
          send({ type: 'failed', message: error.message });
        },
      );
      break;
    case 'expect':
      fanOut!.expect(message.key, message.timeoutMs);
      break;
    case 'forget':
      fanOut!.forget(message.key);
      break;
    case 'clock':
      send({ type: 'clock', at: clock() });
      break;
    case 'close':
      closeAll();
      send({
        type: 'closed',
        check: { connected: fanOut?.total ?? 0, unexpectedDisconnects, firstDisconnects, strayEvents: fanOut?.strays ?? 0 },
      });
      break;
  }
});
