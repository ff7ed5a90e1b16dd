import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { DateScalar, MoneyScalar } from '../graphql/scalars';

@ObjectType({
  description: 'What changed in a location’s figures: signed increments to add to what the screen shows, at the sale’s own date and hour.',
})
export class DashboardUpdate {
  @Field(() => ID)
  locationId!: string;

  @Field(() => DateScalar, { description: 'The local business date the change belongs to; a screen showing today ignores other dates.' })
  businessDate!: string;

  @Field(() => Int)
  hour!: number;

  @Field()
  paymentMethod!: string;

  @Field(() => MoneyScalar, { description: 'Negative for a void.' })
  revenue!: number;

  @Field(() => Int)
  orders!: number;

  @Field(() => Int)
  items!: number;

  @Field({ description: 'sale.recorded or order.voided' })
  cause!: string;

  @Field(() => ID)
  orderId!: string;
}

@ObjectType({ description: 'A provider payment recorded for one of the location’s orders.' })
export class PaymentUpdate {
  @Field(() => ID)
  paymentId!: string;

  @Field(() => ID, { nullable: true })
  orderId!: string | null;

  @Field(() => ID)
  locationId!: string;

  @Field({ description: 'momo, zalopay or vnpay' })
  provider!: string;

  @Field(() => MoneyScalar)
  amount!: number;

  @Field()
  succeeded!: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'Why it did not settle its order (AMOUNT_MISMATCH, ORDER_NOT_FOUND, ORDER_VOIDED, ORDER_ALREADY_PAID).',
  })
  discrepancy!: string | null;

  @Field()
  paidAt!: string;

  @Field()
  receivedAt!: string;
}
