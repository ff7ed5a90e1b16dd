import { randomUUID } from 'node:crypto';
import { SmsDeliveryError, type SmsSender } from './sms-sender';

export interface ViettelSmsOptions {
  url: string;
  user: string;
  password: string;
  brandName: string;
  timeoutMs?: number;
}

/**
 * A Viettel-style brandname SMS gateway: one JSON POST per message carrying the account
 * (`user`, `pass`), the registered brand name, the number without the plus (`84…`), the
 * text and a unique transaction id. The gateway answers HTTP 200 with `{ "code": 1 }` on
 * acceptance; any other code is a refusal with a `message`.
 */
export class ViettelSmsSender implements SmsSender {
  constructor(private readonly options: ViettelSmsOptions) {}

  async send(phoneE164: string, text: string): Promise<void> {
    const response = await fetch(this.options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', accept: 'application/json' },
      body: JSON.stringify({
        user: this.options.user,
        pass: this.options.password,
        brandName: this.options.brandName,
        phone: phoneE164.replace(/^\+/, ''),
        mess: text,
        tranId: randomUUID(),
        dataEncode: 1,
      }),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 5_000),
    });
    const body = (await response.json().catch(() => ({}))) as { code?: number; message?: string };
    if (!response.ok || body.code !== 1) {
      throw new SmsDeliveryError(`Viettel gateway refused the message: HTTP ${response.status}, code ${body.code ?? '?'}`);
    }
  }
}
