import { addDays, businessDateOf, daysBetween, isIsoDate, isValidTimeZone, localDateHour, weekdayOf } from './time';

describe('Vietnamese business time', () => {
  it('puts a sale at 23:30 UTC on the next local day, in the 6 a.m. bucket', () => {
    expect(localDateHour(new Date('2026-03-10T23:30:00Z'))).toEqual({ businessDate: '2026-03-11', hour: 6 });
  });

  it('keeps a sale at 16:59 UTC on the same local day, in the last hour', () => {
    expect(localDateHour(new Date('2026-03-10T16:59:59Z'))).toEqual({ businessDate: '2026-03-10', hour: 23 });
    expect(businessDateOf(new Date('2026-03-10T17:00:00Z'))).toBe('2026-03-11');
  });

  it('crosses the year boundary in local time', () => {
    expect(localDateHour(new Date('2025-12-31T17:15:00Z'))).toEqual({ businessDate: '2026-01-01', hour: 0 });
  });

  it('honours another zone when a location has one', () => {
    expect(localDateHour(new Date('2026-03-10T23:30:00Z'), 'Asia/Tokyo')).toEqual({ businessDate: '2026-03-11', hour: 8 });
  });

  it('recognises real calendar dates only', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('2025-13-01')).toBe(false);
    expect(isIsoDate('25-01-01')).toBe(false);
    expect(isIsoDate("2025-01-01'; DROP TABLE orders")).toBe(false);
  });

  it('does calendar arithmetic across months and leap days', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(daysBetween('2025-01-01', '2025-12-31')).toBe(364);
    expect(weekdayOf('2026-11-25')).toBe(3);
  });

  it('rejects time zones that do not exist', () => {
    expect(isValidTimeZone('Asia/Ho_Chi_Minh')).toBe(true);
    expect(isValidTimeZone('Asia/Saigon_Nowhere')).toBe(false);
  });
});
