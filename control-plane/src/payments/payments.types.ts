import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';

@InputType({ description: 'A merchant account the business holds with MoMo, ZaloPay or VNPay. Only the fields of its provider are read.' })
export class ConnectPaymentProviderInput {
  @Field(() => ID)
  tenantId!: string;

  @Field({ description: 'momo, zalopay or vnpay' })
  provider!: string;

  @Field({ description: 'MoMo partnerCode, ZaloPay app_id or VNPay vnp_TmnCode' })
  merchantCode!: string;

  @Field(() => String, { nullable: true, description: 'MoMo' })
  accessKey?: string | null;

  @Field(() => String, { nullable: true, description: 'MoMo' })
  secretKey?: string | null;

  @Field(() => String, { nullable: true, description: 'ZaloPay: key1 signs our requests' })
  key1?: string | null;

  @Field(() => String, { nullable: true, description: 'ZaloPay: key2 signs its callbacks' })
  key2?: string | null;

  @Field(() => String, { nullable: true, description: 'VNPay vnp_HashSecret' })
  hashSecret?: string | null;
}

@ObjectType({ description: 'A connected provider account. Its secrets are never shown again.' })
export class PaymentProviderAccount {
  @Field(() => ID)
  tenantId!: string;

  @Field()
  provider!: string;

  @Field()
  merchantCode!: string;

  @Field({ description: 'When it was connected, or last replaced' })
  connectedAt!: Date;
}
