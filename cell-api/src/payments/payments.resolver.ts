import { Args, Context, ID, Mutation, Resolver, Subscription } from '@nestjs/graphql';
import type { PaymentProvider, PaymentReceivedEvent } from '@localstore/common';
import type { AuthorizedContext } from '../graphql/request-context';
import { PaymentCheckoutService } from './payment-checkout.service';
import { PaymentCheckout, RequestPaymentArgs } from './payment.types';
import { UuidArg } from '../graphql/uuid-arg';
import { LiveSubscriptions } from '../live/live-subscriptions';
import { PaymentUpdate } from '../live/live.types';

@Resolver()
export class PaymentsResolver {
  constructor(
    private readonly checkout: PaymentCheckoutService,
    private readonly live: LiveSubscriptions,
  ) {}

  @Mutation(() => PaymentCheckout, { description: 'Opens a MoMo, ZaloPay or VNPay payment for an unpaid order recorded with that method.' })
  requestPayment(@Args() args: RequestPaymentArgs, @Context() ctx: AuthorizedContext): Promise<PaymentCheckout> {
    return this.checkout.requestPayment(ctx, args.orderId, args.provider as PaymentProvider);
  }

  @Subscription(() => PaymentUpdate, {
    description: 'Each provider payment recorded for the location’s orders.',
    resolve: (payment: PaymentReceivedEvent) => payment,
  })
  payments(
    @Args('locationId', { type: () => ID }, UuidArg) locationId: string,
    @Context() ctx: AuthorizedContext,
  ): Promise<AsyncIterableIterator<PaymentReceivedEvent>> {
    return this.live.ofLocation(ctx, 'payment.received', locationId);
  }
}
