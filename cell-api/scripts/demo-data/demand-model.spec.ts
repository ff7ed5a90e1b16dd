import { addDays, isUuid, localDateHour, type IsoDate } from '@localstore/common';
import { DemandModel, type DemoOrder, SETTLING_SECONDS, settledHourBefore, VOID_DELAY_SECONDS } from './demand-model';
import type { DemoMenuItem } from './demo-menu';
import { WALLET_METHODS } from './demand-profiles';
import { DEMO_TENANTS, type DemoTenant } from './demo-tenants';

/** A fixed end with two Tết seasons in the phở chain's 18 months (29/1/2025 and 17/2/2026). */
const END = new Date('2026-03-15T12:30:00+07:00');
const END_UNIX = END.getTime() / 1000;

const tenantOf = (slug: string): DemoTenant => DEMO_TENANTS.find((tenant) => tenant.slug === slug)!;
const PHO = tenantOf('pho-bo-hanoi');
const CAFE = tenantOf('ca-phe-sua-da');
const BANH_MI = tenantOf('banh-mi-co-ba');

const modelOf = (tenant: DemoTenant, seed = 7, end = END) => new DemandModel({ tenant, seed, scale: 1, end });
const at = (localTime: string) => new Date(`${localTime}+07:00`);

function datesFrom(first: IsoDate, days: number): IsoDate[] {
  return Array.from({ length: days }, (_, n) => addDays(first, n));
}

function ordersOver(model: DemandModel, dates: IsoDate[]): DemoOrder[] {
  return model.history.tenant.locations.flatMap((location) => dates.flatMap((date) => model.ordersOfDay(location, date)));
}

