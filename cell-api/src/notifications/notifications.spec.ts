import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePaymentsStream, type PaymentNotifiedEvent, paymentsBus } from '@localstore/common';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { io, type Socket } from 'socket.io-client';
import type { TestTenant } from '@localstore/cell-db/testing';
import { RECORD_SALE } from '../../test/operations';
import { FakeFcm, FakePushService, vapidKeys } from '../../test/push-services';
import { TestCell } from '../../test/test-cell';
import { PushQueue } from './push-queue';
import { eventually, NATS_URL, REDIS_URL } from '@localstore/common/testing';

const REGISTER = `mutation($input: RegisterPushDeviceInput!) { registerPushDevice(input: $input) { id kind } }`;

const until = (check: () => boolean | Promise<boolean>, timeoutMs = 15_000) => eventually(async () => check(), 'the push', timeoutMs);

/**
 * Pushes for payments to owners with no screen open: FCM HTTP v1 (OAuth service-account
 * JWT) and Web Push (VAPID, RFC 8291 encryption), on BullMQ over Redis, each against a
 * local server that checks the provider's contract (the Web Push one decrypts the payload).
 * Real: the cell, Postgres, Redis, NATS JetStream (the payment arrives as the ingress sends it).
 */
describe('push notifications', () => {
  let cell: TestCell;
  let fcm: FakeFcm;
  let pushService: FakePushService;
  let nats: NatsConnection;
  let tenant: TestTenant;
  let location: string;
  let item: { id: string };
  const namespace = `n${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  const bus = paymentsBus(namespace);
  const ownerId = randomUUID();
  let ownerToken: string;
  const sockets: Socket[] = [];
  const gql = (query: string, variables: Record<string, unknown>, token = ownerToken) =>
    cell.gql(query, variables, { token, tenant: tenant.slug });

  /** A MoMo sale, and its payment as the ingress would publish it. */
  async function paidMomoSale(quantity = 2): Promise<{ orderId: string; total: number }> {
    const sale = await gql(RECORD_SALE, {
      input: { id: randomUUID(), locationId: location, paymentMethod: 'MOMO', items: [{ itemId: item.id, quantity }] },
    });
    const order = sale.data!.recordSale;
    const transactionId = String(Date.now()) + String(Math.floor(Math.random() * 1000));
    const event: PaymentNotifiedEvent = {
      v: 1,
      provider: 'momo',
      transactionId,
      tenantId: tenant.id,
      orderId: order.id,
      locationId: location,
      orderRef: `${order.id}-1`,
      amount: order.total,
      expectedAmount: order.total,
      succeeded: true,
      resultCode: '0',
      message: 'Thành công.',
      paidAt: new Date().toISOString(),
      receivedAt: new Date().toISOString(),
    };
    await jetstream(nats).publish(bus.subjectOfTenant(tenant.id), JSON.stringify(event), { msgID: `momo:T:${transactionId}` });
    await until(
      async () => (await cell.ownerQuery(tenant.id, 'SELECT paid_at FROM orders WHERE id = $1', [order.id]))[0]?.paid_at !== null,
    );
    return { orderId: order.id, total: order.total };
  }

  beforeAll(async () => {
    fcm = await FakeFcm.start();
    const vapid = vapidKeys();
    pushService = await FakePushService.start(vapid.publicKey);
    const dir = mkdtempSync(join(tmpdir(), 'fcm-'));
    writeFileSync(join(dir, 'service-account.json'), JSON.stringify({ type: 'service_account', ...fcm.serviceAccount }));
    cell = await TestCell.start({
      REDIS_URL,
      REDIS_KEY_PREFIX: `test:${namespace}:`,
      NATS_URL,
      NATS_NAMESPACE: namespace,
      FCM_SERVICE_ACCOUNT_FILE: join(dir, 'service-account.json'),
      FCM_API_URL: fcm.url,
      VAPID_PUBLIC_KEY: vapid.publicKey,
      VAPID_PRIVATE_KEY: vapid.privateKey,
      VAPID_SUBJECT: 'mailto:ops@localstore.vn',
      PUSH_ALLOW_HTTP_ENDPOINTS: 'true',
      PUSH_RETRY_ATTEMPTS: '3',
      PUSH_RETRY_BACKOFF_MS: '50',
    });
    nats = await connect({ servers: NATS_URL });
    await ensurePaymentsStream(await jetstreamManager(nats), bus, 1);
    tenant = await cell.factories.newTenant();
    location = await cell.factories.newLocation(tenant);
    item = await cell.factories.newMenuItem(tenant, { name: 'Cà phê sữa đá', price: 25_000 });
    ownerToken = await cell.token({ tid: tenant.id, sub: ownerId });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await (await jetstreamManager(nats)).streams.delete(bus.stream).catch(() => undefined);
    await nats?.close();
    await cell?.stop();
    await fcm?.close();
    await pushService?.close();
  });

  it('pushes a payment to every device of an owner with no screen open, in Vietnamese, through FCM and Web Push', async () => {
    const phone = await gql(REGISTER, { input: { kind: 'fcm', token: `fcm-token-${randomUUID()}` } });
    const browser = pushService.subscribe();
    const web = await gql(REGISTER, { input: { kind: 'webpush', endpoint: browser.endpoint, p256dh: browser.p256dh, auth: browser.auth } });
    expect(phone.data!.registerPushDevice.kind).toBe('fcm');
    expect(web.data!.registerPushDevice.kind).toBe('webpush');
    const { orderId } = await paidMomoSale(2);
    await until(
      () =>
        fcm.messages.some((m) => m.data.orderId === orderId) &&
        pushService.received.some((r) => (r.payload.data as Record<string, string>).orderId === orderId),
    );
    const pushed = fcm.messages.find((m) => m.data.orderId === orderId)!;
    expect(pushed).toMatchObject({
      title: 'Thanh toán mới: 50.000 ₫ – Cà phê sữa đá',
      body: 'Qua MoMo',
      data: { kind: 'payment', locationId: location },
    });
    expect(pushService.received.find((r) => (r.payload.data as Record<string, string>).orderId === orderId)!.payload).toMatchObject({
      title: 'Thanh toán mới: 50.000 ₫ – Cà phê sữa đá',
    });
    expect([...fcm.refused, ...pushService.refused]).toEqual([]);
  });

  it('sends no push while the owner has a screen open', async () => {
    // Another owner of the business, with a phone and no screen open: the push of the same
    // payment to them shows that the payment's pushes were decided and sent.
    const otherOwner = await cell.token({ tid: tenant.id, sub: randomUUID() });
    const otherPhone = `fcm-token-other-owner-${randomUUID()}`;
    const otherDevice = await gql(REGISTER, { input: { kind: 'fcm', token: otherPhone } }, otherOwner);
    const socket = io(cell.url, {
      path: '/socket.io',
      transports: ['websocket'],
      reconnection: false,
      auth: { token: ownerToken },
      extraHeaders: { 'x-tenant': tenant.slug },
    });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.on('connect', () => resolve());
      socket.on('connect_error', reject);
    });
    const heard: unknown[] = [];
    socket.on('payment.received', (payment) => heard.push(payment));
    const before = fcm.messages.length + pushService.received.length;
    const { orderId } = await paidMomoSale(1);
    await until(() => heard.some((p) => (p as { orderId: string }).orderId === orderId));
    await until(() => fcm.messages.some((m) => m.token === otherPhone && m.data.orderId === orderId));
    // A payment's pushes are enqueued together: with none left to send, one to the owner with a
    // screen open would have arrived by now.
    const queue = cell.running.app.get(PushQueue);
    await until(async () => (await queue.unsettled()) === 0);
    expect(fcm.messages.filter((m) => m.data.orderId === orderId).map((m) => m.token)).toEqual([otherPhone]);
    expect(fcm.messages.length + pushService.received.length).toBe(before + 1);
    socket.disconnect();
    await gql('mutation($id: ID!) { unregisterPushDevice(id: $id) }', { id: otherDevice.data!.registerPushDevice.id }, otherOwner);
  });

  it('prunes a device the provider says is gone', async () => {
    const goneToken = `fcm-token-gone-${randomUUID()}`;
    fcm.unregistered.add(goneToken);
    await gql(REGISTER, { input: { kind: 'fcm', token: goneToken } });
    const expired = pushService.subscribe(true);
    await gql(REGISTER, { input: { kind: 'webpush', endpoint: expired.endpoint, p256dh: expired.p256dh, auth: expired.auth } });
    await paidMomoSale(1);
    await until(
      async () =>
        (await cell.ownerQuery(tenant.id, 'SELECT token FROM push_devices WHERE token = ANY($1)', [[goneToken, expired.endpoint]]))
          .length === 0,
    );
  });

  it('retries a push while FCM is down, then keeps it in the dead-letter list', async () => {
    fcm.down = true;
    try {
      const { orderId } = await paidMomoSale(1);
      const queue = cell.running.app.get(PushQueue);
      await until(async () => (await queue.deadLetters()).some((job) => job.message.data.orderId === orderId));
      expect(fcm.messages.some((m) => m.data.orderId === orderId)).toBe(false);
    } finally {
      fcm.down = false;
    }
  });

  it('takes device registrations only as documented, and only the owner’s own can be removed', async () => {
    for (const [input, field] of [
      [{ kind: 'sms', token: 'x'.repeat(30) }, 'input.kind'],
      [{ kind: 'fcm' }, 'input.token'],
      [{ kind: 'fcm', token: 'has spaces and ; semicolons' }, 'input.token'],
      [{ kind: 'webpush', endpoint: 'not a url', p256dh: 'A'.repeat(87), auth: 'A'.repeat(22) }, 'input.endpoint'],
      [{ kind: 'webpush', endpoint: 'https://push.example/x', p256dh: 'short', auth: 'A'.repeat(22) }, 'input.p256dh'],
      [{ kind: 'webpush', endpoint: 'https://push.example/x', p256dh: 'A'.repeat(87) }, 'input.auth'],
    ] as const) {
      const answer = await gql(REGISTER, { input });
      expect(answer.errors?.[0]?.extensions, JSON.stringify(answer)).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const mine = await gql(REGISTER, { input: { kind: 'fcm', token: `fcm-token-${randomUUID()}` } });
    const someoneElse = await cell.token({ tid: tenant.id, sub: randomUUID() });
    const removedByOther = await gql(
      'mutation($id: ID!) { unregisterPushDevice(id: $id) }',
      { id: mine.data!.registerPushDevice.id },
      someoneElse,
    );
    expect(removedByOther.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    const removed = await gql('mutation($id: ID!) { unregisterPushDevice(id: $id) }', { id: mine.data!.registerPushDevice.id });
    expect(removed.data).toEqual({ unregisterPushDevice: true });
  });
});
