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

@ObjectType()
export class Member {
  @Field(() => ID)
  userId!: string;

  @Field({ description: 'E.164' })
  phone!: string;

  @Field(() => String, { nullable: true })
  displayName!: string | null;

  @Field()
  role!: string;

  @Field(() => [ID], { nullable: true, description: 'Null: every location.' })
  locationIds!: string[] | null;
}

@ObjectType()
export class Invite {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  tenantId!: string;

  @Field()
  tenantName!: string;

  @Field()
  phone!: string;

  @Field()
  role!: string;

  @Field()
  expiresAt!: Date;
}

@ObjectType({ description: 'A 6-character code a new team member types to join.' })
export class JoinCode {
  @Field()
  code!: string;

  @Field()
  expiresAt!: Date;
}

@InputType()
export class InviteInput {
  @Field(() => ID)
  tenantId!: string;

  @Field({ description: 'Vietnamese mobile, as typed.' })
  phone!: string;

  @Field({ description: 'owner, manager or staff' })
  role!: string;

  @Field(() => [ID], { nullable: true })
  locationIds?: string[] | null;
}

@InputType()
export class JoinCodeInput {
  @Field(() => ID)
  tenantId!: string;

  @Field({ description: 'manager or staff' })
  role!: string;

  @Field(() => Number, { nullable: true, description: 'Hours until it expires (default 72, at most 720).' })
  ttlHours?: number | null;

  @Field(() => [ID], { nullable: true })
  locationIds?: string[] | null;
}

@InputType()
export class MemberChangeInput {
  @Field(() => ID)
  tenantId!: string;

  @Field(() => ID)
  userId!: string;

  @Field({ description: 'owner, manager or staff' })
  role!: string;

  @Field(() => [ID], { nullable: true })
  locationIds?: string[] | null;
}
