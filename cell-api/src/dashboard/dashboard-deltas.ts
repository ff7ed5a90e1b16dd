import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { DashboardDelta, OrderVoidedEvent, SaleRecordedEvent } from '@localstore/common';
import { EventBus } from '../events/event-bus';

/** A sale adds its figures to its bucket (sign 1); a void takes them back (sign -1). */
export function deltaOf(order: SaleRecordedEvent | OrderVoidedEvent, sign: 1 | -1, cause: DashboardDelta['cause']): DashboardDelta {
  return {
    locationId: order.locationId,
    businessDate: order.businessDate,
    hour: order.hour,
    paymentMethod: order.paymentMethod,
    revenue: sign * order.total,
    orders: sign,
    items: sign * order.itemCount,
    cause,
    orderId: order.orderId,
  };
}

/**
 * The change each sale and each void makes to its location's figures, published as
 * `dashboard.delta` for the screens to add to what they show (not a reload).
 */
@Injectable()
export class DashboardDeltas implements OnModuleInit {
  constructor(private readonly bus: EventBus) {}

  onModuleInit(): void {
    this.bus.subscribe(
      'sale.recorded',
      (tenantId, sale) => this.bus.publish('dashboard.delta', tenantId, deltaOf(sale, 1, 'sale.recorded')),
      { label: 'DashboardDeltas' },
    );
    this.bus.subscribe(
      'order.voided',
      (tenantId, order) => this.bus.publish('dashboard.delta', tenantId, deltaOf(order, -1, 'order.voided')),
      { label: 'DashboardDeltas' },
    );
  }
}
