import {
  isPaymentProvider,
  isUuid,
  type PaymentCheckoutReply,
  type PaymentCheckoutRequest,
  type PaymentProvider,
} from '@localstore/common';
import type { Logger } from 'pino';
import type { PaymentAccount, PaymentAccountsRepository } from './payment-accounts.repository';
import type { PaymentIntent, PaymentIntentsRepository } from './payment-intents.repository';
import {
  type CheckoutOrder,
  momoPayUrl,
  type ProviderEndpoints,
  vietnamTimestamp,
  vnpayPayUrl,
  zaloPayOrderUrl,
} from './provider-checkout';

/** How long a payment page stays payable (the providers' own default is about 15 minutes). */
const INTENT_TTL_MS = 15 * 60_000;
const MAX_ATTEMPTS = 35;

/**
 * Opens a payment with the tenant's provider account for one order: records the intent
 * (order reference → tenant, order, amount) first, then asks the provider for the page, so
 * a notification can never arrive for a reference we do not know.
 */
export class PaymentCheckoutService {
  constructor(
    private readonly accounts: PaymentAccountsRepository,
    private readonly intents: PaymentIntentsRepository,
    private readonly endpoints: ProviderEndpoints,
    private readonly logger: Logger,
  ) {}

  async checkout(input: unknown): Promise<PaymentCheckoutReply> {
    const request = validated(input);
    if ('field' in request) return { ok: false, code: 'INVALID_REQUEST', field: request.field };
    const account = await this.accounts.ofTenant(request.tenantId, request.provider);
    if (!account) return { ok: false, code: 'PROVIDER_NOT_CONNECTED', field: 'provider' };
    const open = await this.intents.openIntentOf(request.tenantId, request.orderId, request.provider);
    if (open && open.amount === request.amount && open.payUrl) return answer(open);
    const attempt = (await this.intents.attemptsOf(request.tenantId, request.orderId, request.provider)) + 1;
    if (attempt > MAX_ATTEMPTS) return { ok: false, code: 'TOO_MANY_ATTEMPTS', field: 'orderId' };
    const order: CheckoutOrder = {
      orderRef: orderRefOf(request.provider, request.orderId, attempt),
      amount: request.amount,
      description: request.description,
      expiresAt: new Date(Date.now() + INTENT_TTL_MS),
    };
    await this.intents.create({ ...request, orderRef: order.orderRef, payUrl: null, expiresAt: order.expiresAt });
    try {
      const payUrl = await this.payUrlOf(account, order);
      await this.intents.setPayUrl(request.provider, order.orderRef, payUrl);
      return { ok: true, provider: request.provider, orderRef: order.orderRef, payUrl, expiresAt: order.expiresAt.toISOString() };
    } catch (error) {
      this.logger.warn({ err: error, provider: request.provider, tenant_id: request.tenantId }, 'provider refused a checkout');
      return { ok: false, code: 'PROVIDER_UNAVAILABLE' };
    }
  }

  private payUrlOf(account: PaymentAccount, order: CheckoutOrder): Promise<string> {
    switch (account.provider) {
      case 'momo':
        return momoPayUrl(account as PaymentAccount<'momo'>, order, this.endpoints);
      case 'zalopay':
        return zaloPayOrderUrl(account as PaymentAccount<'zalopay'>, order, this.endpoints);
      case 'vnpay':
        return Promise.resolve(vnpayPayUrl(account as PaymentAccount<'vnpay'>, order, this.endpoints));
    }
  }
}

function answer(intent: PaymentIntent): PaymentCheckoutReply {
  return {
    ok: true,
    provider: intent.provider,
    orderRef: intent.orderRef,
    payUrl: intent.payUrl!,
    expiresAt: new Date(intent.expiresAt).toISOString(),
  };
}

/**
 * Each provider's rules for the merchant's order reference: MoMo `orderId` (≤ 50, letters,
 * digits, `-_.`), ZaloPay `app_trans_id` (≤ 40, starting with the Vietnamese date yymmdd_),
 * VNPay `vnp_TxnRef` (letters and digits). A new attempt gets a new reference: providers
 * refuse to reuse one.
 */
export function orderRefOf(provider: PaymentProvider, orderId: string, attempt: number): string {
  const hex = orderId.replace(/-/g, '');
  switch (provider) {
    case 'momo':
      return `${orderId}-${attempt}`;
    case 'zalopay':
      return `${vietnamTimestamp(new Date()).slice(2, 8)}_${hex}${attempt.toString(36)}`;
    case 'vnpay':
      return `${hex}${attempt}`;
  }
}

function validated(input: unknown): PaymentCheckoutRequest | { field: string } {
  const r = (input ?? {}) as Partial<Record<keyof PaymentCheckoutRequest, unknown>>;
  if (!isUuid(r.tenantId)) return { field: 'tenantId' };
  if (!isUuid(r.orderId)) return { field: 'orderId' };
  if (!isUuid(r.locationId)) return { field: 'locationId' };
  if (!isPaymentProvider(r.provider)) return { field: 'provider' };
  if (typeof r.amount !== 'number' || !Number.isSafeInteger(r.amount) || r.amount < 1 || r.amount > 1_000_000_000_000)
    return { field: 'amount' };
  if (typeof r.description !== 'string' || r.description.length === 0 || r.description.length > 255) return { field: 'description' };
  return {
    tenantId: r.tenantId,
    orderId: r.orderId,
    locationId: r.locationId,
    provider: r.provider,
    amount: r.amount,
    description: r.description,
  };
}
