import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { normaliseVietnameseMobile } from '@localstore/common';
import type { Logger } from 'pino';
import type { ControlPlaneConfig } from '../config/control-plane-config';
import type { EphemeralStore } from '../ephemeral/ephemeral-store';
import { AuthErrorCode, AuthException } from './auth.exception';
import { SmsDeliveryError, type SmsSender } from './sms/sms-sender';

/**
 * One-time sign-in codes by SMS. Only an HMAC of the code is stored (a leaked Redis does not
 * reveal codes), with a short time to live; a code allows a few wrong tries, then dies, and
 * a right one works once. Requests are limited per phone and per client address.
 */
export class OtpService {
  constructor(
    private readonly store: EphemeralStore,
    private readonly sms: SmsSender,
    private readonly settings: ControlPlaneConfig['otp'],
    private readonly logger: Logger,
  ) {}

  static phoneOrThrow(input: unknown): string {
    if (typeof input !== 'string') throw new AuthException(AuthErrorCode.PHONE_INVALID, 'phone');
    const checked = normaliseVietnameseMobile(input);
    if (checked.ok) return checked.e164;
    const reason = {
      invalid: AuthErrorCode.PHONE_INVALID,
      foreign: AuthErrorCode.PHONE_FOREIGN,
      not_mobile: AuthErrorCode.PHONE_NOT_MOBILE,
    }[checked.reason];
    throw new AuthException(reason, 'phone');
  }

  async request(phoneInput: unknown, clientIp: string): Promise<{ phone: string; expiresIn: number }> {
    const phone = OtpService.phoneOrThrow(phoneInput);
    await this.limit(`otp:ip:${clientIp}`, 3600, this.settings.perIpPerHour);
    await this.limit(`otp:phone:minute:${phone}`, 60, this.settings.perPhonePerMinute);
    await this.limit(`otp:phone:hour:${phone}`, 3600, this.settings.perPhonePerHour);
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    await this.store.set(this.codeKey(phone), this.digest(phone, code), this.settings.ttlSeconds);
    await this.store.del(this.attemptsKey(phone));
    try {
      await this.sms.send(
        phone,
        `Mã đăng nhập LocalStore của bạn là ${code}. Mã có hiệu lực trong ${Math.round(this.settings.ttlSeconds / 60)} phút. Không chia sẻ mã này với ai.`,
      );
    } catch (error) {
      await this.store.del(this.codeKey(phone));
      this.logger.error({ err: error, phone }, 'OTP SMS could not be sent');
      if (error instanceof SmsDeliveryError || error instanceof Error) throw new AuthException(AuthErrorCode.SMS_FAILED);
      throw error;
    }
    return { phone, expiresIn: this.settings.ttlSeconds };
  }

  /** Checks a code; returns the E.164 phone it proved. */
  async verify(phoneInput: unknown, code: unknown): Promise<string> {
    const phone = OtpService.phoneOrThrow(phoneInput);
    if (typeof code !== 'string' || !/^\d{6}$/.test(code)) throw new AuthException(AuthErrorCode.INVALID_INPUT, 'code');
    const stored = await this.store.get(this.codeKey(phone));
    if (!stored) throw new AuthException(AuthErrorCode.OTP_INVALID, 'code');
    const { count } = await this.store.hit(this.attemptsKey(phone), this.settings.ttlSeconds);
    if (count > this.settings.maxAttempts) {
      await this.store.del(this.codeKey(phone));
      throw new AuthException(AuthErrorCode.OTP_LOCKED, 'code');
    }
    const matches = timingSafeEqual(Buffer.from(this.digest(phone, code), 'hex'), Buffer.from(stored, 'hex'));
    // Taking the code is the one-use guarantee: of two simultaneous right answers, one wins.
    if (!matches || !(await this.store.takeIfEquals(this.codeKey(phone), stored))) {
      throw new AuthException(AuthErrorCode.OTP_INVALID, 'code', { remaining: Math.max(0, this.settings.maxAttempts - count) });
    }
    await this.store.del(this.attemptsKey(phone));
    return phone;
  }

  private async limit(key: string, windowSeconds: number, max: number): Promise<void> {
    const { count, resetsInSeconds } = await this.store.hit(key, windowSeconds);
    if (count > max) throw new AuthException(AuthErrorCode.TOO_MANY_REQUESTS, undefined, {}, { retryAfterSeconds: resetsInSeconds });
  }

  private digest(phone: string, code: string): string {
    return createHmac('sha256', this.settings.pepper).update(`${phone}:${code}`).digest('hex');
  }

  private codeKey(phone: string): string {
    return `otp:code:${phone}`;
  }

  private attemptsKey(phone: string): string {
    return `otp:attempts:${phone}`;
  }
}
