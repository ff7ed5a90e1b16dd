import { isUuid } from '@localstore/common';
import { Random, WeightedChoice } from './random';
import { stableUuid } from './stable-uuid';

const draws = (random: Random, n: number) => Array.from({ length: n }, () => random.next());

describe('seeded randomness', () => {
  it('repeats a stream for the same key and not for another', () => {
    expect(draws(Random.forKey(1, 'orders', '2026-01-01'), 5)).toEqual(draws(Random.forKey(1, 'orders', '2026-01-01'), 5));
    expect(draws(Random.forKey(1, 'orders', '2026-01-02'), 5)).not.toEqual(draws(Random.forKey(1, 'orders', '2026-01-01'), 5));
    // Key parts are kept apart: ('ab', 'c') is not ('a', 'bc').
    expect(draws(Random.forKey('ab', 'c'), 3)).not.toEqual(draws(Random.forKey('a', 'bc'), 3));
  });

  it('draws uniform numbers in [0, 1) and whole numbers within their bounds', () => {
    const random = Random.forKey('bounds');
    const uniform = draws(random, 10_000);
    expect(Math.min(...uniform)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...uniform)).toBeLessThan(1);
    expect(uniform.reduce((a, b) => a + b, 0) / uniform.length).toBeCloseTo(0.5, 1);
    const dice = Array.from({ length: 6_000 }, () => random.int(1, 6));
    expect(new Set(dice)).toEqual(new Set([1, 2, 3, 4, 5, 6]));
  });

  it('draws Poisson counts with the mean asked for, small or large', () => {
    const random = Random.forKey('poisson');
    for (const mean of [0.3, 4, 60]) {
      const counts = Array.from({ length: 5_000 }, () => random.poisson(mean));
      expect(counts.every((count) => Number.isInteger(count) && count >= 0)).toBe(true);
      expect(counts.reduce((a, b) => a + b, 0) / counts.length).toBeGreaterThan(mean * 0.93);
      expect(counts.reduce((a, b) => a + b, 0) / counts.length).toBeLessThan(mean * 1.07);
    }
    expect(random.poisson(0)).toBe(0);
  });

  it('picks by weight and never picks a zero weight', () => {
    const choice = new WeightedChoice([
      ['bia', 0],
      ['trà đá', 3],
      ['nước sấu', 1],
    ] as const);
    const random = Random.forKey('weights');
    const picks = Array.from({ length: 4_000 }, () => choice.pick(random));
    expect(picks).not.toContain('bia');
    expect(picks.filter((p) => p === 'trà đá').length / picks.length).toBeCloseTo(0.75, 1);
    expect(() => new WeightedChoice([['x', 0]])).toThrow(RangeError);
    expect(() => new WeightedChoice([['x', Number.NaN]])).toThrow(RangeError);
  });

  it('derives the same valid UUID from the same name, and another from another name', () => {
    const id = stableUuid('menu-item', 'pho-bo-hanoi', 'pho-tai');
    expect(isUuid(id)).toBe(true);
    expect(id[14]).toBe('5');
    expect(stableUuid('menu-item', 'pho-bo-hanoi', 'pho-tai')).toBe(id);
    expect(stableUuid('menu-item', 'ca-phe-sua-da', 'pho-tai')).not.toBe(id);
  });
});
