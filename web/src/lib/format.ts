import { formatDong } from '@localstore/common/src/money';
import { addDays, businessDateOf, VN_TIME_ZONE } from '@localstore/common/src/time';
import type { Language } from './i18n/messages';

export { addDays, formatDong };

/** Today's business date in Vietnam (`YYYY-MM-DD`), whatever the device's own time zone. */
export const todayInVietnam = (): string => businessDateOf(new Date());

/** `50000` → `50.000 ₫` (Vietnamese) or `₫50,000` (English). */
export function formatMoney(amount: number, language: Language): string {
  if (language === 'vi') return formatDong(amount);
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: 'VND', maximumFractionDigits: 0 }).format(amount);
}

export function formatCount(n: number, language: Language): string {
  return new Intl.NumberFormat(language === 'vi' ? 'vi-VN' : 'en-US').format(n);
}

/** `2026-12-03` → `03/12/2026`: day first, in both languages (the app's users are in Vietnam). */
export function formatDate(isoDate: string): string {
  const [y, m, d] = isoDate.split('-');
  return `${d}/${m}/${y}`;
}

/** A timestamp as a day and time in Vietnam, `03/12/2026 14:05`. */
export function formatDateTime(instant: string | Date): string {
  const date = new Intl.DateTimeFormat('en-GB', { timeZone: VN_TIME_ZONE, day: '2-digit', month: '2-digit', year: 'numeric' }).format(
    new Date(instant),
  );
  return `${date} ${formatTime(instant)}`;
}

/** A timestamp's local time of day in Vietnam, `14:05`. */
export function formatTime(instant: string | Date): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: VN_TIME_ZONE, hour: '2-digit', minute: '2-digit', hour12: false }).format(
    new Date(instant),
  );
}

/** Change against a base, in percent, or null when there is no base to compare with. */
export function percentChange(now: number, before: number): number | null {
  if (before === 0) return null;
  return Math.round(((now - before) / before) * 1000) / 10;
}

/** Monday of the ISO week a date falls in. */
export function mondayOf(isoDate: string): string {
  const weekday = new Date(`${isoDate}T00:00:00Z`).getUTCDay();
  return addDays(isoDate, -((weekday + 6) % 7));
}

/** For chart axes, where `1.250.000 ₫` does not fit: `1,3 tr`, `150k`. */
export function formatDongShort(amount: number, language: Language): string {
  const number = (n: number) => new Intl.NumberFormat(language === 'vi' ? 'vi-VN' : 'en-US', { maximumFractionDigits: 1 }).format(n);
  if (Math.abs(amount) >= 1_000_000) return `${number(amount / 1_000_000)}${language === 'vi' ? ' tr' : 'M'}`;
  if (Math.abs(amount) >= 1_000) return `${number(amount / 1_000)}k`;
  return number(amount);
}
