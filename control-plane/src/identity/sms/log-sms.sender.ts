import type { Logger } from 'pino';
import type { SmsSender } from './sms-sender';

/** Embedded runs: the message goes to the log, so an OTP login works from a terminal. */
export class LogSmsSender implements SmsSender {
  constructor(private readonly logger: Logger) {}

  async send(phoneE164: string, text: string): Promise<void> {
    this.logger.warn({ phone: phoneE164, sms: text }, 'SMS (embedded: not sent, printed here)');
  }
}
