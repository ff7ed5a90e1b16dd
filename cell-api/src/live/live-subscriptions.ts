import { Injectable } from '@nestjs/common';
import type { AuthorizedContext } from '../graphql/request-context';
import { LocationsService } from '../locations/locations.service';
import { liveChannel } from './live-feed';
import { LiveUpdates } from './live-updates';

/**
 * What a GraphQL subscription to a location's live events does at subscribe time: the
 * location must be one the token covers and RLS finds (as for a query), then the
 * subscription listens and the operation's transaction ends — events need no database.
 */
@Injectable()
export class LiveSubscriptions {
  constructor(
    private readonly locations: LocationsService,
    private readonly live: LiveUpdates,
  ) {}

  async ofLocation<T>(ctx: AuthorizedContext, event: 'dashboard.delta' | 'payment.received', locationId: string): Promise<AsyncIterableIterator<T>> {
    try {
      await this.locations.visibleLocation(ctx, locationId, 'locationId');
      return this.live.feed.subscribe<T>(liveChannel(event, ctx.principal.tenantId, locationId));
    } finally {
      await ctx.db.finish(true);
    }
  }
}
