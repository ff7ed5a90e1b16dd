import { Args, Context, ID, Mutation, Resolver } from '@nestjs/graphql';
import type { AuthorizedContext } from '../graphql/request-context';
import { UuidArg } from '../graphql/uuid-arg';
import { PushDeviceRegistration, RegisterPushDeviceInput } from './notification.types';
import { PushDevicesService } from './push-devices.service';

@Resolver()
export class NotificationsResolver {
  constructor(private readonly devices: PushDevicesService) {}

  @Mutation(() => PushDeviceRegistration, { description: 'Registers this phone or browser for pushes when no screen is open.' })
  registerPushDevice(@Args('input') input: RegisterPushDeviceInput, @Context() ctx: AuthorizedContext): Promise<PushDeviceRegistration> {
    return this.devices.register(ctx, input);
  }

  @Mutation(() => Boolean, { description: 'Stops pushes to one of the signed-in user’s devices.' })
  unregisterPushDevice(@Args('id', { type: () => ID }, UuidArg) id: string, @Context() ctx: AuthorizedContext): Promise<boolean> {
    return this.devices.unregister(ctx, id);
  }
}
