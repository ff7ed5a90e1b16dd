import type { IncomingMessage, ServerResponse } from 'node:http';
import { isPaymentProvider, type PaymentProvider } from '@localstore/common';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import { readBody, RequestBodyErrorCode, RequestBodyException } from '../http/request-body';
import type { PaymentAccountsRepository } from './payment-accounts.repository';
import type { PaymentEventPublisher } from './payment-event-publisher';
import { forwardNotice } from './payment-forwarding';
import type { PaymentIntentsRepository } from './payment-intents.repository';
import { momoAdapter } from './providers/momo.adapter';
import type { ProviderAdapter, WebhookOutcome, WebhookRequest } from './providers/provider-adapter';
import { vnpayAdapter } from './providers/vnpay.adapter';
import { zaloPayAdapter } from './providers/zalopay.adapter';

export const WEBHOOK_PATH_PREFIX = '/api/v1/webhooks/payment/';
/** No provider sends more than a few kilobytes; anything bigger is not theirs. */
const MAX_BODY_BYTES = 16 * 1024;

const ADAPTERS: Record<PaymentProvider, ProviderAdapter> = {
  momo: momoAdapter as ProviderAdapter,
  zalopay: zaloPayAdapter as ProviderAdapter,
  vnpay: vnpayAdapter as ProviderAdapter,
};

/** Refusals worth a security log line: someone sent us something a provider would not. */
const SUSPICIOUS: ReadonlySet<WebhookOutcome> = new Set([
  'invalid_signature',
  'order_not_found',
  'invalid_amount',
  'malformed',
  'duplicate',
]);

export interface PaymentWebhookIngressDeps {
  accounts: PaymentAccountsRepository;
  intents: PaymentIntentsRepository;
  /** Absent when no NATS is configured: every notification is answered "call again later". */
  publisher: PaymentEventPublisher | null;
  logger: Logger;
  registry: Registry;
}

/**
 * The front door for MoMo, ZaloPay and VNPay: verifies the provider's signature with the
 * tenant's own credentials, maps the order reference to the tenant and order, publishes
 * the payment to JetStream (message id = the provider's transaction) and answers the
 * provider only once JetStream has it. It never writes a cell's database: the tenant's
 * cell records the payment from the stream, when it can.
 */
export class PaymentWebhookIngress {
  private readonly outcomes: Counter<'provider' | 'outcome'>;

  constructor(private readonly deps: PaymentWebhookIngressDeps) {
    this.outcomes = new Counter({
      name: 'payment_webhooks_total',
      help: 'Payment notifications received, by provider and how they were answered',
      labelNames: ['provider', 'outcome'],
      registers: [deps.registry],
    });
  }

  /** True when the path is a webhook's (the caller then leaves the response to us). */
  handles(path: string): boolean {
    return path.startsWith(WEBHOOK_PATH_PREFIX);
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://ingress');
    const name = url.pathname.slice(WEBHOOK_PATH_PREFIX.length);
    if (!isPaymentProvider(name)) return send(res, { status: 404, body: { message: 'unknown provider' } });
    const adapter = ADAPTERS[name];
    if (!adapter.methods.includes(req.method ?? '')) {
      res.setHeader('allow', adapter.methods.join(', '));
      return send(res, { status: 405, body: { message: 'method not allowed' } });
    }
    let outcome: WebhookOutcome;
    let detail: Record<string, unknown> = {};
    try {
      const body = (await readBody(req, MAX_BODY_BYTES)).toString('utf8');
      ({ outcome, detail } = await this.process(adapter, {
        method: req.method!,
        query: url.searchParams,
        contentType: String(req.headers['content-type'] ?? ''),
        body,
      }));
    } catch (error) {
      if (error instanceof RequestBodyException && error.code === RequestBodyErrorCode.PAYLOAD_TOO_LARGE) {
        outcome = 'malformed';
        detail = { reason: 'BODY_TOO_LARGE' };
      } else {
        this.deps.logger.error({ err: error, provider: name }, 'payment webhook failed; the provider will call again');
        outcome = 'retry_later';
      }
    }
    this.outcomes.inc({ provider: name, outcome });
    if (SUSPICIOUS.has(outcome)) {
      this.deps.logger.warn(
        { security: true, event: 'payment_webhook_refused', provider: name, outcome, ip: req.socket.remoteAddress, ...detail },
        'payment webhook refused',
      );
    }
    send(res, adapter.reply(outcome));
    // A body we refused to read is still arriving: close rather than drain it.
    if (detail.reason === 'BODY_TOO_LARGE') res.once('finish', () => req.destroy());
  }

  private async process(
    adapter: ProviderAdapter,
    request: WebhookRequest,
  ): Promise<{ outcome: WebhookOutcome; detail: Record<string, unknown> }> {
    const parsed = adapter.parse(request);
    if (!parsed.ok) return { outcome: 'malformed', detail: { reason: 'MALFORMED', field: parsed.field } };
    const { notice } = parsed;
    const account = await this.deps.accounts.byMerchant(adapter.provider, notice.merchantCode);
    if (!account) return { outcome: 'invalid_signature', detail: { reason: 'UNKNOWN_MERCHANT', merchant: notice.merchantCode } };
    if (!parsed.verify(account.secrets))
      return { outcome: 'invalid_signature', detail: { reason: 'BAD_SIGNATURE', tenant_id: account.tenantId } };
    const intent = await this.deps.intents.byRef(adapter.provider, notice.orderRef);
    if (!intent)
      return { outcome: 'order_not_found', detail: { reason: 'UNKNOWN_ORDER', tenant_id: account.tenantId, order_ref: notice.orderRef } };
    // Signed by one tenant's account for another tenant's order: never theirs to confirm.
    if (intent.tenantId !== account.tenantId)
      return {
        outcome: 'order_not_found',
        detail: { reason: 'ORDER_OF_ANOTHER_TENANT', tenant_id: account.tenantId, order_ref: notice.orderRef },
      };
    if (intent.notifiedTransactionId === notice.transactionId) {
      return { outcome: 'duplicate', detail: { reason: 'REPLAY', tenant_id: account.tenantId, order_ref: notice.orderRef } };
    }
    const publisher = this.deps.publisher;
    if (!publisher) return { outcome: 'retry_later', detail: {} };
    // Forwarded even when it will not confirm the order (a failed payment, a second one for
    // a paid order, an amount that differs): the cell records each, so nothing is lost.
    await forwardNotice(publisher, this.deps.intents, intent, notice);
    if (intent.notifiedTransactionId !== null)
      return { outcome: 'duplicate', detail: { reason: 'ORDER_ALREADY_PAID', tenant_id: intent.tenantId, order_ref: notice.orderRef } };
    if (notice.amount !== intent.amount)
      return {
        outcome: 'invalid_amount',
        detail: {
          reason: 'AMOUNT_MISMATCH',
          tenant_id: intent.tenantId,
          order_ref: notice.orderRef,
          amount: notice.amount,
          expected: intent.amount,
        },
      };
    return { outcome: 'accepted', detail: {} };
  }
}

function send(res: ServerResponse, reply: { status: number; body?: object }): void {
  if (res.headersSent) return;
  if (reply.body === undefined) {
    res.writeHead(reply.status).end();
    return;
  }
  const body = JSON.stringify(reply.body);
  res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) }).end(body);
}
