import { Module } from '@nestjs/common';
import { LocationsModule } from '../locations/locations.module';
import { DashboardRepository } from './dashboard.repository';
import { DashboardResolver, DashboardUpdatesResolver, LocationDashboardResolver } from './dashboard.resolver';
import { LiveModule } from '../live/live.module';
import { DashboardService } from './dashboard.service';
import { DashboardCache } from './dashboard-cache';
import { DashboardDeltas } from './dashboard-deltas';

@Module({
  imports: [LocationsModule, LiveModule],
  providers: [
    DashboardRepository,
    DashboardService,
    DashboardCache,
    DashboardDeltas,
    LocationDashboardResolver,
    DashboardResolver,
    DashboardUpdatesResolver,
  ],
  exports: [DashboardCache],
})
export class DashboardModule {}
