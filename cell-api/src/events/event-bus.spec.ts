import type { SaleRecordedEvent } from '@localstore/common';
import pino from 'pino';
import { EventBus, SCREENS_FIRST } from './event-bus';

const sale = (orderId = 'o-1'): SaleRecordedEvent => ({
  orderId,
  locationId: 'l-1',
  total: 55_000,
  itemCount: 1,
  paymentMethod: 'cash',
  channel: 'dine_in',
  businessDate: '2026-01-15',
  hour: 12,
  createdAt: '2026-01-15T05:00:00.000Z',
});

/** The in-process event bus on its own. Real: the bus and a pino logger writing to memory. Stubbed: nothing. */
describe('EventBus', () => {
  let logged: Record<string, unknown>[];
  let sut: EventBus;

  beforeEach(() => {
    logged = [];
    sut = new EventBus(pino({ level: 'warn' }, { write: (line: string) => void logged.push(JSON.parse(line) as Record<string, unknown>) }));
  });

  it('hands a published event, with its tenant, to every subscriber of its name and to no other', async () => {
    const heard: [string, string, SaleRecordedEvent][] = [];
    sut.subscribe('sale.recorded', (tenantId, payload) => void heard.push(['first', tenantId, payload]), { label: 'first' });
    sut.subscribe('sale.recorded', (tenantId, payload) => void heard.push(['second', tenantId, payload]), { label: 'second' });
    sut.subscribe('order.voided', () => void heard.push(['voids', '', sale()]), { label: 'voids' });
    await sut.publish('sale.recorded', 'tenant-a', sale());
    expect(heard).toEqual([
      ['first', 'tenant-a', sale()],
      ['second', 'tenant-a', sale()],
    ]);
  });

  it('types each event’s payload by its name', () => {
    sut.subscribe(
      'payment.received',
      (_tenantId, payment) => {
        // A payment's fields are known to the handler; a sale's are not.
        expect(typeof payment.amount).toBe('number');
        // @ts-expect-error a payment has no itemCount
        void payment.itemCount;
      },
      { label: 'typed' },
    );
    // @ts-expect-error a sale's payload is not a void's
    void sut.publish('order.voided', 't', sale());
    // @ts-expect-error no such event
    void sut.publish('sale.deleted', 't', sale());
  });

  it('logs a subscriber that throws or rejects, and the others still hear the event', async () => {
    const heard: string[] = [];
    sut.subscribe(
      'sale.recorded',
      () => {
        throw new Error('boom');
      },
      { label: 'Throws' },
    );
    sut.subscribe('sale.recorded', () => Promise.reject(new Error('later boom')), { label: 'Rejects' });
    sut.subscribe('sale.recorded', () => void heard.push('after'), { label: 'After' });
    await expect(sut.publish('sale.recorded', 'tenant-a', sale())).resolves.toBeUndefined();
    expect(heard).toEqual(['after']);
    expect(logged.map((line) => [line.subscriber, line.event, line.tenant_id, (line.err as { message: string }).message])).toEqual([
      ['Throws', 'sale.recorded', 'tenant-a', 'boom'],
      ['Rejects', 'sale.recorded', 'tenant-a', 'later boom'],
    ]);
  });

  it('runs subscribers by priority, then in the order they subscribed, each promise awaited before the next', async () => {
    const heard: string[] = [];
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    sut.subscribe(
      'sale.recorded',
      async () => {
        heard.push('slow starts');
        await released;
        heard.push('slow ends');
      },
      { label: 'slow' },
    );
    sut.subscribe('sale.recorded', () => void heard.push('after slow'), { label: 'after' });
    sut.subscribe('sale.recorded', () => void heard.push('screens'), { label: 'screens', priority: SCREENS_FIRST });
    const publishing = sut.publish('sale.recorded', 't', sale());
    expect(heard).toEqual(['screens', 'slow starts']);
    release();
    await publishing;
    expect(heard).toEqual(['screens', 'slow starts', 'slow ends', 'after slow']);
  });

  it('runs synchronous subscribers before publish returns, so events keep the order they were published in', () => {
    const heard: string[] = [];
    sut.subscribe('sale.recorded', (_t, payload) => void heard.push(`sale ${payload.orderId}`), {
      label: 'screens',
      priority: SCREENS_FIRST,
    });
    // A derived event published from a handler reaches its subscribers at once.
    sut.subscribe(
      'sale.recorded',
      (tenantId, payload) => sut.publish('order.voided', tenantId, { ...payload, voidedAt: payload.createdAt }),
      { label: 'derives' },
    );
    sut.subscribe('order.voided', (_t, payload) => void heard.push(`derived ${payload.orderId}`), {
      label: 'screens',
      priority: SCREENS_FIRST,
    });
    void sut.publish('sale.recorded', 't', sale('o-1'));
    void sut.publish('sale.recorded', 't', sale('o-2'));
    expect(heard).toEqual(['sale o-1', 'derived o-1', 'sale o-2', 'derived o-2']);
  });

  it('stops delivering to a subscriber that unsubscribed', async () => {
    const heard: string[] = [];
    const unsubscribe = sut.subscribe('sale.recorded', (_t, payload) => void heard.push(payload.orderId), { label: 'leaves' });
    await sut.publish('sale.recorded', 't', sale('o-1'));
    unsubscribe();
    await sut.publish('sale.recorded', 't', sale('o-2'));
    expect(heard).toEqual(['o-1']);
  });
});
