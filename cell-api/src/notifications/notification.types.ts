import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { IsOptional, Matches } from 'class-validator';
import { OneOf, Text } from '../graphql/validators';

@InputType({ description: 'A phone (FCM registration token) or a browser (Web Push subscription) to reach the signed-in user on.' })
export class RegisterPushDeviceInput {
  @Field({ description: 'fcm or webpush' })
  @OneOf(['fcm', 'webpush'])
  kind!: string;

  @Field(() => String, { nullable: true, description: 'FCM: the registration token from the app.' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_:-]{20,4096}$/)
  token?: string | null;

  @Field(() => String, { nullable: true, description: 'Web Push: PushSubscription.endpoint.' })
  @IsOptional()
  @Text(2048, 10)
  endpoint?: string | null;

  @Field(() => String, { nullable: true, description: 'Web Push: the subscription’s p256dh key, base64url.' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{87}$/)
  p256dh?: string | null;

  @Field(() => String, { nullable: true, description: 'Web Push: the subscription’s auth secret, base64url.' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{22}$/)
  auth?: string | null;
}

@ObjectType()
export class PushDeviceRegistration {
  @Field(() => ID)
  id!: string;

  @Field()
  kind!: string;
}
