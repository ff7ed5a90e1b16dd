import { bearerToken } from './bearer-token';

describe('the bearer token of an Authorization header', () => {
  it('reads the token after "Bearer "', () => {
    expect(bearerToken('Bearer eyJhbGciOiJFUzI1NiJ9.e30.c2ln')).toBe('eyJhbGciOiJFUzI1NiJ9.e30.c2ln');
  });

  it('drops the whitespace around the token', () => {
    expect(bearerToken('Bearer    abc   ')).toBe('abc');
    expect(bearerToken('Bearer \tabc\r\n')).toBe('abc');
  });

  it('names no token when the header is missing, empty or holds the scheme alone', () => {
    expect(bearerToken(undefined)).toBeUndefined();
    expect(bearerToken('')).toBeUndefined();
    expect(bearerToken('Bearer')).toBeUndefined();
    expect(bearerToken('Bearer ')).toBeUndefined();
    expect(bearerToken('Bearer      ')).toBeUndefined();
  });

  it('names no token for another scheme, or the scheme spelt otherwise than the platform sends it', () => {
    expect(bearerToken('Basic dXNlcjpwYXNz')).toBeUndefined();
    expect(bearerToken('bearer abc')).toBeUndefined();
    expect(bearerToken('BEARER abc')).toBeUndefined();
    expect(bearerToken(' Bearer abc')).toBeUndefined();
    expect(bearerToken('Bearer\tabc')).toBeUndefined();
    expect(bearerToken('Bearerabc')).toBeUndefined();
  });

  it('takes an array only when it holds exactly one value', () => {
    expect(bearerToken(['Bearer abc'])).toBe('abc');
    expect(bearerToken([])).toBeUndefined();
    expect(bearerToken(['Bearer abc', 'Bearer def'])).toBeUndefined();
    expect(bearerToken(['Basic abc'])).toBeUndefined();
  });

  it('hands a token with inner spaces on as it is, for the verifier to refuse', () => {
    expect(bearerToken('Bearer abc def')).toBe('abc def');
  });

  it('reads a huge header in one pass and hands it on untouched', () => {
    const huge = 'a'.repeat(1_000_000);
    expect(bearerToken(`Bearer ${huge}`)).toBe(huge);
    expect(bearerToken(`Bearer ${' '.repeat(1_000_000)}`)).toBeUndefined();
  });

  it('names no token for values that are not strings at all', () => {
    expect(bearerToken(42 as unknown as string)).toBeUndefined();
    expect(bearerToken([undefined] as unknown as string[])).toBeUndefined();
    expect(bearerToken(null as unknown as undefined)).toBeUndefined();
  });
});
