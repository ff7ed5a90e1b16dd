import { normaliseVietnameseMobile } from './phone';

describe('Vietnamese mobile numbers', () => {
  it('accepts the ways people type them and stores E.164', () => {
    for (const typed of ['0901 234 567', '+84 901 234 567', '84901234567', '090.123.4567', '(+84) 90-123-4567']) {
      expect(normaliseVietnameseMobile(typed)).toEqual({ ok: true, e164: '+84901234567' });
    }
  });

  it('refuses landlines, foreign numbers and junk with a reason', () => {
    expect(normaliseVietnameseMobile('028 3822 1234')).toEqual({ ok: false, reason: 'not_mobile' });
    expect(normaliseVietnameseMobile('+1 415 555 2671')).toEqual({ ok: false, reason: 'foreign' });
    expect(normaliseVietnameseMobile('0901')).toEqual({ ok: false, reason: 'invalid' });
    expect(normaliseVietnameseMobile('')).toEqual({ ok: false, reason: 'invalid' });
    expect(normaliseVietnameseMobile('0901234567; DROP TABLE users')).toEqual({ ok: false, reason: 'invalid' });
    expect(normaliseVietnameseMobile('9'.repeat(200))).toEqual({ ok: false, reason: 'invalid' });
  });
});
