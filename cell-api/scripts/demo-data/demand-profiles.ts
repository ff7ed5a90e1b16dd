import type { DemoBusinessKind } from './demo-tenants';

export type SaleChannel = 'dine_in' | 'takeaway' | 'delivery';
export type PaymentMethod = 'cash' | 'momo' | 'zalopay' | 'vnpay' | 'card';
export const WALLET_METHODS: ReadonlySet<PaymentMethod> = new Set(['momo', 'zalopay', 'vnpay']);

/** How a business behaves around Tết Nguyên Đán, counted from mùng 1 (the first day of the year). */
export interface TetBehaviour {
  /** Extra demand on the last surge day before Giao thừa (0.35 = +35 %); it ramps up over the surge. */
  surgePeak: number;
  /** On Giao thừa (the last day of the old year) the shop sells until this local hour, then closes. */
  giaoThuaClosingHour: number;
  /** Closed from mùng 1 through mùng N. */
  closedThroughMung: number;
  /** Demand on the day the shop reopens, relative to an ordinary day; it climbs back over `recoveryDays`. */
  reopeningFactor: number;
  recoveryDays: number;
}

/** What one order holds. */
export interface BasketShape {
  /** Weights of a party of 1, 2, 3 and 4 people, by channel. */
  partySize: Readonly<Record<SaleChannel, readonly number[]>>;
  /** Most distinct main dishes on one order. */
  maxMainLines: number;
  /** Chance that a party orders drinks with the main. */
  drinkChance: number;
  /** Chance that a party adds a side (quẩy, a cake). */
  sideChance: number;
  /** Chance that a takeaway order is bought for a whole office or family (5–10 of one main). */
  bulkTakeawayChance: number;
}

/**
 * The demand of one kind of business: when customers come, what moves the day, what they
 * buy and how they pay. Figures are judgement calls from how such shops in Hồ Chí Minh City
 * trade; the tests pin the shapes (weekend lift, Tết, peaks), not the exact numbers.
 */
export interface DemandProfile {
  /** Relative weight of each local hour 0–23; a zero hour is closed. */
  hourlyWeights: readonly number[];
  /** Demand on Saturday and Sunday relative to a weekday. */
  weekendLift: { saturday: number; sunday: number };
  /** Demand on a public holiday other than Tết (Giỗ Tổ, 30/4, 1/5, 2/9). */
  publicHolidayFactor: number;
  /** A rainy day cuts demand by a share drawn from this range. */
  rainyDayDip: readonly [min: number, max: number];
  /** Extra share of orders that go to delivery on a rainy day, taken from dine-in. */
  rainyDeliveryShift: number;
  /** Growth of demand per year (0.1 = +10 %), centred on the middle of the history. */
  yearlyGrowth: number;
  /** Day-to-day noise: each day's demand is scaled by a draw from 1 ± this. */
  dailyNoise: number;
  tet: TetBehaviour;
  channels: Readonly<Record<SaleChannel, number>>;
  /** The payment mix at the start of the history and at its end; wallets gain share in between. */
  paymentMix: { first: Readonly<Record<PaymentMethod, number>>; last: Readonly<Record<PaymentMethod, number>> };
  basket: BasketShape;
  discount: { share: number; amounts: readonly number[] };
  voidShare: number;
}

/** Indexed by hour: `hours({ 7: 1, 8: 0.5 })` is open from 7 to 9. */
function hours(weights: Record<number, number>): number[] {
  return Array.from({ length: 24 }, (_, hour) => weights[hour] ?? 0);
}

