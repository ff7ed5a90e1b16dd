import { Args, Context, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { DirectoryContext } from '../directory/directory-context';
import { PaymentAccountsService } from './payment-accounts.service';
import { ConnectPaymentProviderInput, PaymentProviderAccount } from './payments.types';

@Resolver()
export class PaymentsResolver {
  constructor(private readonly accounts: PaymentAccountsService) {}

  @Query(() => [PaymentProviderAccount], {
    description: 'The business’s connected MoMo, ZaloPay and VNPay merchant accounts, without their secrets (owners only).',
  })
  paymentProviderAccounts(
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Context() ctx: DirectoryContext,
  ): Promise<PaymentProviderAccount[]> {
    return this.accounts.list(ctx, tenantId);
  }

  @Mutation(() => PaymentProviderAccount, {
    description: 'Connects the business’s own MoMo, ZaloPay or VNPay merchant account (owners only).',
  })
  connectPaymentProvider(
    @Args('input') input: ConnectPaymentProviderInput,
    @Context() ctx: DirectoryContext,
  ): Promise<PaymentProviderAccount> {
    return this.accounts.connect(ctx, input);
  }
}
