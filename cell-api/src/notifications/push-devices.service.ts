import { Injectable } from '@nestjs/common';
import { InputException } from '../errors/input.exception';
import type { AuthorizedContext } from '../graphql/request-context';
import { NotificationErrorCode, NotificationException } from './notification.exception';
import type { PushDeviceRegistration, RegisterPushDeviceInput } from './notification.types';
import { PushDevicesRepository } from './push-devices.repository';
import { PushQueue } from './push-queue';

@Injectable()
export class PushDevicesService {
  constructor(
    private readonly devices: PushDevicesRepository,
    private readonly queue: PushQueue,
  ) {}

  async register(ctx: AuthorizedContext, input: RegisterPushDeviceInput): Promise<PushDeviceRegistration> {
    const kind = input.kind as 'fcm' | 'webpush';
    if (!this.queue.canSend(kind)) throw new NotificationException(NotificationErrorCode.PUSH_CHANNEL_UNAVAILABLE, 'input.kind');
    let device: { token: string; p256dh: string | null; auth: string | null };
    if (kind === 'fcm') {
      if (!input.token) throw new InputException('input.token', 'isNotEmpty');
      device = { token: input.token, p256dh: null, auth: null };
    } else {
      if (!input.endpoint || !isPushEndpoint(input.endpoint)) throw new InputException('input.endpoint', 'isUrl');
      if (!input.p256dh) throw new InputException('input.p256dh', 'isNotEmpty');
      if (!input.auth) throw new InputException('input.auth', 'isNotEmpty');
      device = { token: input.endpoint, p256dh: input.p256dh, auth: input.auth };
    }
    const id = await this.devices.register(ctx.db, { userId: ctx.principal.userId, role: ctx.principal.role, kind, ...device });
    return { id, kind };
  }

  async unregister(ctx: AuthorizedContext, id: string): Promise<boolean> {
    if (!(await this.devices.removeOwn(ctx.db, id, ctx.principal.userId)))
      throw new NotificationException(NotificationErrorCode.DEVICE_NOT_FOUND, 'id');
    return true;
  }
}

/** A push service endpoint is an absolute http(s) URL (the sender refuses plain HTTP unless configured). */
function isPushEndpoint(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}