export const DEMAND_PROFILES: Readonly<Record<DemoBusinessKind, DemandProfile>> = {
  pho_chain: {
    // Breakfast 6–9h, lunch 11–13h, dinner 17–20h; quiet mid-afternoon.
    hourlyWeights: hours({
      6: 0.55,
      7: 1.0,
      8: 0.9,
      9: 0.45,
      10: 0.35,
      11: 0.85,
      12: 1.05,
      13: 0.6,
      14: 0.25,
      15: 0.2,
      16: 0.3,
      17: 0.6,
      18: 0.95,
      19: 0.85,
      20: 0.5,
      21: 0.25,
    }),
    weekendLift: { saturday: 1.18, sunday: 1.26 },
    publicHolidayFactor: 1.2,
    rainyDayDip: [0.1, 0.25],
    rainyDeliveryShift: 0.08,
    yearlyGrowth: 0.1,
    dailyNoise: 0.07,
    tet: { surgePeak: 0.35, giaoThuaClosingHour: 14, closedThroughMung: 3, reopeningFactor: 0.55, recoveryDays: 6 },
    channels: { dine_in: 0.66, takeaway: 0.14, delivery: 0.2 },
    paymentMix: {
      first: { cash: 0.58, momo: 0.18, zalopay: 0.08, vnpay: 0.09, card: 0.07 },
      last: { cash: 0.42, momo: 0.26, zalopay: 0.12, vnpay: 0.12, card: 0.08 },
    },
    basket: {
      partySize: { dine_in: [0.42, 0.36, 0.13, 0.09], takeaway: [0.62, 0.25, 0.08, 0.05], delivery: [0.5, 0.3, 0.12, 0.08] },
      maxMainLines: 3,
      drinkChance: 0.6,
      sideChance: 0.25,
      bulkTakeawayChance: 0,
    },
    discount: { share: 0.04, amounts: [5_000, 10_000] },
    voidShare: 0.004,
  },
  cafe: {
    // Morning coffee 7–10h, afternoon break 14–16h, a small evening.
    hourlyWeights: hours({
      7: 0.65,
      8: 1.0,
      9: 0.95,
      10: 0.6,
      11: 0.4,
      12: 0.35,
      13: 0.45,
      14: 0.8,
      15: 0.85,
      16: 0.65,
      17: 0.4,
      18: 0.35,
      19: 0.45,
      20: 0.4,
      21: 0.2,
    }),
    weekendLift: { saturday: 1.22, sunday: 1.28 },
    publicHolidayFactor: 1.25,
    rainyDayDip: [0.1, 0.25],
    rainyDeliveryShift: 0.1,
    yearlyGrowth: 0.15,
    dailyNoise: 0.08,
    // Cafés reopen early in Tết: people go out to meet family and friends.
    tet: { surgePeak: 0.3, giaoThuaClosingHour: 15, closedThroughMung: 3, reopeningFactor: 0.8, recoveryDays: 3 },
    channels: { dine_in: 0.55, takeaway: 0.25, delivery: 0.2 },
    paymentMix: {
      first: { cash: 0.4, momo: 0.24, zalopay: 0.11, vnpay: 0.12, card: 0.13 },
      last: { cash: 0.3, momo: 0.3, zalopay: 0.14, vnpay: 0.13, card: 0.13 },
    },
    basket: {
      partySize: { dine_in: [0.38, 0.4, 0.14, 0.08], takeaway: [0.6, 0.28, 0.08, 0.04], delivery: [0.45, 0.33, 0.14, 0.08] },
      maxMainLines: 3,
      drinkChance: 0,
      sideChance: 0.22,
      bulkTakeawayChance: 0.01,
    },
    discount: { share: 0.06, amounts: [5_000, 10_000] },
    voidShare: 0.004,
  },
  banh_mi_stand: {
    // Commuters' breakfast 6–9h, a small after-school and after-work trade.
    hourlyWeights: hours({
      5: 0.3,
      6: 0.9,
      7: 1.0,
      8: 0.75,
      9: 0.35,
      10: 0.2,
      11: 0.25,
      12: 0.2,
      13: 0.1,
      14: 0.1,
      15: 0.25,
      16: 0.35,
      17: 0.3,
      18: 0.15,
    }),
    // Fewer commuters at the weekend and on holidays.
    weekendLift: { saturday: 0.95, sunday: 0.85 },
    publicHolidayFactor: 0.8,
    // A cart on the pavement loses more to rain than a shop.
    rainyDayDip: [0.15, 0.25],
    rainyDeliveryShift: 0.05,
    yearlyGrowth: 0.06,
    dailyNoise: 0.08,
    // The owner and her helper go home to the provinces: back only on mùng 5.
    tet: { surgePeak: 0.2, giaoThuaClosingHour: 11, closedThroughMung: 4, reopeningFactor: 0.5, recoveryDays: 7 },
    channels: { dine_in: 0.05, takeaway: 0.85, delivery: 0.1 },
    paymentMix: {
      first: { cash: 0.78, momo: 0.12, zalopay: 0.05, vnpay: 0.05, card: 0 },
      last: { cash: 0.68, momo: 0.18, zalopay: 0.08, vnpay: 0.06, card: 0 },
    },
    basket: {
      partySize: { dine_in: [0.7, 0.25, 0.05, 0], takeaway: [0.65, 0.22, 0.09, 0.04], delivery: [0.4, 0.3, 0.2, 0.1] },
      maxMainLines: 2,
      drinkChance: 0.3,
      sideChance: 0,
      bulkTakeawayChance: 0.02,
    },
    discount: { share: 0.01, amounts: [5_000] },
    voidShare: 0.004,
  },
};

/** Why a cashier voided an order, as they would type it. */
export const VOID_REASONS = [
  'Khách đổi món',
  'Nhập nhầm món',
  'Khách hủy đơn',
  'Trùng đơn',
  'Sai phương thức thanh toán',
  'Hết món',
] as const;
export const DELIVERY_VOID_REASONS = [...VOID_REASONS, 'Khách không nhận hàng', 'Tài xế hủy đơn', 'Giao trễ, khách hủy'] as const;
