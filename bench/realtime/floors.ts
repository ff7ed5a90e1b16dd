// The floors of both paths, measured in the same run before any server is up: a bare
// Socket.IO emit to the same number of clients on the same screens' threads (no Redis, no
// auth, no database), and a bare JetStream publish-ack on the shared NATS server. What the
// figures add above these is the cells, Redis, the ingress and the bus.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { jetstream, jetstreamManager, StorageType } from '@nats-io/jetstream';
import { Server as SocketServer } from 'socket.io';
import type { UndoList } from '../lib/cleanup';
import { epochMs, nowMs, summarize, type Summary } from '../lib/measure';
import { BenchError } from '../lib/output';
import { sleep } from './numbers';
import { Screens } from './screens';
import type { RealtimeSettings } from './settings';
import { connectToNats, type RunNames } from './stack';

/**
 * A plain Socket.IO server on this thread (no Redis, no auth, no database), `clients`
 * sockets in one room on the screens' thread(s), and an event shaped like a
 * `dashboard.delta`: from `io.to(room).emit()` to the last client having it. Then the two
 * events a sale sends, as the cell sends them (`sale.recorded`, then its `dashboard.delta`),
 * to the last client having the delta. The same threads as the other figures: what is left
 * above these is the cells, Redis and the bus.
 */
export async function measureSocketFloor(settings: RealtimeSettings): Promise<{ oneEvent: Summary; saleEvents: Summary }> {
  const server = http.createServer();
  const socketServer = new SocketServer(server, { path: '/socket.io', serveClient: false });
  socketServer.on('connection', (socket) => void socket.join('floor'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let screens: Screens | null = null;
  try {
    screens = await Screens.open(
      Array.from({ length: settings.clients }, () => ({ url: `http://127.0.0.1:${port}`, cell: 0 })),
      settings.screenThreads,
    );
    // Joined on connection, server side: wait until the room holds everyone.
    while ((socketServer.of('/').adapter.rooms.get('floor')?.size ?? 0) < settings.clients) await sleep(10);
    const locationId = randomUUID();
    const opened = screens;
    const series = async (withSale: boolean) => {
      const samples: number[] = [];
      for (let i = 0; i < settings.warmup + settings.sales; i++) {
        const orderId = randomUUID();
        const delivered = opened.expect('dashboard.delta', orderId);
        const emittedAt = epochMs();
        if (withSale) {
          socketServer.to('floor').emit('sale.recorded', {
            orderId,
            locationId,
            total: 65_000,
            itemCount: 1,
            paymentMethod: 'CASH',
            channel: 'DINE_IN',
            businessDate: '2026-01-01',
            hour: 12,
            createdAt: new Date().toISOString(),
          });
        }
        socketServer.to('floor').emit('dashboard.delta', {
          locationId,
          businessDate: '2026-01-01',
          hour: 12,
          paymentMethod: 'CASH',
          revenue: 65_000,
          orders: 1,
          items: 1,
          cause: 'sale.recorded',
          orderId,
        });
        const got = await delivered;
        if (!got.complete) throw new BenchError(`the Socket.IO floor lost an event: ${got.count} of ${settings.clients} clients got it`);
        if (i >= settings.warmup) samples.push(got.lastAt - emittedAt);
      }
      return summarize(samples);
    };
    return { oneEvent: await series(false), saleEvents: await series(true) };
  } finally {
    await screens?.close();
    await socketServer.close();
    server.closeAllConnections?.();
  }
}

/**
 * The JetStream publish the ingress waits for, alone: a stream of the run's own, file
 * storage, one replica, on the same server; each publish with a message id (the ingress's
 * deduplication) awaited before the next. The stream is deleted afterwards.
 */
export async function measureJetStreamFloor(settings: RealtimeSettings, names: RunNames, undo: UndoList): Promise<Summary> {
  const { natsUrl } = settings;
  const connection = await connectToNats(natsUrl);
  try {
    const jsm = await jetstreamManager(connection);
    // An hour's age limit, in case the delete below never runs (kill -9).
    await jsm.streams.add({
      name: names.floorStream,
      subjects: [names.floorSubject],
      storage: StorageType.File,
      num_replicas: 1,
      max_age: 3_600 * 1_000_000_000,
      duplicate_window: 60 * 1_000_000_000,
    });
    undo.push(`deleting the stream ${names.floorStream}`, () => deleteStream(natsUrl, names.floorStream));
    const js = jetstream(connection);
    const payload = JSON.stringify({
      v: 1,
      provider: 'vnpay',
      transactionId: '0',
      tenantId: randomUUID(),
      orderId: randomUUID(),
      amount: 65_000,
      paidAt: new Date().toISOString(),
    });
    const samples: number[] = [];
    for (let i = 0; i < settings.warmup * 5 + settings.publishes; i++) {
      const startedAt = nowMs();
      await js.publish(names.floorSubject, payload, { msgID: `floor-${i}` });
      if (i >= settings.warmup * 5) samples.push(nowMs() - startedAt);
    }
    return summarize(samples);
  } finally {
    await connection.close();
  }
}

async function deleteStream(natsUrl: string, stream: string): Promise<void> {
  const connection = await connectToNats(natsUrl);
  try {
    await (await jetstreamManager(connection)).streams.delete(stream);
  } finally {
    await connection.close();
  }
}
