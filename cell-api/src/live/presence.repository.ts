import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../config/cell-config.token';
import { LiveGateway } from './live-gateway';
import { userRoom } from './room-names';

/** Who has a screen open: a socket in their user's room, on any of the cell's processes. */
@Injectable()
export class PresenceRepository {
  constructor(
    private readonly gateway: LiveGateway,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Which of these users have a socket open on any of the cell's processes (the Redis
   * adapter asks the others). When the question cannot be answered, nobody counts as
   * having a screen open: a push too many beats a payment nobody hears of.
   */
  async usersWithOpenScreens(tenantId: string, userIds: readonly string[]): Promise<Set<string>> {
    const open = new Set<string>();
    await Promise.all(
      userIds.map(async (userId) => {
        try {
          if (await this.gateway.hasSockets(userRoom(tenantId, userId))) open.add(userId);
        } catch (error) {
          this.logger.warn({ err: error }, 'could not tell whether a user has a screen open');
        }
      }),
    );
    return open;
  }
}
