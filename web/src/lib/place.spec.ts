import { placeOf } from './place';
import { formatDate, formatDongShort, formatMoney, formatTime, percentChange } from './format';

describe('where the app runs', () => {
  it('app.<domain> is the platform; <slug>.<domain> is a store', () => {
    expect(placeOf('app.localhost')).toEqual({ kind: 'platform', domain: 'localhost' });
    expect(placeOf('pho-bo-hanoi.localstore.vn')).toEqual({ kind: 'tenant', slug: 'pho-bo-hanoi', domain: 'localstore.vn' });
    expect(placeOf('127.0.0.1')).toEqual({ kind: 'platform', domain: '127.0.0.1' });
  });
});

describe('Vietnamese formats', () => {
  it('money in đồng, dates day first, times in Vietnam', () => {
    expect(formatMoney(50_000, 'vi')).toBe('50.000 ₫');
    expect(formatMoney(1_250_000, 'en')).toBe('₫1,250,000');
    expect(formatDate('2026-02-17')).toBe('17/02/2026');
    expect(formatTime('2026-12-03T17:30:00Z')).toBe('00:30');
    expect(formatDongShort(1_250_000, 'vi')).toBe('1,3 tr');
    expect(formatDongShort(150_000, 'en')).toBe('150k');
  });
  it('a change needs something to compare with', () => {
    expect(percentChange(110, 100)).toBe(10);
    expect(percentChange(5, 0)).toBeNull();
  });
});
