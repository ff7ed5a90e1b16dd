import type { Counter } from 'prom-client';
import type { SmsSender } from './sms-sender';

/** A gateway whose sends are counted by provider and outcome (`control_plane_otp_sms_total`). */
export class CountedSmsSender implements SmsSender {
  constructor(
    private readonly gateway: SmsSender,
    private readonly provider: string,
    private readonly sends: Counter<'provider' | 'outcome'>,
  ) {}

  async send(phoneE164: string, text: string): Promise<void> {
    try {
      await this.gateway.send(phoneE164, text);
      this.sends.inc({ provider: this.provider, outcome: 'sent' });
    } catch (error) {
      this.sends.inc({ provider: this.provider, outcome: 'failed' });
      throw error;
    }
  }
}
