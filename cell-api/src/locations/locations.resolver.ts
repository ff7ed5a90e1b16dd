import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { AuthorizedContext } from '../graphql/request-context';
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
}
