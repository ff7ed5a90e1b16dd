import { addDays, type IsoDate } from './time';

/**
 * First day of the lunar new year (Tết Nguyên Đán) as observed in Vietnam (UTC+7).
 * The Vietnamese calendar is computed for UTC+7, so a few years differ from the Chinese
 * date (1985, 2007 and 2030 among them); these are the Vietnamese ones, and
 * ai/localstore_models/lunar_calendar.py computes the same (its tests compare the two).
 */
export const TET_FIRST_DAY: Readonly<Record<number, IsoDate>> = {
  2019: '2019-02-05',
  2020: '2020-01-25',
  2021: '2021-02-12',
  2022: '2022-02-01',
  2023: '2023-01-22',
  2024: '2024-02-10',
  2025: '2025-01-29',
  2026: '2026-02-17',
  2027: '2027-02-06',
  2028: '2028-01-26',
  2029: '2029-02-13',
  2030: '2030-02-02',
};

/**
 * Giỗ Tổ Hùng Vương (10th day of the 3rd lunar month), a public holiday.
 */
export const HUNG_KINGS_DAY: Readonly<Record<number, IsoDate>> = {
  2019: '2019-04-14',
  2020: '2020-04-02',
  2021: '2021-04-21',
  2022: '2022-04-10',
  2023: '2023-04-29',
  2024: '2024-04-18',
  2025: '2025-04-07',
  2026: '2026-04-26',
  2027: '2027-04-16',
  2028: '2028-04-04',
  2029: '2029-04-23',
  2030: '2030-04-12',
};

export type HolidayKind = 'tet' | 'pre_tet' | 'hung_kings' | 'reunification' | 'labour' | 'national';

export interface Holiday {
  date: IsoDate;
  kind: HolidayKind;
  /** Days from the first day of Tết, for `tet` and `pre_tet` (negative before it). */
  offsetFromTet?: number;
}

/** Tết: from the last day of the old year (Giao thừa, 30 Tết) through the 5th day (mùng 5). */
export const TET_DAYS_BEFORE = 1;
export const TET_DAYS_AFTER = 4;
/** The pre-Tết shopping and gathering surge before Giao thừa. */
export const PRE_TET_SURGE_DAYS = 10;

/** Every holiday mark between two dates (inclusive), in date order. */
export function holidaysBetween(from: IsoDate, to: IsoDate): Holiday[] {
  const marks = new Map<IsoDate, Holiday>();
  const firstYear = Number(from.slice(0, 4));
  const lastYear = Number(to.slice(0, 4));
  for (let year = firstYear; year <= lastYear + 1; year++) {
    const tet = TET_FIRST_DAY[year];
    if (tet) {
      for (let offset = -TET_DAYS_BEFORE - PRE_TET_SURGE_DAYS; offset <= TET_DAYS_AFTER; offset++) {
        const kind: HolidayKind = offset < -TET_DAYS_BEFORE ? 'pre_tet' : 'tet';
        const date = addDays(tet, offset);
        marks.set(date, { date, kind, offsetFromTet: offset });
      }
    }
    const hung = HUNG_KINGS_DAY[year];
    if (hung && !marks.has(hung)) marks.set(hung, { date: hung, kind: 'hung_kings' });
    for (const [monthDay, kind] of [
      ['04-30', 'reunification'],
      ['05-01', 'labour'],
      ['09-02', 'national'],
    ] as const) {
      const date = `${year}-${monthDay}`;
      if (!marks.has(date)) marks.set(date, { date, kind });
    }
  }
  return [...marks.values()].filter((h) => h.date >= from && h.date <= to).sort((a, b) => (a.date < b.date ? -1 : 1));
}
