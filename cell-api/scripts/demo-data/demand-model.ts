import { addDays, daysBetween, type IsoDate, localDateHour } from '@localstore/common';
import { type PricedSale, priceSale } from '../../src/sales/sale-pricing';
import { BasketBuilder } from './basket';
import { type DayEffect, DemandCalendar, dayEffect } from './demand-calendar';
import {
  DELIVERY_VOID_REASONS,
  DEMAND_PROFILES,
  type DemandProfile,
  type PaymentMethod,
  type SaleChannel,
  VOID_REASONS,
  WALLET_METHODS,
} from './demand-profiles';
import { type DemoMenu, demoMenuOf } from './demo-menu';
import { crewsOf, type DemoStaffMember, demoStaffOf, type LocationCrew } from './demo-staff';
import type { DemoLocation, DemoTenant } from './demo-tenants';
import { Random, WeightedChoice } from './random';
import { stableUuid } from './stable-uuid';

/**
 * Vietnam has kept UTC+7 all year since 1975 (no daylight saving), so a local wall-clock
 * time converts by a fixed offset; computing a million instants through Intl would cost
 * seconds for nothing. The tests check the result against `localDateHour`.
 */
const VN_UTC_OFFSET_SECONDS = 7 * 3600;
/** A wallet's payment notification lands a few seconds after the customer scans the QR code. */
const WALLET_CONFIRMATION_SECONDS: readonly [number, number] = [3, 45];
/** A void happens while the customer is still there or the driver is on the way. */
export const VOID_DELAY_SECONDS: readonly [number, number] = [60, 1200];
/** The longest an order's void or payment can follow its sale: after that, nothing about it changes. SEED_USAGE says 20 minutes. */
export const SETTLING_SECONDS = Math.max(WALLET_CONFIRMATION_SECONDS[1], VOID_DELAY_SECONDS[1]);

/** One generated sale, as the app would have recorded it. Times are Unix seconds. */
export interface DemoOrder {
  id: string;
  locationId: string;
  channel: SaleChannel;
  paymentMethod: PaymentMethod;
  /** Local (Asia/Ho_Chi_Minh) date and hour of `createdAtUnix`. */
  businessDate: IsoDate;
  hour: number;
  createdAtUnix: number;
  /** At the counter for cash and card; when the wallet confirmed; null if it never did. */
  paidAtUnix: number | null;
  createdBy: string;
  /** Priced by the app's own `priceSale`. */
  priced: PricedSale;
  void: { reason: string; atUnix: number; by: string } | null;
  /** The wallet's payment notification, for a wallet order that was paid. */
  payment: { id: string; providerTransactionId: string } | null;
}

export interface DemoHistory {
  tenant: DemoTenant;
  /** Seeds every random stream: the same seed and window give the same rows. */
  seed: number;
  /** Multiplies order volume: 1 is the full demo, 0.01 a quick one. */
  scale: number;
  /**
   * No order is created at or after this instant. An order's void and wallet payment
   * follow it by up to SETTLING_SECONDS and are never cut short here: an order is the
   * same wherever the history stops, so a history generated in pieces equals one
   * generated at once. A caller that must not write anything after a given time stops
   * the orders earlier (see `settledHourBefore`).
   */
  end: Date;
  /**
   * Where the history's window ends (default: `end`). Its local date fixes the window's
   * first date and where the trend and the payment mix stand on each day; a top-up keeps
   * the one its tenant was first seeded with and moves only `end`.
   */
  windowEnd?: Date;
}

/** A day's demand at one location, before the hourly draws. */
export interface DayPlan extends DayEffect {
  /** Orders the day should bring on average. */
  expectedOrders: number;
  rainy: boolean;
}

/**
 * The latest hour boundary such that every order created before it has settled (its void
 * or wallet payment, if any, has happened) by `instant`. Histories stop there: on a whole
 * hour, so that a top-up starts on one, and settled, so that nothing written happens
 * after `instant`. Vietnam's offset being whole hours, UTC and local hours agree.
 */
export function settledHourBefore(instant: Date): Date {
  const settledUnix = Math.floor(instant.getTime() / 1000) - SETTLING_SECONDS;
  return new Date(Math.floor(settledUnix / 3600) * 3600 * 1000);
}

/** The local dates of a tenant's history: `months` calendar months back from the end's local date. */
export function historyWindow(tenant: DemoTenant, end: Date): { firstDate: IsoDate; lastDate: IsoDate } {
  const lastDate = localDateHour(end).businessDate;
  const [year, month, day] = lastDate.split('-').map(Number) as [number, number, number];
  const firstDate = new Date(Date.UTC(year, month - 1 - tenant.months, day)).toISOString().slice(0, 10);
  return { firstDate, lastDate };
}

/**
 * The demand of one demo tenant: pure, no I/O. Each location-day has its own random
 * stream, seeded by (seed, location, date), and a day's plan depends only on the seed,
 * the date and the window (not on `end`), so a day's orders are the same whether it is
 * generated alone, as part of the whole history or by a later top-up, and memory holds
 * one day at a time.
 */
