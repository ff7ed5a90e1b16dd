import { Injectable, type OnModuleInit } from '@nestjs/common';
import { EventBus } from '../events/event-bus';
import type { AuthorizedContext } from '../graphql/request-context';
import { LocationsService } from '../locations/locations.service';
import { LiveFeed, liveChannel } from './live-feed';
import { LiveGateway } from './live-gateway';

/** What carries numbered events to GraphQL subscribers of the cell's other processes. */
const FEED_RELAY = 'live.feed';

/**
 * GraphQL subscriptions' side of live events: every numbered screen event goes to this
 * process's subscribers of its location (`feed`) and, with Redis, to the other processes'
 * through the socket gateway's relay. At subscribe time the location must be one the
 * token covers and RLS finds (as for a query), then the subscription listens and the
 * operation's transaction ends — events need no database.
 */
@Injectable()
export class LiveSubscriptions implements OnModuleInit {
  /** This process's GraphQL subscribers, by channel. */
  readonly feed = new LiveFeed();

  constructor(
    private readonly locations: LocationsService,
    private readonly bus: EventBus,
    private readonly gateway: LiveGateway,
  ) {}

  onModuleInit(): void {
    this.bus.subscribe(
      'live.numbered',
      (tenantId, { locationId, event, payload }) => {
        const channel = liveChannel(event, tenantId, locationId);
        this.feed.publish(channel, payload);
        this.gateway.relay(FEED_RELAY, channel, payload);
      },
      { label: 'LiveSubscriptions' },
    );
    this.gateway.onRelay(FEED_RELAY, (channel, payload) => this.feed.publish(channel as string, payload));
  }

  async ofLocation<T>(
    ctx: AuthorizedContext,
    event: 'dashboard.delta' | 'payment.received',
    locationId: string,
  ): Promise<AsyncIterableIterator<T>> {
    try {
      await this.locations.visibleLocation(ctx, locationId, 'locationId');
      return this.feed.subscribe<T>(liveChannel(event, ctx.principal.tenantId, locationId));
    } finally {
      await ctx.db.finish(true);
    }
  }
}
