import { Module } from '@nestjs/common';
import { IntegrationsModule } from '../integrations/integrations.module';
import { LocationsModule } from '../locations/locations.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { AnomalyWatch } from './anomaly-watch';
import { InsightsRepository } from './insights.repository';
import { InsightsResolver } from './insights.resolver';
import { InsightsService } from './insights.service';
import { NightlyInsights } from './nightly-insights';
import { RecommendationsCache } from './recommendations-cache';

/** Forecasts, recommendations and anomaly alerts from the models, stored in the cell. */
@Module({
  imports: [IntegrationsModule, LocationsModule, NotificationsModule],
  providers: [InsightsRepository, RecommendationsCache, InsightsService, InsightsResolver, NightlyInsights, AnomalyWatch],
  exports: [InsightsService, NightlyInsights, AnomalyWatch],
})
export class InsightsModule {}
