import { Injectable } from '@nestjs/common';
import { type PaymentCheckoutReply, type PaymentCheckoutRequest, type PaymentProvider } from '@localstore/common';
import type { AuthorizedContext } from '../graphql/request-context';
import { PaymentErrorCode, PaymentException } from './payment.exception';
import type { PaymentCheckout } from './payment.types';
import { CellBus } from './cell-bus';
import { PaymentsRepository } from './payments.repository';

/**
 * Opens a provider payment for an order recorded with that wallet: the control plane holds
 * the tenant's merchant account, so the cell asks it over NATS (request-reply) with the
 * order's own total, never an amount from the client.
 */
@Injectable()
export class PaymentCheckoutService {
  constructor(
    private readonly payments: PaymentsRepository,
    private readonly bus: CellBus,
  ) {}

  async requestPayment(ctx: AuthorizedContext, orderId: string, provider: PaymentProvider): Promise<PaymentCheckout> {
    const { db, principal } = ctx;
    const order = await this.payments.orderToCheckout(db, orderId);
    if (!order) throw new PaymentException(PaymentErrorCode.ORDER_NOT_FOUND, 'orderId');
    principal.assertLocation(order.locationId, 'orderId');
    if (order.status !== 'completed' || order.paidAt) throw new PaymentException(PaymentErrorCode.ORDER_NOT_PAYABLE, 'orderId');
    if (order.paymentMethod !== provider) throw new PaymentException(PaymentErrorCode.PROVIDER_MISMATCH, 'provider');
    const connection = this.bus.current();
    if (!connection) throw new PaymentException(PaymentErrorCode.PROVIDER_UNAVAILABLE, 'provider');
    const request: PaymentCheckoutRequest = {
      tenantId: db.tenantId,
      orderId,
      locationId: order.locationId,
      provider,
      amount: order.total,
      // VNPay asks for Vietnamese without diacritics here; the others show it as is.
      description: `Thanh toan don hang ${orderId.slice(0, 8)}`,
    };
    let reply: PaymentCheckoutReply;
    try {
      reply = (
        await connection.request(this.bus.payments.checkoutSubject, JSON.stringify(request), { timeout: this.bus.requestTimeoutMs })
      ).json<PaymentCheckoutReply>();
    } catch {
      throw new PaymentException(PaymentErrorCode.PROVIDER_UNAVAILABLE, 'provider');
    }
    if (!reply.ok) {
      const code = reply.code === 'INVALID_REQUEST' ? PaymentErrorCode.PROVIDER_UNAVAILABLE : PaymentErrorCode[reply.code];
      throw new PaymentException(code, reply.code === 'TOO_MANY_ATTEMPTS' ? 'orderId' : 'provider', { provider });
    }
    return { provider: reply.provider, orderRef: reply.orderRef, payUrl: reply.payUrl, expiresAt: new Date(reply.expiresAt) };
  }
}
