import {
  daysBetween,
  holidaysBetween,
  type IsoDate,
  PRE_TET_SURGE_DAYS,
  TET_DAYS_BEFORE,
  TET_FIRST_DAY,
  weekdayOf,
} from '@localstore/common';
import type { DemandProfile, TetBehaviour } from './demand-profiles';
import { Random } from './random';

/** What the calendar and the sky say about one day in Hồ Chí Minh City. */
export interface DayConditions {
  date: IsoDate;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  /** Days from mùng 1 Tết of the same year (negative before it). */
  tetOffset: number;
  /** Giỗ Tổ Hùng Vương, 30/4, 1/5 or 2/9. */
  publicHoliday: boolean;
  /** How hard it rained, 0 (dry) to 1; the rainy season runs May to November. */
  rain: number;
}

/** How the day's conditions move one business's demand. */
export interface DayEffect {
  /** Multiplies an ordinary day's orders; 0 when closed. */
  factor: number;
  /** Nothing is sold from this local hour on (24: open as usual). */
  closesAtHour: number;
}

/**
 * Chance of a rainy day by month (index 0 = January). The southern monsoon brings an
 * afternoon downpour on about half the days from June to October.
 */
const RAIN_CHANCE_BY_MONTH = [0, 0, 0, 0.02, 0.3, 0.45, 0.5, 0.5, 0.55, 0.5, 0.3, 0.05];

/** The first pre-Tết surge day, counted from mùng 1: ten days before Giao thừa. */
const FIRST_SURGE_OFFSET = -TET_DAYS_BEFORE - PRE_TET_SURGE_DAYS;
const GIAO_THUA_OFFSET = -TET_DAYS_BEFORE;

/**
 * The days of a history window and what happened on each. Weather is one draw per date
 * for the whole city (seeded by the seed and the date), so every location of a tenant, and
 * every tenant, gets the same rainy days.
 */
export class DemandCalendar {
  private readonly publicHolidays: Set<IsoDate>;

  constructor(
    private readonly seed: number,
    readonly firstDate: IsoDate,
    readonly lastDate: IsoDate,
  ) {
    if (firstDate > lastDate) throw new RangeError(`the history starts (${firstDate}) after it ends (${lastDate})`);
    for (let year = Number(firstDate.slice(0, 4)); year <= Number(lastDate.slice(0, 4)); year++) {
      if (!TET_FIRST_DAY[year]) {
        throw new RangeError(`no Tết date is known for ${year}: extend TET_FIRST_DAY in common/src/holidays.ts`);
      }
    }
    this.publicHolidays = new Set(
      holidaysBetween(firstDate, lastDate)
        .filter((holiday) => holiday.kind !== 'tet' && holiday.kind !== 'pre_tet')
        .map((holiday) => holiday.date),
    );
  }

  /** Days in the window, first and last included. */
  get dayCount(): number {
    return daysBetween(this.firstDate, this.lastDate) + 1;
  }

  conditionsOf(date: IsoDate): DayConditions {
    const weather = Random.forKey(this.seed, 'weather', date);
    const month = Number(date.slice(5, 7));
    const rainy = weather.chance(RAIN_CHANCE_BY_MONTH[month - 1]!);
    return {
      date,
      weekday: weekdayOf(date),
      // Tết falls between 21 January and 20 February, so a date's Tết is its own year's.
      tetOffset: daysBetween(TET_FIRST_DAY[Number(date.slice(0, 4))]!, date),
      publicHoliday: this.publicHolidays.has(date),
      rain: rainy ? weather.next() : 0,
    };
  }
}

/** Where a day stands in the Tết season for a business. */
export function tetEffect(tet: TetBehaviour, tetOffset: number): DayEffect {
  if (tetOffset >= FIRST_SURGE_OFFSET && tetOffset < GIAO_THUA_OFFSET) {
    // Year-end parties (tất niên) and gifts build up to the last days before Giao thừa.
    const ramp = (tetOffset - FIRST_SURGE_OFFSET + 1) / (GIAO_THUA_OFFSET - FIRST_SURGE_OFFSET);
    return { factor: 1 + tet.surgePeak * ramp, closesAtHour: 24 };
  }
  if (tetOffset === GIAO_THUA_OFFSET) return { factor: 1, closesAtHour: tet.giaoThuaClosingHour };
  // mùng N is offset N − 1.
  if (tetOffset >= 0 && tetOffset < tet.closedThroughMung) return { factor: 0, closesAtHour: 0 };
  const daysSinceReopening = tetOffset - tet.closedThroughMung;
  if (daysSinceReopening >= 0 && daysSinceReopening < tet.recoveryDays) {
    return { factor: tet.reopeningFactor + ((1 - tet.reopeningFactor) * daysSinceReopening) / tet.recoveryDays, closesAtHour: 24 };
  }
  return { factor: 1, closesAtHour: 24 };
}

/**
 * How a day's conditions move a business's demand: weekend, public holiday, Tết and rain.
 * Tết outranks the weekend: a closed Sunday is closed, and a surge Saturday is a Saturday
 * with a surge on top.
 */
export function dayEffect(profile: DemandProfile, conditions: DayConditions): DayEffect {
  const tet = tetEffect(profile.tet, conditions.tetOffset);
  if (tet.factor === 0) return tet;
  let factor = tet.factor;
  if (conditions.weekday === 6) factor *= profile.weekendLift.saturday;
  if (conditions.weekday === 0) factor *= profile.weekendLift.sunday;
  if (conditions.publicHoliday) factor *= profile.publicHolidayFactor;
  if (conditions.rain > 0) {
    const [least, most] = profile.rainyDayDip;
    factor *= 1 - (least + (most - least) * conditions.rain);
  }
  return { factor, closesAtHour: tet.closesAtHour };
}
