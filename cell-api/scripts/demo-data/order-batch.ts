import type { DemoOrder } from './demand-model';
import { stableUuid } from './stable-uuid';

/**
 * A few thousand orders laid out column by column, the way `unnest($1::uuid[], …)` takes
 * them: one statement writes the whole batch, instead of one round trip per order.
 */
export class OrderBatch {
  readonly orders = {
    id: [] as string[],
    locationId: [] as string[],
    channel: [] as string[],
    status: [] as string[],
    paymentMethod: [] as string[],
    businessDate: [] as string[],
    hour: [] as number[],
    createdAtUnix: [] as number[],
    subtotal: [] as number[],
    discount: [] as number[],
    total: [] as number[],
    itemCount: [] as number[],
    paidAtUnix: [] as (number | null)[],
    createdBy: [] as string[],
    voidReason: [] as (string | null)[],
    voidedAtUnix: [] as (number | null)[],
    voidedBy: [] as (string | null)[],
  };

  readonly lines = {
    orderId: [] as string[],
    lineNo: [] as number[],
    itemId: [] as string[],
    itemName: [] as string[],
    quantity: [] as number[],
    unitPrice: [] as number[],
    /** JSON text of `[{id, name, priceDelta}]`, as the app stores it. */
    modifiers: [] as string[],
    lineTotal: [] as number[],
  };

  readonly payments = {
    id: [] as string[],
    locationId: [] as string[],
    orderId: [] as string[],
    provider: [] as string[],
    providerTransactionId: [] as string[],
    amount: [] as number[],
    paidAtUnix: [] as number[],
  };

  /** The audit entries the app writes when a manager voids an order. */
  readonly voidAudits = {
    id: [] as string[],
    orderId: [] as string[],
  };

  completedOrders = 0;
  voidedOrders = 0;
  /** Sum of completed orders' totals, in đồng. */
  revenue = 0;

  get size(): number {
    return this.orders.id.length;
  }

  add(order: DemoOrder): void {
    const { orders, lines, payments } = this;
    const { priced } = order;
    orders.id.push(order.id);
    orders.locationId.push(order.locationId);
    orders.channel.push(order.channel);
    orders.status.push(order.void ? 'voided' : 'completed');
    orders.paymentMethod.push(order.paymentMethod);
    orders.businessDate.push(order.businessDate);
    orders.hour.push(order.hour);
    orders.createdAtUnix.push(order.createdAtUnix);
    orders.subtotal.push(priced.subtotal);
    orders.discount.push(priced.discount);
    orders.total.push(priced.total);
    orders.itemCount.push(priced.itemCount);
    orders.paidAtUnix.push(order.paidAtUnix);
    orders.createdBy.push(order.createdBy);
    orders.voidReason.push(order.void?.reason ?? null);
    orders.voidedAtUnix.push(order.void?.atUnix ?? null);
    orders.voidedBy.push(order.void?.by ?? null);

    for (const line of priced.lines) {
      lines.orderId.push(order.id);
      lines.lineNo.push(line.lineNo);
      lines.itemId.push(line.itemId);
      lines.itemName.push(line.name);
      lines.quantity.push(line.quantity);
      lines.unitPrice.push(line.unitPrice);
      lines.modifiers.push(JSON.stringify(line.modifiers));
      lines.lineTotal.push(line.lineTotal);
    }

    if (order.payment) {
      payments.id.push(order.payment.id);
      payments.locationId.push(order.locationId);
      payments.orderId.push(order.id);
      payments.provider.push(order.paymentMethod);
      payments.providerTransactionId.push(order.payment.providerTransactionId);
      payments.amount.push(priced.total);
      payments.paidAtUnix.push(order.paidAtUnix!);
    }

    if (order.void) {
      this.voidAudits.id.push(stableUuid('audit', 'order.voided', order.id));
      this.voidAudits.orderId.push(order.id);
      this.voidedOrders++;
    } else {
      this.completedOrders++;
      this.revenue += priced.total;
    }
  }
}
