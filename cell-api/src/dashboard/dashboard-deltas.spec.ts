import type { DashboardDelta, OrderVoidedEvent, SaleRecordedEvent } from '@localstore/common';
import pino from 'pino';
import { EventBus, SCREENS_FIRST } from '../events/event-bus';
import { DashboardDeltas } from './dashboard-deltas';

const sale: SaleRecordedEvent = {
  orderId: 'o-1',
  locationId: 'l-1',
  total: 110_000,
  itemCount: 2,
  paymentMethod: 'momo',
  channel: 'dine_in',
  businessDate: '2026-01-15',
  hour: 12,
  createdAt: '2026-01-15T05:10:00.000Z',
};
const voided: OrderVoidedEvent = { ...sale, voidedAt: '2026-01-15T09:00:00.000Z' };

/** Dashboard deltas from sales and voids. Real: the event bus and the subscriber. Stubbed: nothing. */
describe('DashboardDeltas', () => {
  let bus: EventBus;
  let deltas: DashboardDelta[];

  beforeEach(() => {
    bus = new EventBus(pino({ level: 'silent' }));
    new DashboardDeltas(bus).onModuleInit();
    deltas = [];
    bus.subscribe('dashboard.delta', (_tenantId, delta) => void deltas.push(delta), { label: 'screens' });
  });

  it('adds a sale’s figures to its bucket, at the sale’s own date and hour', async () => {
    await bus.publish('sale.recorded', 't', sale);
    expect(deltas).toEqual([
      {
        locationId: 'l-1',
        businessDate: '2026-01-15',
        hour: 12,
        paymentMethod: 'momo',
        revenue: 110_000,
        orders: 1,
        items: 2,
        cause: 'sale.recorded',
        orderId: 'o-1',
      },
    ]);
  });

  it('takes a void’s figures back from the sale’s bucket, not the hour of the void', async () => {
    await bus.publish('order.voided', 't', voided);
    expect(deltas).toEqual([
      {
        locationId: 'l-1',
        businessDate: '2026-01-15',
        hour: 12,
        paymentMethod: 'momo',
        revenue: -110_000,
        orders: -1,
        items: -2,
        cause: 'order.voided',
        orderId: 'o-1',
      },
    ]);
  });

  it('publishes a sale’s delta after the screens have heard the sale, before the next event', () => {
    const heard: string[] = [];
    for (const event of ['sale.recorded', 'order.voided', 'dashboard.delta'] as const) {
      bus.subscribe(event, (_t, payload) => void heard.push(`${event} ${payload.orderId}`), { label: 'screens', priority: SCREENS_FIRST });
    }
    void bus.publish('sale.recorded', 't', sale);
    void bus.publish('order.voided', 't', { ...voided, orderId: 'o-2' });
    expect(heard).toEqual(['sale.recorded o-1', 'dashboard.delta o-1', 'order.voided o-2', 'dashboard.delta o-2']);
  });
});
