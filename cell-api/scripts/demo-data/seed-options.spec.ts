import { DEFAULT_SEED, parseSeedArguments, SeedArgumentError } from './seed-options';

const NOW = new Date('2026-03-15T05:30:00Z');
const parse = (...argv: string[]) => parseSeedArguments(argv, NOW);
const refusal = (...argv: string[]) => {
  try {
    parse(...argv);
    return 'accepted';
  } catch (error) {
    return error instanceof SeedArgumentError ? error.message : `crashed: ${String(error)}`;
  }
};

describe('the seed-demo command line', () => {
  it('seeds everything missing at full scale up to now by default', () => {
    expect(parse()).toEqual({ help: false, reset: false, scale: 1, seed: DEFAULT_SEED, end: NOW });
  });

  it('reads a reset, a scale, a seed and an end with its zone', () => {
    expect(parse('--reset', '--scale=0.05', '--seed=42', '--end=2026-01-10T09:00:00+07:00')).toEqual({
      help: false,
      reset: true,
      scale: 0.05,
      seed: 42,
      end: new Date('2026-01-10T02:00:00Z'),
    });
    expect(parse('--help').help).toBe(true);
  });

  it('refuses a scale that is not above 0 and at most 1', () => {
    for (const scale of ['0', '-0.5', '1.01', 'abc', '', 'NaN', 'Infinity']) expect(refusal(`--scale=${scale}`)).toMatch(/^--scale must/);
    expect(refusal('--scale')).toMatch(/^--scale must/);
  });

  it('refuses a seed that is not a whole number from 0 to 2³² − 1', () => {
    for (const seed of ['-1', '1.5', '1e3', '4294967296', '99999999999', 'x', ''])
      expect(refusal(`--seed=${seed}`)).toMatch(/^--seed must/);
  });

  it('refuses an end without a zone, not a real date, or in the future', () => {
    for (const end of [
      '2026-01-10',
      '2026-01-10T09:00:00',
      '2026-02-30T09:00:00Z',
      'yesterday',
      "2026-01-10T09:00:00Z'; DROP TABLE orders",
    ]) {
      expect(refusal(`--end=${end}`)).toMatch(/^--end must be an ISO date-time/);
    }
    expect(refusal('--end=2026-03-15T13:00:00+07:00')).toMatch(/^--end must not be in the future/);
  });

  it('refuses unknown arguments and a value on --reset', () => {
    expect(refusal('--drop-everything')).toBe('unknown argument "--drop-everything"');
    expect(refusal('pho-bo-hanoi')).toBe('unknown argument "pho-bo-hanoi"');
    expect(refusal('--reset=no')).toMatch(/^--reset takes no value/);
  });
});
