import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

export type PhoneRejection = 'invalid' | 'foreign' | 'not_mobile';

export type PhoneCheck = { ok: true; e164: string } | { ok: false; reason: PhoneRejection };

/**
 * A Vietnamese mobile number as people type it (`0901 234 567`, `+84 901 234 567`,
 * `84901234567`, with dots or dashes) → E.164 (`+84901234567`). Landlines and numbers of
 * other countries are refused: OTP codes go out by SMS to Vietnamese mobiles only.
 */
export function normaliseVietnameseMobile(input: string): PhoneCheck {
  const typed = input.trim();
  if (typed.length === 0 || typed.length > 32 || !/^[+\d\s().-]+$/.test(typed)) return { ok: false, reason: 'invalid' };
  const digits = typed.replace(/[\s().-]/g, '');
  // "84901234567" without the plus is how many people paste their number.
  const candidate = /^84\d{9}$/.test(digits) ? `+${digits}` : digits;
  const phone = parsePhoneNumberFromString(candidate, 'VN');
  if (!phone || !phone.isValid()) return { ok: false, reason: 'invalid' };
  if (phone.country !== 'VN') return { ok: false, reason: 'foreign' };
  if (phone.getType() !== 'MOBILE') return { ok: false, reason: 'not_mobile' };
  return { ok: true, e164: phone.number };
}
