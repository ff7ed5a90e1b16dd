import { Module } from '@nestjs/common';
import { DashboardModule } from '../dashboard/dashboard.module';
import { LocationsModule } from '../locations/locations.module';
import { SalesRepository } from './sales.repository';
import { SalesResolver } from './sales.resolver';
import { SalesService } from './sales.service';

@Module({
  imports: [LocationsModule, DashboardModule],
  providers: [SalesRepository, SalesService, SalesResolver],
})
export class SalesModule {}
