import { isPaymentProvider, isUuid, type PaymentProvider } from '@localstore/common';
import { type DirectoryContext, signedInUser } from '../directory/directory-context';
import type { DirectoryRepository } from '../directory/directory.repository';
import type { PaymentAccountsRepository } from './payment-accounts.repository';
import { PaymentErrorCode, PaymentException } from './payments.exception';
import type { ConnectPaymentProviderInput, PaymentProviderAccount } from './payments.types';
import type { ProviderSecrets } from './providers/provider-adapter';

/** The secret fields of each provider, and what each must look like. */
const SECRET_FIELDS: { [P in PaymentProvider]: (keyof ProviderSecrets[P] & keyof ConnectPaymentProviderInput)[] } = {
  momo: ['accessKey', 'secretKey'],
  zalopay: ['key1', 'key2'],
  vnpay: ['hashSecret'],
};
const MERCHANT_CODE: Record<PaymentProvider, RegExp> = {
  momo: /^[A-Za-z0-9_]{1,50}$/,
  zalopay: /^\d{1,10}$/,
  vnpay: /^[A-Za-z0-9]{1,16}$/,
};
const SECRET = /^[\x21-\x7e]{8,256}$/;

/** A business's own merchant accounts with the providers: connected and listed by owners only. */
export class PaymentAccountsService {
  constructor(
    private readonly accounts: PaymentAccountsRepository,
    private readonly directory: DirectoryRepository,
  ) {}

  async connect(ctx: DirectoryContext, input: ConnectPaymentProviderInput): Promise<PaymentProviderAccount> {
    const userId = signedInUser(ctx);
    if (!isUuid(input.tenantId)) throw new PaymentException(PaymentErrorCode.INVALID_INPUT, 'input.tenantId');
    if (!isPaymentProvider(input.provider)) throw new PaymentException(PaymentErrorCode.INVALID_INPUT, 'input.provider');
    const provider = input.provider;
    if (!MERCHANT_CODE[provider].test(input.merchantCode)) throw new PaymentException(PaymentErrorCode.INVALID_INPUT, 'input.merchantCode');
    const secrets: Record<string, string> = {};
    for (const field of SECRET_FIELDS[provider]) {
      const value = input[field];
      if (typeof value !== 'string' || !SECRET.test(value)) throw new PaymentException(PaymentErrorCode.INVALID_INPUT, `input.${field}`);
      secrets[field] = value;
    }
    await this.requireOwner(userId, input.tenantId, 'input.tenantId');
    const connectedAt = await this.accounts.connect(
      {
        tenantId: input.tenantId,
        provider,
        merchantCode: input.merchantCode,
        secrets: secrets as unknown as ProviderSecrets[typeof provider],
      },
      userId,
    );
    if (!connectedAt) throw new PaymentException(PaymentErrorCode.MERCHANT_TAKEN, 'input.merchantCode');
    return { tenantId: input.tenantId, provider, merchantCode: input.merchantCode, connectedAt };
  }

  async list(ctx: DirectoryContext, tenantId: string): Promise<PaymentProviderAccount[]> {
    const userId = signedInUser(ctx);
    if (!isUuid(tenantId)) throw new PaymentException(PaymentErrorCode.INVALID_INPUT, 'tenantId');
    await this.requireOwner(userId, tenantId, 'tenantId');
    return (await this.accounts.listOf(tenantId)).map((account) => ({ tenantId, ...account }));
  }

  private async requireOwner(userId: string, tenantId: string, field: string): Promise<void> {
    const membership = await this.directory.membership(userId, tenantId);
    if (!membership) throw new PaymentException(PaymentErrorCode.NOT_A_MEMBER, field);
    if (membership.role !== 'owner') throw new PaymentException(PaymentErrorCode.ROLE_FORBIDDEN, field);
  }
}
