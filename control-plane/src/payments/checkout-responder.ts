import type { PaymentCheckoutReply } from '@localstore/common';
import type { NatsConnection, Subscription } from '@nats-io/nats-core';
import type { Logger } from 'pino';
import type { PaymentCheckoutService } from './payment-checkout.service';

/**
 * Answers cells' checkout requests on NATS (request-reply, one queue group across the
 * control plane's replicas): cells reach the control plane only through the bus.
 */
export function serveCheckouts(
  connection: NatsConnection,
  subject: string,
  checkout: PaymentCheckoutService,
  logger: Logger,
): Subscription {
  return connection.subscribe(subject, {
    queue: 'control-plane',
    callback: (error, msg) => {
      if (error) return logger.error({ err: error }, 'checkout subscription failed');
      let request: unknown;
      try {
        request = msg.json();
      } catch {
        request = null;
      }
      checkout
        .checkout(request)
        .catch((failure: unknown): PaymentCheckoutReply => {
          logger.error({ err: failure }, 'checkout failed');
          return { ok: false, code: 'PROVIDER_UNAVAILABLE' };
        })
        .then((reply) => msg.respond(JSON.stringify(reply)));
    },
  });
}
