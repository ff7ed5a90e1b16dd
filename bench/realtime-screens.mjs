// The screens of the real-time phase, in a worker thread: up to a few thousand
// socket.io-client sockets and the record of when each got which event. Reading 1,000
// Socket.IO frames per event takes this thread tens of milliseconds; on the main thread it
// would delay the GraphQL and IPN answers the figures start from (they wait behind the
// frames in the event loop), so the screens live here and the main thread only sends and
// times. See realtime-phase.mjs (`Screens`) for the other end.
//
// Messages in: `open` (sockets to connect, in batches, each joining its location's room
// when it names one), `expect` / `forget` (an event of an order), `clock` (for the offset
// between the threads' clocks), `close`. Out: `opened`, `delivered`, `clock`, `closed`,
// `failed`. Times are epoch milliseconds with sub-millisecond precision (lib.mjs `epochMs`).
import { parentPort } from 'node:worker_threads';
import { io } from 'socket.io-client';
import { epochMs as clock } from './lib.mjs';

/**
 * Per event and order: how many screens have it, when the first and the last got it, and
 * the last on each cell. An entry is made by whichever comes first, the event or the
 * `expect`, so a screen that gets the event before the main thread's `expect` arrives is
 * counted too.
 */
class FanOut {
  constructor(total, send) {
    this.total = total;
    this.send = send;
    this.entries = new Map();
  }

  entry(key) {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { count: 0, firstAt: null, lastAt: null, lastOnCell: [null, null], first: null, expected: false, timer: null };
      this.entries.set(key, entry);
    }
    return entry;
  }

  expect(key, timeoutMs) {
    const entry = this.entry(key);
    entry.expected = true;
    if (entry.count >= this.total) return this.settle(key, true);
    entry.timer = setTimeout(() => this.settle(key, false), timeoutMs);
  }

  forget(key) {
    const entry = this.entries.get(key);
    if (entry) clearTimeout(entry.timer);
    this.entries.delete(key);
  }

  arrived(event, cell, payload) {
    const at = clock();
    const key = `${event}/${payload?.orderId}`;
    const entry = this.entry(key);
    entry.count++;
    entry.firstAt ??= at;
    entry.first ??= payload;
    entry.lastAt = at;
    entry.lastOnCell[cell] = at;
    if (entry.count === this.total && entry.expected) this.settle(key, true);
  }

  settle(key, complete) {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    clearTimeout(entry.timer);
    const { count, firstAt, lastAt, lastOnCell, first } = entry;
    this.send({ type: 'delivered', key, complete, count, firstAt, lastAt, lastOnCell, first });
  }

  /** Events nobody waited for: a late one, after its wait gave up. */
  get strays() {
    let n = 0;
    for (const entry of this.entries.values()) if (!entry.expected) n++;
    return n;
  }
}

const send = (message) => parentPort.postMessage(message);
const sockets = [];
let fanOut = null;
let closing = false;
let unexpectedDisconnects = 0;
const firstDisconnects = [];

/** One screen: connected over WebSocket, and in its location's room when `locationId` is given. */
async function openScreen({ index, url, cell, token, tenantSlug, locationId }) {
  const socket = io(url, {
    path: '/socket.io',
    transports: ['websocket'],
    ...(token ? { auth: { token }, extraHeaders: { 'x-tenant': tenantSlug } } : {}),
    reconnection: false,
    forceNew: true,
    timeout: 20_000,
  });
  sockets.push(socket);
  socket.on('dashboard.delta', (delta) => fanOut.arrived('dashboard.delta', cell, delta));
  socket.on('payment.received', (payment) => fanOut.arrived('payment.received', cell, payment));
  await new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', (error) =>
      reject(new Error(`screen ${index} could not connect to ${url}: ${error.message} ${JSON.stringify(error.data ?? {})}`)),
    );
  });
  if (locationId) {
    const answer = await socket.timeout(20_000).emitWithAck('join', { locationId });
    if (!answer?.ok) throw new Error(`screen ${index} could not join the location's room: ${JSON.stringify(answer)}`);
  }
  socket.on('disconnect', (reason) => {
    if (closing) return;
    unexpectedDisconnects++;
    if (firstDisconnects.length < 3) firstDisconnects.push(`screen ${index} on cell ${'ab'[cell]}: ${reason}`);
  });
}

function closeAll() {
  closing = true;
  for (const socket of sockets) socket.close();
  sockets.length = 0;
}

async function open({ screens, batch }) {
  fanOut = new FanOut(screens.length, send);
  for (let first = 0; first < screens.length; first += batch) {
    await Promise.all(screens.slice(first, first + batch).map((screen, k) => openScreen({ index: first + k, ...screen })));
  }
}

parentPort.on('message', (message) => {
  switch (message.type) {
    case 'open':
      open(message).then(
        () => send({ type: 'opened' }),
        (error) => {
          closeAll();
          send({ type: 'failed', message: error.message });
        },
      );
      break;
    case 'expect':
      fanOut.expect(message.key, message.timeoutMs);
      break;
    case 'forget':
      fanOut.forget(message.key);
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
