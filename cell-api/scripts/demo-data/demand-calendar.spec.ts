import { addDays } from '@localstore/common';
import { DemandCalendar, type DayConditions, dayEffect, tetEffect } from './demand-calendar';
import { DEMAND_PROFILES } from './demand-profiles';

const PHO = DEMAND_PROFILES.pho_chain;
const ORDINARY_TUESDAY: DayConditions = { date: '2025-12-09', weekday: 2, tetOffset: 300, publicHoliday: false, rain: 0 };

describe('the demand calendar', () => {
  it('counts Tết from the real Vietnamese lunar new year of each year', () => {
    const calendar = new DemandCalendar(1, '2024-09-15', '2026-03-15');
    expect(calendar.conditionsOf('2025-01-29').tetOffset).toBe(0);
    expect(calendar.conditionsOf('2026-02-17').tetOffset).toBe(0);
    expect(calendar.conditionsOf('2026-02-16').tetOffset).toBe(-1);
    expect(calendar.dayCount).toBe(547);
  });

  it('ramps the pre-Tết surge up to Giao thừa, closes through mùng 3, then recovers', () => {
    const factors = [];
    for (let offset = -11; offset <= 10; offset++) factors.push({ offset, ...tetEffect(PHO.tet, offset) });
    const surge = factors.filter((day) => day.offset >= -11 && day.offset <= -2);
    expect(surge.every((day, i) => day.factor > 1 && (i === 0 || day.factor > surge[i - 1]!.factor))).toBe(true);
    expect(surge.at(-1)!.factor).toBeCloseTo(1 + PHO.tet.surgePeak);
    expect(factors.find((day) => day.offset === -1)).toMatchObject({ closesAtHour: 14 });
    expect(factors.filter((day) => day.factor === 0).map((day) => day.offset)).toEqual([0, 1, 2]);
    const recovery = factors.filter((day) => day.offset >= 3 && day.offset < 3 + PHO.tet.recoveryDays);
    expect(recovery[0]!.factor).toBe(PHO.tet.reopeningFactor);
    expect(recovery.every((day, i) => day.factor < 1 && (i === 0 || day.factor > recovery[i - 1]!.factor))).toBe(true);
    expect(tetEffect(PHO.tet, 3 + PHO.tet.recoveryDays)).toEqual({ factor: 1, closesAtHour: 24 });
    expect(tetEffect(PHO.tet, -12)).toEqual({ factor: 1, closesAtHour: 24 });
  });

  it('lifts weekends and holidays at the phở chain and cuts rainy days by 10 to 25 %', () => {
    expect(dayEffect(PHO, ORDINARY_TUESDAY)).toEqual({ factor: 1, closesAtHour: 24 });
    expect(dayEffect(PHO, { ...ORDINARY_TUESDAY, weekday: 6 }).factor).toBeGreaterThanOrEqual(1.15);
    expect(dayEffect(PHO, { ...ORDINARY_TUESDAY, weekday: 0 }).factor).toBeLessThanOrEqual(1.3);
    expect(dayEffect(PHO, { ...ORDINARY_TUESDAY, publicHoliday: true }).factor).toBeGreaterThan(1);
    for (const rain of [0.01, 0.5, 0.99]) {
      const { factor } = dayEffect(PHO, { ...ORDINARY_TUESDAY, rain });
      expect(factor).toBeGreaterThanOrEqual(0.75);
      expect(factor).toBeLessThanOrEqual(0.9);
    }
  });

  it('keeps a Tết closure closed whatever the weekday or weather', () => {
    expect(dayEffect(PHO, { ...ORDINARY_TUESDAY, weekday: 0, tetOffset: 1, rain: 0.5 })).toEqual({ factor: 0, closesAtHour: 0 });
  });

  it('rains in the May–November season only, on about half the days at its height', () => {
    const calendar = new DemandCalendar(3, '2025-01-01', '2026-12-31');
    const rainyShare = new Map<number, number>();
    for (let date = calendar.firstDate; date <= calendar.lastDate; date = addDays(date, 1)) {
      const month = Number(date.slice(5, 7));
      if (calendar.conditionsOf(date).rain > 0) rainyShare.set(month, (rainyShare.get(month) ?? 0) + 1 / 62);
    }
    for (const month of [1, 2, 3]) expect(rainyShare.get(month) ?? 0).toBe(0);
    for (const month of [6, 7, 8, 9]) expect(rainyShare.get(month)!).toBeGreaterThan(0.3);
  });

  it('gives every location the same weather on the same day', () => {
    const a = new DemandCalendar(5, '2025-06-01', '2025-06-30');
    const b = new DemandCalendar(5, '2025-06-10', '2025-07-30');
    expect(b.conditionsOf('2025-06-20')).toEqual(a.conditionsOf('2025-06-20'));
  });
});
