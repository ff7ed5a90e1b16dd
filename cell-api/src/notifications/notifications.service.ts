import { Injectable, type OnModuleInit } from '@nestjs/common';
import { formatDong, type PaymentReceivedEvent } from '@localstore/common';
import { DataSource } from 'typeorm';
import { type TenantDb, withTenantTransaction } from '@localstore/cell-db';
import { renderMessage } from '../errors/messages/catalog';
import { EventBus } from '../events/event-bus';
import { PresenceRepository } from '../live/presence.repository';
import { PushDevicesRepository } from './push-devices.repository';
import type { PushMessage } from './push-message';
import { PushQueue } from './push-queue';

const PROVIDER_NAMES: Record<string, string> = { momo: 'MoMo', zalopay: 'ZaloPay', vnpay: 'VNPay' };

/**
 * Notifications to a tenant's owners. In the app they come through the sockets (the
 * events themselves); a push goes only to an owner with no screen open anywhere (no socket
 * of theirs on any of the cell's processes), to each of their registered devices.
 */
@Injectable()
export class NotificationsService implements OnModuleInit {
  constructor(
    private readonly devices: PushDevicesRepository,
    private readonly queue: PushQueue,
    private readonly presence: PresenceRepository,
    private readonly bus: EventBus,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.bus.subscribe('payment.received', (tenantId, payment) => this.paymentPush(tenantId, payment), { label: 'NotificationsService' });
  }

  /**
   * The owners hear of money taken (settled, or held as a discrepancy), not of a failed
   * try. The event comes after the payment's commit (a push for a payment that rolled back
   * would be a lie); what the push says is read then, in a transaction of its own, and not
   * at all when no push channel is configured.
   */
  async paymentPush(tenantId: string, payment: PaymentReceivedEvent): Promise<void> {
    if (!payment.succeeded || (!this.queue.canSend('fcm') && !this.queue.canSend('webpush'))) return;
    const push = await withTenantTransaction(this.dataSource, tenantId, async (db) => {
      const owners = (await this.devices.ownersDevices(db)).filter((device) => this.queue.canSend(device.kind));
      if (owners.length === 0) return () => Promise.resolve();
      const summary = payment.orderId ? await this.devices.orderSummary(db, payment.orderId) : { first: null, others: 0 };
      return this.toOwnersWithoutScreens(tenantId, owners, messageOf(payment, summary));
    });
    await push();
  }

  /**
   * New advice or an odd hour, for owners with no screen open: reads the devices inside the
   * caller's transaction and returns the effect to run after its commit.
   */
  async ownerPush(db: TenantDb, message: PushMessage): Promise<() => Promise<void>> {
    const owners = (await this.devices.ownersDevices(db)).filter((device) => this.queue.canSend(device.kind));
    if (owners.length === 0) return () => Promise.resolve();
    return this.toOwnersWithoutScreens(db.tenantId, owners, message);
  }

  private toOwnersWithoutScreens(tenantId: string, owners: { id: string; userId: string }[], message: PushMessage): () => Promise<void> {
    return async () => {
      const withScreens = await this.presence.usersWithOpenScreens(tenantId, [...new Set(owners.map((device) => device.userId))]);
      await this.queue.enqueue(
        owners.filter((device) => !withScreens.has(device.userId)).map((device) => ({ tenantId, deviceId: device.id, message })),
      );
    };
  }
}

function messageOf(payment: PaymentReceivedEvent, summary: { first: string | null; others: number }): PushMessage {
  const amount = formatDong(payment.amount);
  const provider = PROVIDER_NAMES[payment.provider] ?? payment.provider;
  const data = { kind: 'payment', paymentId: payment.paymentId, orderId: payment.orderId ?? '', locationId: payment.locationId };
  if (payment.discrepancy) {
    return {
      title: renderMessage('vi', 'PUSH_PAYMENT_DISCREPANCY_TITLE', { amount, provider }),
      body: renderMessage('vi', 'PUSH_PAYMENT_DISCREPANCY_BODY', { reason: renderMessage('vi', payment.discrepancy, {}) }),
      data: { ...data, discrepancy: payment.discrepancy },
    };
  }
  const item = summary.first ?? renderMessage('vi', 'PUSH_ORDER', {});
  return {
    title: renderMessage('vi', summary.others > 0 ? 'PUSH_PAYMENT_TITLE_MORE' : 'PUSH_PAYMENT_TITLE', {
      amount,
      item,
      others: summary.others,
    }),
    body: renderMessage('vi', 'PUSH_PAYMENT_BODY', { provider }),
    data,
  };
}