export class DemandModel {
  readonly menu: DemoMenu;
  readonly staff: DemoStaffMember[];
  readonly calendar: DemandCalendar;
  private readonly profile: DemandProfile;
  private readonly basket: BasketBuilder;
  private readonly crews: Map<string, LocationCrew>;
  private readonly endUnix: number;
  /** Days in the window, first and last included: the span the trend and the mixes are laid over. */
  private readonly windowDays: number;
  private readonly hourlyWeightTotal: number;

  constructor(readonly history: DemoHistory) {
    if (!(history.scale > 0 && history.scale <= 1)) throw new RangeError(`scale ${history.scale} must be above 0 and at most 1`);
    if (Number.isNaN(history.end.getTime())) throw new RangeError('the end of the history is not a valid time');
    if (history.windowEnd && Number.isNaN(history.windowEnd.getTime()))
      throw new RangeError('the end of the history window is not a valid time');
    const { tenant } = history;
    this.profile = DEMAND_PROFILES[tenant.kind];
    this.menu = demoMenuOf(tenant);
    this.staff = demoStaffOf(tenant);
    this.crews = crewsOf(tenant, this.staff);
    this.basket = new BasketBuilder(this.menu, this.profile.basket);
    const window = historyWindow(tenant, history.windowEnd ?? history.end);
    const endDate = localDateHour(history.end).businessDate;
    this.calendar = new DemandCalendar(history.seed, window.firstDate, endDate > window.lastDate ? endDate : window.lastDate);
    this.windowDays = daysBetween(window.firstDate, window.lastDate) + 1;
    this.endUnix = Math.floor(history.end.getTime() / 1000);
    this.hourlyWeightTotal = this.profile.hourlyWeights.reduce((sum, weight) => sum + weight, 0);
  }

  /**
   * Every day of every location, one day's orders at a time, location by location; with
   * `since`, only the orders created at or after it (a top-up's), which are exactly those
   * a whole history would hold from that instant on.
   */
  *ordersByDay(since?: Date): Generator<DemoOrder[]> {
    const sinceUnix = since ? Math.floor(since.getTime() / 1000) : Number.NEGATIVE_INFINITY;
    const sinceDate = since ? localDateHour(since).businessDate : this.calendar.firstDate;
    const firstDate = sinceDate > this.calendar.firstDate ? sinceDate : this.calendar.firstDate;
    for (const location of this.history.tenant.locations) {
      for (let date = firstDate; date <= this.calendar.lastDate; date = addDays(date, 1)) {
        const orders = this.ordersOfDay(location, date);
        yield date === sinceDate ? orders.filter((order) => order.createdAtUnix >= sinceUnix) : orders;
      }
    }
  }

  ordersOfDay(location: DemoLocation, date: IsoDate): DemoOrder[] {
    const random = this.dayRandom(location, date);
    const plan = this.dayPlanOf(location, date, random);
    if (plan.expectedOrders <= 0) return [];

    const dayStartUnix = Date.parse(`${date}T00:00:00Z`) / 1000 - VN_UTC_OFFSET_SECONDS;
    const secondsOfDay: number[] = [];
    this.profile.hourlyWeights.forEach((weight, hour) => {
      if (weight === 0 || hour >= plan.closesAtHour) return;
      const count = random.poisson((plan.expectedOrders * weight) / this.hourlyWeightTotal);
      for (let n = 0; n < count; n++) secondsOfDay.push(hour * 3600 + random.int(0, 3599));
    });
    secondsOfDay.sort((a, b) => a - b);

    // Past the window (a top-up's days), the mixes stay where the window left them.
    const progress = Math.min(1, this.dayIndexOf(date) / Math.max(1, this.windowDays - 1));
    const mix = this.mixesOf(progress, plan.rainy);
    const crew = this.crews.get(location.id)!;
    const locationNumber = this.history.tenant.locations.indexOf(location) + 1;
    const orders: DemoOrder[] = [];
    for (const secondOfDay of secondsOfDay) {
      const createdAtUnix = dayStartUnix + secondOfDay;
      if (createdAtUnix >= this.endUnix) break;
      const sequence = orders.length + 1;
      orders.push(
        this.orderAt(random, mix, crew, {
          id: stableUuid('order', this.history.seed, location.id, date, sequence),
          locationId: location.id,
          businessDate: date,
          hour: Math.floor(secondOfDay / 3600),
          createdAtUnix,
          providerSerial: providerSerialOf(date, locationNumber, sequence),
        }),
      );
    }
    return orders;
  }

  /** A day's demand at a location: an ordinary day's orders moved by the calendar, the weather, the trend and chance. */
  private dayPlanOf(location: DemoLocation, date: IsoDate, random: Random): DayPlan {
    const conditions = this.calendar.conditionsOf(date);
    const effect = dayEffect(this.profile, conditions);
    // The trend carries on past the window: a top-up keeps growing as the history did.
    const yearsFromMiddle = (this.dayIndexOf(date) - (this.windowDays - 1) / 2) / 365;
    const trend = 1 + this.profile.yearlyGrowth * yearsFromMiddle;
    const noise = random.between(1 - this.profile.dailyNoise, 1 + this.profile.dailyNoise);
    return {
      ...effect,
      expectedOrders: location.ordinaryDayOrders * this.history.scale * effect.factor * trend * noise,
      rainy: conditions.rain > 0,
    };
  }

