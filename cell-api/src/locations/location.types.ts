import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { VN_TIME_ZONE } from '@localstore/common';
import { IsOptional } from 'class-validator';
import { IsTimeZone, Text } from '../graphql/validators';

@ObjectType({ description: 'A place where the business sells: a shop, a stall, a kitchen.' })
export class Location {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => String, { nullable: true })
  address!: string | null;

  @Field({ description: 'IANA time zone of business dates and hourly buckets.' })
  timezone!: string;

  @Field({
    description:
      'Whether rằm and mùng 1 (full and new moon of the lunar month) move this location’s trade; forecasts then treat them as holidays.',
  })
  lunarObservances!: boolean;

  @Field()
  createdAt!: Date;
}

@InputType()
export class CreateLocationInput {
  @Field()
  @Text(200)
  name!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Text(500, 0)
  address?: string | null;

  @Field({ defaultValue: VN_TIME_ZONE })
  @IsTimeZone()
  timezone: string = VN_TIME_ZONE;
}
