import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import type { PaymentProvider } from '@localstore/common';
import type { AuthorizedContext } from '../graphql/request-context';
import { PaymentCheckoutService } from './payment-checkout.service';
import { PaymentCheckout, RequestPaymentArgs } from './payment.types';

@Resolver()
export class PaymentsResolver {
  constructor(private readonly checkout: PaymentCheckoutService) {}

  @Mutation(() => PaymentCheckout, { description: 'Opens a MoMo, ZaloPay or VNPay payment for an unpaid order recorded with that method.' })
  requestPayment(@Args() args: RequestPaymentArgs, @Context() ctx: AuthorizedContext): Promise<PaymentCheckout> {
    return this.checkout.requestPayment(ctx, args.orderId, args.provider as PaymentProvider);
  }
}
