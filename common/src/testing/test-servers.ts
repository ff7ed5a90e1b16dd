/**
 * Where the test servers are: the ones `scripts/services.sh up` starts on loopback.
 * Overridable so the suite can point at other servers.
 */
const port = process.env.LOCALSTORE_PG_PORT ?? '55432';
export const TEST_DATABASE = process.env.LOCALSTORE_TEST_DATABASE ?? 'localstore_test';
export const OWNER_URL =
  process.env.TEST_DATABASE_OWNER_URL ?? `postgres://localstore_owner:localstore_owner@127.0.0.1:${port}/${TEST_DATABASE}`;
export const APP_URL = process.env.TEST_DATABASE_URL ?? `postgres://localstore_app:localstore_app@127.0.0.1:${port}/${TEST_DATABASE}`;
export const MAINTENANCE_URL = `postgres://localstore_owner:localstore_owner@127.0.0.1:${port}/postgres`;
export const REDIS_URL = process.env.TEST_REDIS_URL ?? `redis://127.0.0.1:${process.env.LOCALSTORE_REDIS_PORT ?? '56379'}`;
export const NATS_URL = process.env.TEST_NATS_URL ?? `nats://127.0.0.1:${process.env.LOCALSTORE_NATS_PORT ?? '54222'}`;
/** The model server `make models` (or `make test`) started: the real KServe process. */
export const MODEL_SERVER_ADDRESS =
  process.env.TEST_MODEL_SERVER_ADDRESS ?? `127.0.0.1:${process.env.LOCALSTORE_MODEL_GRPC_PORT ?? '58081'}`;