describe('the demo demand model', () => {
  it('gives the same orders for the same seed and end, and other orders for another seed', () => {
    const location = CAFE.locations[0]!;
    const first = modelOf(CAFE).ordersOfDay(location, '2026-03-10');
    expect(modelOf(CAFE).ordersOfDay(location, '2026-03-10')).toEqual(first);
    expect(first.length).toBeGreaterThan(100);
    const other = modelOf(CAFE, 8).ordersOfDay(location, '2026-03-10');
    expect(other.map((order) => order.id)).not.toEqual(first.map((order) => order.id));
    expect(other.map((order) => order.priced.total)).not.toEqual(first.map((order) => order.priced.total));
  });

  it('streams each day exactly as generating that day alone gives it', () => {
    const model = modelOf(BANH_MI);
    const streamed = [...model.ordersByDay()];
    const day = streamed.find((orders) => orders[0]?.businessDate === '2026-01-07')!;
    expect(model.ordersOfDay(BANH_MI.locations[0]!, '2026-01-07')).toEqual(day);
  });

  it('closes the phở shops from Giao thừa afternoon through mùng 3 and reopens them quieter', () => {
    const model = modelOf(PHO);
    for (const location of PHO.locations) {
      const giaoThua = model.ordersOfDay(location, '2026-02-16');
      expect(giaoThua.length).toBeGreaterThan(0);
      expect(Math.max(...giaoThua.map((order) => order.hour))).toBeLessThan(14);
      for (const mung of ['2026-02-17', '2026-02-18', '2026-02-19']) expect(model.ordersOfDay(location, mung)).toEqual([]);
      // Mùng 4 (a Friday) against the Friday four weeks before.
      expect(model.ordersOfDay(location, '2026-02-20').length).toBeGreaterThan(0);
      expect(model.ordersOfDay(location, '2026-02-20').length).toBeLessThan(model.ordersOfDay(location, '2026-01-23').length);
    }
    // The 2025 Tết is on its own lunar date, 29 January.
    expect(model.ordersOfDay(PHO.locations[0]!, '2025-01-29')).toEqual([]);
    expect(model.ordersOfDay(PHO.locations[0]!, '2025-02-17').length).toBeGreaterThan(0);
  });

  it('keeps the bánh mì cart closed through mùng 4, its owner away in her home province', () => {
    const model = modelOf(BANH_MI);
    for (const date of datesFrom('2026-02-17', 4)) expect(model.ordersOfDay(BANH_MI.locations[0]!, date)).toEqual([]);
    expect(model.ordersOfDay(BANH_MI.locations[0]!, '2026-02-21').length).toBeGreaterThan(0);
  });

  it('is busier in the days before Tết than on the same weekdays a month earlier', () => {
    const model = modelOf(PHO);
    const surge = ordersOver(model, datesFrom('2026-02-06', 10)).length;
    const ordinary = ordersOver(model, datesFrom('2026-01-09', 10)).length;
    expect(surge).toBeGreaterThan(ordinary * 1.1);
    // One day: Saturday 14/2 (three days before Tết) against Saturday 17/1.
    const location = PHO.locations[1]!;
    expect(model.ordersOfDay(location, '2026-02-14').length).toBeGreaterThan(model.ordersOfDay(location, '2026-01-17').length);
  });

  it('sells more on an average weekend day than on an average weekday at the phở chain and the café', () => {
    for (const tenant of [PHO, CAFE]) {
      const model = modelOf(tenant);
      const dates = datesFrom('2025-11-24', 7 * 6);
      const perDay = (weekend: boolean) => {
        const chosen = dates.filter((date) => [0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay()) === weekend);
        return ordersOver(model, chosen).length / chosen.length;
      };
      expect(perDay(true)).toBeGreaterThan(perDay(false) * 1.1);
    }
  });

  it('peaks at breakfast, lunch and dinner for phở, morning and mid-afternoon for coffee, breakfast for bánh mì', () => {
    const byHour = (tenant: DemoTenant) => {
      const counts = new Array<number>(24).fill(0);
      for (const order of ordersOver(modelOf(tenant), datesFrom('2026-03-01', 14))) counts[order.hour]!++;
      return counts;
    };
    const pho = byHour(PHO);
    expect(pho[7]!).toBeGreaterThan(pho[10]! * 2);
    expect(pho[12]!).toBeGreaterThan(pho[15]! * 3);
    expect(pho[18]!).toBeGreaterThan(pho[15]! * 3);
    expect(
      pho
        .slice(22)
        .concat(pho.slice(0, 6))
        .every((count) => count === 0),
    ).toBe(true);
    const cafe = byHour(CAFE);
    expect(cafe[8]!).toBeGreaterThan(cafe[12]! * 2);
    expect(cafe[15]!).toBeGreaterThan(cafe[12]! * 1.5);
    const banhMi = byHour(BANH_MI);
    expect(banhMi[7]!).toBeGreaterThan(banhMi[13]! * 5);
    expect(banhMi[16]!).toBeGreaterThan(banhMi[13]!);
  });

  it('sells each location at its own size, about 300 to 400 orders a day for a phở shop', () => {
    const model = modelOf(PHO);
    const dates = datesFrom('2026-03-01', 14);
    const daily = PHO.locations.map((location) => dates.flatMap((date) => model.ordersOfDay(location, date)).length / dates.length);
    for (const orders of daily) {
      expect(orders).toBeGreaterThan(280);
      expect(orders).toBeLessThan(480);
    }
    expect(daily[0]!).toBeGreaterThan(daily[4]!);
  });

  it('stops the history at the end instant, today included', () => {
    const model = modelOf(PHO);
    const today = model.ordersOfDay(PHO.locations[0]!, '2026-03-15');
    expect(today.length).toBeGreaterThan(50);
    expect(today.every((order) => order.createdAtUnix < END_UNIX && order.hour <= 12)).toBe(true);
    expect(today.some((order) => order.hour === 12)).toBe(true);
    expect(model.calendar.lastDate).toBe('2026-03-15');
    expect(model.calendar.firstDate).toBe('2024-09-15');
  });

  it('gives an hour the same orders whether the history stops before it, inside it or after it', () => {
    // A top-up's model: the window of the first seed, a later end. One month keeps it quick.
    const pho = { ...PHO, months: 1 };
    const windowEnd = at('2026-03-15T12:30:00');
    const historyUpTo = (end: Date) => new DemandModel({ tenant: pho, seed: 7, scale: 0.2, windowEnd, end });
    const idsOf = (days: Iterable<DemoOrder[]>) =>
      [...days]
        .flat()
        .map((order) => `${order.id} ${order.createdAtUnix} ${order.priced.total}`)
        .sort();
    const atOnce = [...historyUpTo(at('2026-03-18T19:00:00')).ordersByDay()].flat();
    for (const stop of [at('2026-03-15T12:00:00'), at('2026-03-16T14:20:00')]) {
      const before = [...historyUpTo(stop).ordersByDay()].flat();
      const after = [...historyUpTo(at('2026-03-18T19:00:00')).ordersByDay(stop)].flat();
      expect(before.every((order) => order.createdAtUnix < stop.getTime() / 1000)).toBe(true);
      expect(after.every((order) => order.createdAtUnix >= stop.getTime() / 1000)).toBe(true);
      expect(before.length).toBeGreaterThan(500);
      expect(after.length).toBeGreaterThan(500);
      expect(idsOf([before, after])).toEqual(idsOf([atOnce]));
      // Whole orders, fates included: a void or payment is not cut short where a piece stops.
      expect([...before, ...after].sort((a, b) => a.id.localeCompare(b.id))).toEqual([...atOnce].sort((a, b) => a.id.localeCompare(b.id)));
    }
  });

  it('keeps the days of the window as they were when the history goes on past it, and carries the trend on', () => {
    const location = PHO.locations[0]!;
    const toppedUp = new DemandModel({ tenant: PHO, seed: 7, scale: 1, windowEnd: END, end: at('2026-05-20T12:00:00') });
    expect(toppedUp.ordersOfDay(location, '2026-03-10')).toEqual(modelOf(PHO).ordersOfDay(location, '2026-03-10'));
    expect(toppedUp.calendar.firstDate).toBe('2024-09-15');
    expect(toppedUp.calendar.lastDate).toBe('2026-05-20');
    const problems: string[] = [];
    const context = {
      items: new Map(toppedUp.menu.items.map((item) => [item.id, item])),
      staffIds: new Set(toppedUp.staff.map((member) => member.userId)),
      seenTransactions: new Set<string>(),
    };
    const later = ordersOver(toppedUp, datesFrom('2026-05-11', 7));
    for (const order of later) problems.push(...inconsistenciesOf(order, context));
    expect(problems.slice(0, 10)).toEqual([]);
    expect(later.length).toBeGreaterThan(7 * PHO.locations.length * 250);
  });

  it('stops a history on the hour, late enough that every order before it has settled', () => {
    expect(SETTLING_SECONDS).toBe(VOID_DELAY_SECONDS[1]);
    expect(settledHourBefore(at('2026-03-15T14:25:00'))).toEqual(at('2026-03-15T14:00:00'));
    expect(settledHourBefore(at('2026-03-15T14:20:00'))).toEqual(at('2026-03-15T14:00:00'));
    expect(settledHourBefore(at('2026-03-15T14:19:59.999'))).toEqual(at('2026-03-15T13:00:00'));
    expect(settledHourBefore(at('2026-03-16T00:05:00'))).toEqual(at('2026-03-15T23:00:00'));
  });

  it('shifts the payment mix towards wallets over the history', () => {
    const model = modelOf(PHO);
    const walletShare = (orders: DemoOrder[]) => orders.filter((order) => WALLET_METHODS.has(order.paymentMethod)).length / orders.length;
    const early = walletShare(ordersOver(model, datesFrom('2024-09-16', 14)));
    const late = walletShare(ordersOver(model, datesFrom('2026-02-28', 14)));
    expect(late).toBeGreaterThan(early + 0.05);
  });

  it('generates orders that add up as the app would have recorded them', () => {
    const problems: string[] = [];
    const seenIds = new Set<string>();
    let voided = 0;
    let orders = 0;
    for (const tenant of [PHO, CAFE, BANH_MI]) {
      const model = modelOf(tenant);
      const context = {
        items: new Map(model.menu.items.map((item) => [item.id, item])),
        staffIds: new Set(model.staff.map((member) => member.userId)),
        // Provider transaction ids are unique per tenant, as the schema's constraint is.
        seenTransactions: new Set<string>(),
      };
      for (const order of ordersOver(model, datesFrom('2026-03-11', 5))) {
        orders++;
        if (order.void) voided++;
        if (seenIds.has(order.id)) problems.push(`${order.id}: id used twice`);
        seenIds.add(order.id);
        problems.push(...inconsistenciesOf(order, context).map((problem) => `${tenant.slug} ${order.id}: ${problem}`));
      }
    }
    expect(problems.slice(0, 10)).toEqual([]);
    expect(orders).toBeGreaterThan(8_000);
    expect(voided / orders).toBeGreaterThan(0.001);
    expect(voided / orders).toBeLessThan(0.01);
  });

  it('refuses a scale outside (0, 1] and an end beyond the known Tết dates', () => {
    expect(() => new DemandModel({ tenant: CAFE, seed: 1, scale: 0, end: END })).toThrow(/scale/);
    expect(() => new DemandModel({ tenant: CAFE, seed: 1, scale: 1.5, end: END })).toThrow(/scale/);
    expect(() => new DemandModel({ tenant: CAFE, seed: 1, scale: Number.NaN, end: END })).toThrow(/scale/);
    expect(() => new DemandModel({ tenant: CAFE, seed: 1, scale: 1, end: new Date('2031-06-01T00:00:00Z') })).toThrow(/Tết.*2031/);
    expect(() => new DemandModel({ tenant: CAFE, seed: 1, scale: 1, end: new Date('nonsense') })).toThrow(/end/);
  });
});

