import { Args, Context, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { DirectoryContext } from './directory-context';
import { DirectoryService } from './directory.service';
import { SignupInput, SignupResult, TenantMembership } from './directory.types';

/** The directory on `app.<domain>/graphql`: thin, every rule is in the service. */
@Resolver()
export class DirectoryResolver {
  constructor(private readonly directory: DirectoryService) {}

  @Query(() => [TenantMembership], { description: 'Businesses the signed-in user belongs to.' })
  myTenants(@Context() ctx: DirectoryContext): Promise<TenantMembership[]> {
    return this.directory.myTenants(ctx);
  }

  @Mutation(() => SignupResult, { description: 'Creates a business with the signed-in (phone-verified) user as its owner.' })
  signup(@Args('input') input: SignupInput, @Context() ctx: DirectoryContext): Promise<SignupResult> {
    return this.directory.signup(ctx, input);
  }

  @Mutation(() => TenantMembership, { description: 'Records a plan change (the operator acts on it).' })
  changePlan(
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('plan') plan: string,
    @Context() ctx: DirectoryContext,
  ): Promise<TenantMembership> {
    return this.directory.changePlan(ctx, tenantId, plan);
  }
}