  private orderAt(
    random: Random,
    mix: DayMixes,
    crew: LocationCrew,
    order: { id: string; locationId: string; businessDate: IsoDate; hour: number; createdAtUnix: number; providerSerial: string },
  ): DemoOrder {
    const { createdAtUnix } = order;
    const channel = mix.channels.pick(random);
    const lines = this.basket.linesFor(random, channel, order.hour);
    let priced = priceSale(lines, 0, this.menu.facts);
    if (random.chance(this.profile.discount.share)) {
      const discount = random.pick(this.profile.discount.amounts);
      // Nobody gives 10.000 ₫ off a 15.000 ₫ ticket.
      if (discount * 2 <= priced.subtotal) priced = priceSale(lines, discount, this.menu.facts);
    }
    const paymentMethod = (channel === 'delivery' ? mix.deliveryPayments : mix.payments).pick(random);

    // Never cut short by the end (see DemoHistory.end): an order's fate must not depend on where the history stops.
    let voided: DemoOrder['void'] = null;
    if (random.chance(this.profile.voidShare)) {
      const atUnix = createdAtUnix + random.int(...VOID_DELAY_SECONDS);
      const reason = random.pick(channel === 'delivery' ? DELIVERY_VOID_REASONS : VOID_REASONS);
      voided = { reason, atUnix, by: crew.supervisorId };
    }

    let paidAtUnix: number | null = createdAtUnix;
    let payment: DemoOrder['payment'] = null;
    if (WALLET_METHODS.has(paymentMethod)) {
      const confirmedAtUnix = createdAtUnix + random.int(...WALLET_CONFIRMATION_SECONDS);
      // A wallet order voided before the customer paid is unpaid.
      paidAtUnix = voided ? null : confirmedAtUnix;
      if (paidAtUnix !== null) {
        payment = {
          id: stableUuid('payment', order.id),
          providerTransactionId: providerTransactionIdOf(paymentMethod, order.providerSerial),
        };
      }
    }

    return {
      id: order.id,
      locationId: order.locationId,
      channel,
      paymentMethod,
      businessDate: order.businessDate,
      hour: order.hour,
      createdAtUnix,
      paidAtUnix,
      createdBy: random.pick(crew.cashierIds),
      priced,
      void: voided,
      payment,
    };
  }

  /** Channel and payment mixes of a day: wallets gain share over the history, rain pushes orders to delivery. */
  private mixesOf(progress: number, rainy: boolean): DayMixes {
    const { channels, paymentMix, rainyDeliveryShift } = this.profile;
    const shift = rainy ? Math.min(rainyDeliveryShift, channels.dine_in) : 0;
    const methods = Object.keys(paymentMix.first) as PaymentMethod[];
    const paymentWeight = (method: PaymentMethod) => paymentMix.first[method] * (1 - progress) + paymentMix.last[method] * progress;
    return {
      channels: new WeightedChoice<SaleChannel>([
        ['dine_in', channels.dine_in - shift],
        ['takeaway', channels.takeaway],
        ['delivery', channels.delivery + shift],
      ]),
      payments: new WeightedChoice(methods.map((method) => [method, paymentWeight(method)] as const)),
      // Half of those who would pay cash at the counter pay the app before the driver comes.
      deliveryPayments: new WeightedChoice(
        methods.map((method) => [method, paymentWeight(method) * (method === 'cash' ? 0.5 : 1)] as const),
      ),
    };
  }

  private dayRandom(location: DemoLocation, date: IsoDate): Random {
    return Random.forKey(this.history.seed, 'orders', location.id, date);
  }

  private dayIndexOf(date: IsoDate): number {
    return daysBetween(this.calendar.firstDate, date);
  }
}

interface DayMixes {
  channels: WeightedChoice<SaleChannel>;
  payments: WeightedChoice<PaymentMethod>;
  deliveryPayments: WeightedChoice<PaymentMethod>;
}

/** Date, location and sequence: unique per tenant and provider, which the schema requires. */
function providerSerialOf(date: IsoDate, locationNumber: number, sequence: number): string {
  return `${date.slice(2, 4)}${date.slice(5, 7)}${date.slice(8, 10)}${String(locationNumber).padStart(2, '0')}${String(sequence).padStart(5, '0')}`;
}

/** Transaction ids shaped like each provider's: all digits, of the provider's usual length. */
function providerTransactionIdOf(method: PaymentMethod, serial: string): string {
  switch (method) {
    case 'momo':
      return `4${serial}`;
    case 'zalopay':
      return `${serial.slice(0, 6)}0${serial.slice(6)}`;
    default:
      return `1${serial}`;
  }
}
