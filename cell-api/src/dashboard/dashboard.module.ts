import { Module } from '@nestjs/common';
import { LocationsModule } from '../locations/locations.module';
import { DashboardRepository } from './dashboard.repository';
import { DashboardResolver, LocationDashboardResolver } from './dashboard.resolver';
import { DashboardService } from './dashboard.service';

@Module({
  imports: [LocationsModule],
  providers: [DashboardRepository, DashboardService, LocationDashboardResolver, DashboardResolver],
})
export class DashboardModule {}
