import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'A business the signed-in user belongs to, for the tenant picker.' })
export class TenantMembership {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'Subdomain: <slug>.<domain>' })
  slug!: string;

  @Field()
  name!: string;

  @Field({ description: 'owner, manager or staff' })
  role!: string;

  @Field({ description: 'pooled or dedicated (billing plan)' })
  plan!: string;
}

@ObjectType()
export class SignupTenant {
  @Field(() => ID)
  id!: string;

  @Field()
  slug!: string;

  @Field()
  name!: string;

  @Field()
  plan!: string;
}

@ObjectType()
export class SignupResult {
  @Field(() => SignupTenant)
  tenant!: SignupTenant;

  @Field({ description: 'Access token for the new business (owner).' })
  accessToken!: string;

  @Field()
  refreshToken!: string;
}

@InputType()
export class SignupInput {
  @Field({ description: 'The business name, Vietnamese with diacritics: "Phở Bò Hà Nội".' })
  businessName!: string;

  @Field(() => String, { nullable: true, description: 'Wanted subdomain; derived from the name when omitted.' })
  slug?: string | null;
}
