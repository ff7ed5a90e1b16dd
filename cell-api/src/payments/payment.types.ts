import { ArgsType, Field, ID, ObjectType } from '@nestjs/graphql';
import { OneOf, Uuid } from '../graphql/validators';

@ArgsType()
export class RequestPaymentArgs {
  @Field(() => ID)
  @Uuid()
  orderId!: string;

  @Field({ description: 'momo, zalopay or vnpay: the method the order was recorded with' })
  @OneOf(['momo', 'zalopay', 'vnpay'])
  provider!: string;
}

@ObjectType({ description: 'A payment page opened with the provider for one order: show its URL as a QR code.' })
export class PaymentCheckout {
  @Field()
  provider!: string;

  @Field({ description: 'The order reference the provider knows the payment by.' })
  orderRef!: string;

  @Field()
  payUrl!: string;

  @Field()
  expiresAt!: Date;
}
