import { SmsDeliveryError, type SmsSender } from './sms-sender';

export interface TwilioSmsOptions {
  url: string;
  accountSid: string;
  authToken: string;
  from: string;
  timeoutMs?: number;
}

/**
 * Twilio's Messages API: `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, form
 * encoded `To`, `From`, `Body`, HTTP Basic auth with the account SID and auth token.
 * A created message is HTTP 201 with its `sid`.
 */
export class TwilioSmsSender implements SmsSender {
  constructor(private readonly options: TwilioSmsOptions) {}

  async send(phoneE164: string, text: string): Promise<void> {
    const { url, accountSid, authToken, from } = this.options;
    const endpoint = new URL(`/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`, url);
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: new URLSearchParams({ To: phoneE164, From: from, Body: text }),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 5_000),
    });
    const body = (await response.json().catch(() => ({}))) as { sid?: string; code?: number };
    if (response.status !== 201 || !body.sid) {
      throw new SmsDeliveryError(`Twilio refused the message: HTTP ${response.status}, code ${body.code ?? '?'}`);
    }
  }
}
