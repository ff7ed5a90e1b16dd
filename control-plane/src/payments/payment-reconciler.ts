import type { PaymentProvider } from '@localstore/common';
import type { Logger } from 'pino';
import type { PaymentAccount, PaymentAccountsRepository } from './payment-accounts.repository';
import type { PaymentEventPublisher } from './payment-event-publisher';
import { forwardNotice } from './payment-forwarding';
import type { PaymentIntent, PaymentIntentsRepository } from './payment-intents.repository';
import { ProviderQueryError, type ProviderStatus, queryMomo, queryVnpay, queryZaloPay, type QueryEndpoints } from './provider-queries';

export type ReconcileOutcome = 'pending' | 'settled' | 'no_account' | 'gone';

/**
 * Asks the provider about a payment whose notification never came (a provider's retries
 * can give up, a webhook can be lost on the way), through the same provider accounts, and
 * forwards what it learns exactly as the ingress would: the same event id, so a
 * notification arriving later changes nothing.
 */
export class PaymentReconciler {
  constructor(
    private readonly accounts: PaymentAccountsRepository,
    private readonly intents: PaymentIntentsRepository,
    private readonly publisher: PaymentEventPublisher,
    private readonly endpoints: QueryEndpoints,
    private readonly afterSeconds: number,
    private readonly logger: Logger,
  ) {}

  /** The intents due for a question now, oldest first. */
  due(limit = 500): Promise<PaymentIntent[]> {
    return this.intents.awaitingReconciliation(this.afterSeconds, limit);
  }

  async reconcile(provider: PaymentProvider, orderRef: string): Promise<ReconcileOutcome> {
    const intent = await this.intents.byRef(provider, orderRef);
    if (!intent || intent.notifiedTransactionId) return 'gone';
    const account = await this.accounts.ofTenant(intent.tenantId, provider);
    if (!account) return 'no_account';
    const status = await this.statusOf(account, intent);
    await this.intents.markChecked(provider, orderRef);
    if (status.state === 'pending') return 'pending';
    const { notice } = status;
    if (!Number.isSafeInteger(notice.amount) || notice.amount < 0)
      throw new ProviderQueryError(`${provider} reported an amount that is not whole đồng`);
    await forwardNotice(this.publisher, this.intents, intent, notice);
    this.logger.info(
      { provider, tenant_id: intent.tenantId, order_ref: orderRef, succeeded: notice.succeeded },
      'payment found by reconciliation',
    );
    return 'settled';
  }

  private statusOf(account: PaymentAccount, intent: PaymentIntent): Promise<ProviderStatus> {
    switch (account.provider) {
      case 'momo':
        return queryMomo(account as PaymentAccount<'momo'>, intent, this.endpoints);
      case 'zalopay':
        return queryZaloPay(account as PaymentAccount<'zalopay'>, intent, this.endpoints);
      case 'vnpay':
        return queryVnpay(account as PaymentAccount<'vnpay'>, intent, this.endpoints);
    }
  }
}
