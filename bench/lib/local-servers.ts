// Where the servers `scripts/services.sh` starts listen, as every phase reads them: the
// environment's URL when set, else the demo's loopback defaults (one place for the ports).

const POSTGRES = '127.0.0.1:55432/localstore';

export interface LocalServers {
  /** The cell's application role (under row-level security). */
  databaseUrl: string;
  /** The schemas' owner (migrations, copies, clean-up). */
  ownerUrl: string;
  /** The control plane's directory role. */
  directoryUrl: string;
  /** The directory's owner. */
  directoryOwnerUrl: string;
  redisUrl: string;
  natsUrl: string;
}

export function localServers(env: NodeJS.ProcessEnv): LocalServers {
  return {
    databaseUrl: env.DATABASE_URL || `postgres://localstore_app:localstore_app@${POSTGRES}`,
    ownerUrl: env.DATABASE_OWNER_URL || `postgres://localstore_owner:localstore_owner@${POSTGRES}`,
    directoryUrl: env.DIRECTORY_DATABASE_URL || `postgres://localstore_control:localstore_control@${POSTGRES}`,
    directoryOwnerUrl: env.DIRECTORY_OWNER_URL || `postgres://localstore_owner:localstore_owner@${POSTGRES}`,
    redisUrl: env.REDIS_URL || 'redis://127.0.0.1:56379',
    natsUrl: env.NATS_URL || 'nats://127.0.0.1:54222',
  };
}
