import { Module } from '@nestjs/common';
import { LocationsModule } from '../locations/locations.module';
import { LiveGateway } from './live-gateway';
import { LiveRooms } from './live-rooms';
import { LiveSubscriptions } from './live-subscriptions';
import { PresenceRepository } from './presence.repository';

/**
 * Live events to the screens: the Socket.IO gateway, the rooms and their numbering
 * (replay on reconnect), GraphQL subscriptions, and who has a screen open.
 */
@Module({
  imports: [LocationsModule],
  providers: [LiveGateway, LiveRooms, LiveSubscriptions, PresenceRepository],
  exports: [LiveGateway, LiveSubscriptions, PresenceRepository],
})
export class LiveModule {}