/** Everything the app's pricing, clock and payment flow would make true of an order, as a list of what is not. */
function inconsistenciesOf(
  order: DemoOrder,
  context: { items: Map<string, DemoMenuItem>; staffIds: Set<string>; seenTransactions: Set<string> },
): string[] {
  const problems: string[] = [];
  const check = (holds: boolean, problem: string) => holds || problems.push(problem);
  const { priced } = order;
  check(isUuid(order.id), 'id is not a UUID');
  const local = localDateHour(new Date(order.createdAtUnix * 1000));
  check(
    local.businessDate === order.businessDate && local.hour === order.hour,
    `local time ${JSON.stringify(local)} is not its date and hour`,
  );
  check(priced.lines.length >= 1 && priced.lines.length <= 4, `${priced.lines.length} lines`);
  priced.lines.forEach((line, index) => {
    const item = context.items.get(line.itemId);
    if (!item) return problems.push(`line ${index + 1} sells an item not on the menu`);
    check(line.lineNo === index + 1 && line.name === item.name, `line ${index + 1} is numbered or named wrong`);
    check(
      line.modifiers.every((modifier) => item.modifiers.some((m) => m.id === modifier.id)),
      `line ${index + 1} has another item's modifier`,
    );
    check(line.unitPrice === item.price + line.modifiers.reduce((sum, m) => sum + m.priceDelta, 0), `line ${index + 1} unit price`);
    check(line.lineTotal === line.unitPrice * line.quantity, `line ${index + 1} total`);
  });
  check(priced.subtotal === priced.lines.reduce((sum, line) => sum + line.lineTotal, 0), 'subtotal is not the sum of its lines');
  check(priced.itemCount === priced.lines.reduce((sum, line) => sum + line.quantity, 0), 'item count');
  check([0, 5_000, 10_000].includes(priced.discount) && priced.discount * 2 <= priced.subtotal, `discount ${priced.discount}`);
  check(priced.total === priced.subtotal - priced.discount, 'total is not subtotal minus discount');
  check(context.staffIds.has(order.createdBy), 'sold by someone not on the staff');

  const wallet = WALLET_METHODS.has(order.paymentMethod);
  if (!wallet) check(order.paidAtUnix === order.createdAtUnix, 'cash or card not paid at the counter');
  if (wallet && order.paidAtUnix !== null) {
    check(
      order.paidAtUnix > order.createdAtUnix && order.paidAtUnix <= order.createdAtUnix + SETTLING_SECONDS,
      'wallet paid before the sale or too late',
    );
  }
  check((order.payment !== null) === (wallet && order.paidAtUnix !== null), 'payment row does not match a paid wallet order');
  if (order.payment) {
    const key = `${order.paymentMethod}:${order.payment.providerTransactionId}`;
    check(!context.seenTransactions.has(key), `transaction ${key} used twice`);
    context.seenTransactions.add(key);
    check(/^\d{12,20}$/.test(order.payment.providerTransactionId), 'transaction id shape');
  }
  if (order.void) {
    check(order.void.reason.length > 0, 'void without a reason');
    const [soonest, latest] = VOID_DELAY_SECONDS;
    check(
      order.void.atUnix >= order.createdAtUnix + soonest && order.void.atUnix <= order.createdAtUnix + latest,
      'voided too soon or too late',
    );
    check(context.staffIds.has(order.void.by), 'voided by someone not on the staff');
    if (wallet) check(order.paidAtUnix === null, 'a voided wallet order was paid');
  }
  return problems;
}
