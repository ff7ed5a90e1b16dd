import { Args, Context, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { AuthorizedContext } from '../graphql/request-context';
import { UuidArg } from '../graphql/uuid-arg';
import { CreateLocationInput, Location } from './location.types';
import { LocationsService } from './locations.service';

@Resolver(() => Location)
export class LocationsResolver {
  constructor(private readonly service: LocationsService) {}

  @Query(() => [Location], { description: 'The locations the signed-in user may see.' })
  locations(@Context() ctx: AuthorizedContext): Promise<Location[]> {
    return this.service.visibleTo(ctx.db, ctx.principal);
  }

  @Mutation(() => Location)
  createLocation(@Args('input') input: CreateLocationInput, @Context() ctx: AuthorizedContext): Promise<Location> {
    return this.service.create(ctx.db, ctx.principal, input);
  }

  @Mutation(() => Location, { description: 'Owners: say whether rằm and mùng 1 move this location’s trade.' })
  setLunarObservances(
    @Args('locationId', { type: () => ID }, UuidArg) locationId: string,
    @Args('on') on: boolean,
    @Context() ctx: AuthorizedContext,
  ): Promise<Location> {
    return this.service.setLunarObservances(ctx, locationId, on);
  }
}
