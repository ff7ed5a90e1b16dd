/** Sends one text message to a Vietnamese mobile (E.164). Throws SmsDeliveryError when the gateway refuses. */
export interface SmsSender {
  send(phoneE164: string, text: string): Promise<void>;
}

export class SmsDeliveryError extends Error {}
