import { Injectable } from '@nestjs/common';
import { formatDong } from '@localstore/common';
import type { TenantDb } from '@localstore/cell-db';
import { renderMessage } from '../errors/messages/catalog';
import { LiveUpdates, type PaymentReceivedEvent } from '../live/live-updates';
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
export class NotificationsService {
  constructor(
    private readonly devices: PushDevicesRepository,
    private readonly queue: PushQueue,
    private readonly live: LiveUpdates,
  ) {}

  /**
   * Reads what the push will say inside the recording transaction and returns the effect
   * to run after its commit (a push for a payment that rolled back would be a lie).
   */
  async paymentPush(db: TenantDb, payment: PaymentReceivedEvent): Promise<() => Promise<void>> {
    const owners = (await this.devices.ownersDevices(db)).filter((device) => this.queue.canSend(device.kind));
    if (owners.length === 0) return () => Promise.resolve();
    const summary = payment.orderId ? await this.devices.orderSummary(db, payment.orderId) : { first: null, others: 0 };
    const message = messageOf(payment, summary);
    const tenantId = db.tenantId;
    return this.toOwnersWithoutScreens(tenantId, owners, message);
  }

  /** New advice or an odd hour, for owners with no screen open; the same after-commit shape. */
  async ownerPush(db: TenantDb, message: PushMessage): Promise<() => Promise<void>> {
    const owners = (await this.devices.ownersDevices(db)).filter((device) => this.queue.canSend(device.kind));
    if (owners.length === 0) return () => Promise.resolve();
    return this.toOwnersWithoutScreens(db.tenantId, owners, message);
  }

  private toOwnersWithoutScreens(tenantId: string, owners: { id: string; userId: string }[], message: PushMessage): () => Promise<void> {
    return async () => {
      const withScreens = await this.live.usersWithOpenScreens(tenantId, [...new Set(owners.map((device) => device.userId))]);
      await this.queue.enqueue(owners.filter((device) => !withScreens.has(device.userId)).map((device) => ({ tenantId, deviceId: device.id, message })));
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
    title: renderMessage('vi', summary.others > 0 ? 'PUSH_PAYMENT_TITLE_MORE' : 'PUSH_PAYMENT_TITLE', { amount, item, others: summary.others }),
    body: renderMessage('vi', 'PUSH_PAYMENT_BODY', { provider }),
    data,
  };
}
