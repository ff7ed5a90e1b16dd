import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CELL_NAME, type Env, EnvReader, NATS_NAMESPACE_PATTERN, POSTGRES_SCHEMA_NAME } from '@localstore/common';

/**
 * Everything the cell reads from its environment, validated once at start-up. A wrong
 * value stops the process with a message naming the variable; the defaults are the
 * embedded ones `make demo` runs with.
 */
export interface CellConfig {
  /** Name of this cell in logs and metrics (`CELL_NAME`). */
  cellName: string;
  /** HTTP port for GraphQL, health and metrics (`PORT`). */
  port: number;
  /** Interface to listen on (`HOST`). */
  host: string;
  database: {
    /** Login of the application role: owns nothing, cannot bypass RLS (`DATABASE_URL`). */
    appUrl: string;
    /** Login of the schema owner, used only for migrations (`DATABASE_OWNER_URL`). */
    ownerUrl: string;
    /** Postgres schema holding this cell's tables (`DATABASE_SCHEMA`). */
    schema: string;
    /** Connections in the application pool (`DATABASE_POOL_SIZE`). */
    poolSize: number;
    /** Statement timeout for request queries, ms (`DATABASE_STATEMENT_TIMEOUT_MS`). */
    statementTimeoutMs: number;
  };
  auth: {
    /** Control plane JWKS (`AUTH_JWKS_URL`); takes precedence over the file. */
    jwksUrl?: string;
    /** JWKS on disk for embedded runs (`AUTH_JWKS_FILE`). */
    jwksFile?: string;
    issuer: string;
    audience: string;
  };
  graphql: {
    maxDepth: number;
    maxComplexity: number;
    /** Schema introspection and the landing page (`GRAPHQL_INTROSPECTION`). */
    introspection: boolean;
  };
  /**
   * Redis that carries Socket.IO broadcasts between the cell's processes (`REDIS_URL`,
   * keys under `REDIS_KEY_PREFIX`); unset: one process, Socket.IO's in-process adapter.
   */
  redis?: { url: string; keyPrefix: string };
  /**
   * NATS with JetStream (`NATS_URL`): the cell consumes its tenants' payments from the
   * payments stream and asks the control plane for provider checkouts. Unset (embedded
   * demo without a bus): no payments arrive and checkouts are refused as unavailable.
   * `PAYMENTS_STREAM_REPLICAS` applies when the cell is the first to create the stream;
   * `NATS_NAMESPACE` must be the control plane's (platforms sharing a NATS server).
   */
  nats?: { url: string; namespace: string; streamReplicas: number; requestTimeoutMs: number };
  /**
   * Push notifications to owners with no screen open. FCM HTTP v1 with a service account
   * (`FCM_SERVICE_ACCOUNT_FILE`, a Google service-account JSON; `FCM_API_URL`); Web Push with
   * VAPID keys (`VAPID_PUBLIC_KEY`, `VAPID_PRIVATE_KEY` as base64url, `VAPID_SUBJECT`). Either
   * unset: that kind is not sent. `PUSH_ALLOW_HTTP_ENDPOINTS` accepts plain-HTTP push
   * endpoints (tests' local push service only).
   */
  notifications: {
    fcm?: { projectId: string; clientEmail: string; privateKey: string; tokenUri: string; apiUrl: string };
    webPush?: { publicKey: string; privateKey: string; subject: string };
    allowHttpEndpoints: boolean;
    /** Tries of one push before the dead-letter list, and the first backoff (`PUSH_RETRY_ATTEMPTS`, `PUSH_RETRY_BACKOFF_MS`). */
    attempts: number;
    backoffMs: number;
  };
  /**
   * The KServe model server (ai/), gRPC at `MODEL_SERVER_ADDRESS` (host:port). Every call has
   * a deadline (`MODEL_DEADLINE_MS`; forecasts, which fit Prophet per item,
   * `MODEL_FORECAST_DEADLINE_MS`), UNAVAILABLE is retried (`MODEL_RETRY_ATTEMPTS`,
   * `MODEL_RETRY_BACKOFF_MS`), and after `MODEL_BREAKER_FAILURES` failures in a row calls fail
   * at once for `MODEL_BREAKER_OPEN_MS`.
   */
  models: {
    address: string;
    deadlineMs: number;
    forecastDeadlineMs: number;
    attempts: number;
    backoffMs: number;
    breakerFailures: number;
    breakerOpenMs: number;
    maxMessageBytes: number;
  };
  /**
   * The nightly forecasts and recommendations at 00:00 of each location's time zone
   * (`INSIGHTS_NIGHTLY`), spread over `INSIGHTS_SPREAD_MINUTES` so the cells do not all call
   * the models at once; and the anomaly watch of closed hours (`ANOMALY_WATCH`).
   */
  insights: { nightly: boolean; spreadMinutes: number; anomalyWatch: boolean };
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

function notificationsConfig(read: EnvReader, env: Env): CellConfig['notifications'] {
  const notifications: CellConfig['notifications'] = {
    allowHttpEndpoints: read.bool('PUSH_ALLOW_HTTP_ENDPOINTS', false),
    attempts: read.int('PUSH_RETRY_ATTEMPTS', 5, 1, 20),
    backoffMs: read.int('PUSH_RETRY_BACKOFF_MS', 1_000, 10, 600_000),
  };
  if (env.FCM_SERVICE_ACCOUNT_FILE) {
    try {
      const account = JSON.parse(readFileSync(env.FCM_SERVICE_ACCOUNT_FILE, 'utf8')) as Record<string, unknown>;
      const fields = ['project_id', 'client_email', 'private_key', 'token_uri'] as const;
      const missing = fields.filter((field) => typeof account[field] !== 'string' || !account[field]);
      if (missing.length > 0) read.problems.push(`FCM_SERVICE_ACCOUNT_FILE lacks ${missing.join(', ')}`);
      else {
        notifications.fcm = {
          projectId: account.project_id as string,
          clientEmail: account.client_email as string,
          privateKey: account.private_key as string,
          tokenUri: account.token_uri as string,
          apiUrl: read.url('FCM_API_URL', 'https://fcm.googleapis.com', ['http:', 'https:']).replace(/\/+$/, ''),
        };
      }
    } catch (error) {
      read.problems.push(`FCM_SERVICE_ACCOUNT_FILE could not be read as JSON (${(error as Error).message})`);
    }
  }
  if (env.VAPID_PUBLIC_KEY || env.VAPID_PRIVATE_KEY) {
    const publicKey = read.string('VAPID_PUBLIC_KEY', '', /^[A-Za-z0-9_-]{87}$/);
    const privateKey = read.string('VAPID_PRIVATE_KEY', '', /^[A-Za-z0-9_-]{43}$/);
    const subject = read.string('VAPID_SUBJECT', 'mailto:ops@localstore.vn', /^(mailto:|https:\/\/).+/);
    notifications.webPush = { publicKey, privateKey, subject };
  }
  return notifications;
}

export class ConfigError extends Error {}

const REPO_ROOT = resolve(__dirname, '..', '..', '..');
const LOCAL_PG = 'postgres://%s@127.0.0.1:55432/localstore';

export function loadCellConfig(env: Env = process.env): CellConfig {
  const read = new EnvReader(env);

  const jwksUrl = read.url('AUTH_JWKS_URL', undefined, ['http:', 'https:']);
  const config: CellConfig = {
    cellName: read.string('CELL_NAME', 'pooled-1', CELL_NAME),
    port: read.int('PORT', 3001, 0, 65535),
    host: read.string('HOST', '127.0.0.1'),
    database: {
      appUrl: read.url('DATABASE_URL', LOCAL_PG.replace('%s', 'localstore_app:localstore_app'), ['postgres:', 'postgresql:']),
      ownerUrl: read.url('DATABASE_OWNER_URL', LOCAL_PG.replace('%s', 'localstore_owner:localstore_owner'), ['postgres:', 'postgresql:']),
      schema: read.string('DATABASE_SCHEMA', 'cell_pooled', POSTGRES_SCHEMA_NAME),
      poolSize: read.int('DATABASE_POOL_SIZE', 20, 1, 500),
      statementTimeoutMs: read.int('DATABASE_STATEMENT_TIMEOUT_MS', 10_000, 100, 600_000),
    },
    auth: {
      jwksUrl,
      jwksFile: jwksUrl ? undefined : (env.AUTH_JWKS_FILE ?? resolve(REPO_ROOT, '.local/demo/jwks.json')),
      issuer: read.string('AUTH_ISSUER', 'localstore-control-plane'),
      audience: read.string('AUTH_AUDIENCE', 'localstore-cell'),
    },
    graphql: {
      maxDepth: read.int('GRAPHQL_MAX_DEPTH', 8, 2, 50),
      maxComplexity: read.int('GRAPHQL_MAX_COMPLEXITY', 5_000, 10, 1_000_000),
      introspection: read.bool('GRAPHQL_INTROSPECTION', true),
    },
    models: {
      address: read.string('MODEL_SERVER_ADDRESS', '127.0.0.1:58081', /^([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\]):\d{1,5}$/),
      deadlineMs: read.int('MODEL_DEADLINE_MS', 5_000, 10, 600_000),
      forecastDeadlineMs: read.int('MODEL_FORECAST_DEADLINE_MS', 180_000, 100, 3_600_000),
      attempts: read.int('MODEL_RETRY_ATTEMPTS', 3, 1, 10),
      backoffMs: read.int('MODEL_RETRY_BACKOFF_MS', 200, 1, 60_000),
      breakerFailures: read.int('MODEL_BREAKER_FAILURES', 5, 1, 1_000),
      breakerOpenMs: read.int('MODEL_BREAKER_OPEN_MS', 30_000, 10, 3_600_000),
      maxMessageBytes: 64 * 1024 * 1024,
    },
    insights: {
      nightly: read.bool('INSIGHTS_NIGHTLY', true),
      spreadMinutes: read.int('INSIGHTS_SPREAD_MINUTES', 60, 0, 720),
      anomalyWatch: read.bool('ANOMALY_WATCH', true),
    },
    ...(env.REDIS_URL
      ? {
          redis: {
            url: read.url('REDIS_URL', '', ['redis:', 'rediss:']),
            keyPrefix: read.string('REDIS_KEY_PREFIX', 'cell:', /^[A-Za-z0-9:_-]{1,64}$/),
          },
        }
      : {}),
    ...(env.NATS_URL
      ? {
          nats: {
            url: read.url('NATS_URL', '', ['nats:', 'tls:']),
            namespace: read.string('NATS_NAMESPACE', '', NATS_NAMESPACE_PATTERN),
            streamReplicas: read.int('PAYMENTS_STREAM_REPLICAS', 1, 1, 5),
            requestTimeoutMs: read.int('NATS_REQUEST_TIMEOUT_MS', 15_000, 100, 120_000),
          },
        }
      : {}),
    notifications: notificationsConfig(read, env),
    logLevel: read.string('LOG_LEVEL', 'info', /^(fatal|error|warn|info|debug|trace|silent)$/) as CellConfig['logLevel'],
  };
  if (read.problems.length > 0) {
    throw new ConfigError(`Invalid cell configuration:\n  - ${read.problems.join('\n  - ')}`);
  }
  return config;
}
