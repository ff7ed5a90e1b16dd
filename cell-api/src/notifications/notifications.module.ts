import { Module } from '@nestjs/common';
import { LiveModule } from '../live/live.module';
import { NotificationsResolver } from './notifications.resolver';
import { NotificationsService } from './notifications.service';
import { PushDevicesRepository } from './push-devices.repository';
import { PushDevicesService } from './push-devices.service';
import { PushQueue } from './push-queue';

/** Owners' pushes (FCM, Web Push) on jobs, and the devices they register. */
@Module({
  imports: [LiveModule],
  providers: [PushDevicesRepository, PushDevicesService, PushQueue, NotificationsService, NotificationsResolver],
  exports: [NotificationsService, PushQueue],
})
export class NotificationsModule {}
