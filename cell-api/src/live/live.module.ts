import { Module } from '@nestjs/common';
import { LocationsModule } from '../locations/locations.module';
import { LiveSubscriptions } from './live-subscriptions';

/** GraphQL subscriptions' side of live updates (Socket.IO's is `LiveUpdates`, in the core). */
@Module({
  imports: [LocationsModule],
  providers: [LiveSubscriptions],
  exports: [LiveSubscriptions],
})
export class LiveModule {}
