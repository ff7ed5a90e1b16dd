import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import type { DirectoryContext } from '../directory/directory-context';
import { PaymentAccountsService } from './payment-accounts.service';
import { ConnectPaymentProviderInput, PaymentProviderAccount } from './payments.types';

@Resolver()
export class PaymentsResolver {
  constructor(private readonly accounts: PaymentAccountsService) {}

  @Mutation(() => PaymentProviderAccount, { description: 'Connects the business’s own MoMo, ZaloPay or VNPay merchant account (owners only).' })
  connectPaymentProvider(@Args('input') input: ConnectPaymentProviderInput, @Context() ctx: DirectoryContext): Promise<PaymentProviderAccount> {
    return this.accounts.connect(ctx, input);
  }
}
