import { resolve } from 'node:path';
import { CELL_NAME, type Env, EnvReader, NATS_NAMESPACE_PATTERN, POSTGRES_SCHEMA_NAME } from '@localstore/common';

/**
 * Everything the control plane reads from its environment, validated once at start-up;
 * a wrong value stops the process naming the variable. Defaults are the embedded ones.
 */
export interface ControlPlaneConfig {
  /** Port of the front door: the router and `app.<domain>` (`CONTROL_PLANE_PORT`). */
  port: number;
  host: string;
  /** `<domain>` of `app.<domain>` and `<slug>.<domain>` (`PLATFORM_DOMAIN`). */
  domain: string;
  directory: {
    appUrl: string;
    ownerUrl: string;
    schema: string;
    poolSize: number;
  };
  /** Redis for OTP codes, rate limits and sessions; unset = in-process (one machine only). */
  redisUrl?: string;
  /** Prefix of every Redis key, so several deployments can share one Redis (`REDIS_KEY_PREFIX`). */
  redisKeyPrefix: string;
  tokens: {
    issuer: string;
    audience: string;
    accessTtlSeconds: number;
    refreshTtlDays: number;
    /** A signing key older than this is retired (it still verifies until its tokens expire). */
    keyRotationDays: number;
  };
  otp: {
    ttlSeconds: number;
    maxAttempts: number;
    perPhonePerMinute: number;
    perPhonePerHour: number;
    perIpPerHour: number;
    /**
     * HMAC key of the stored codes (`OTP_PEPPER`, at least 32 characters: `openssl rand -hex 32`).
     * Every replica must hold the same one, or a code requested on one fails on another:
     * required when `TENANCY_MODE=cluster`; embedded, `EMBEDDED_OTP_PEPPER`.
     */
    pepper: Buffer;
  };
  sms:
    | { provider: 'log' }
    | { provider: 'viettel'; url: string; user: string; password: string; brandName: string }
    | { provider: 'twilio'; url: string; accountSid: string; authToken: string; from: string };
  /** The pooled cell registered at start when none is (embedded runs). */
  pooledCell: { name: string; endpoint: string; capacity: number };
  /**
   * Who places new tenants (`TENANCY_MODE`): `embedded`, the control plane itself in the
   * pooled cell; `cluster`, the operator, from the Tenant resource signup creates
   * (`KUBECONFIG`, `TENANT_LABELS` as k=v,k2=v2, `PLACEMENT_TIMEOUT_MS`).
   */
  tenancy: { mode: 'embedded' } | { mode: 'cluster'; kubeconfig?: string; labels: Record<string, string>; timeoutMs: number };
  /** Time the router waits for a cell before answering 503. */
  cellTimeoutMs: number;
  /**
   * The web app's static export (`WEB_APP_DIR`, default `web/out` under the working
   * directory), served on `app.<domain>` and `<slug>.<domain>`. Missing: API only, with a warning.
   */
  webAppDir: string;
  payments: {
    /** NATS with JetStream (`NATS_URL`); unset: webhooks are answered "call again later" and nothing is lost. */
    natsUrl?: string;
    /** Names on the bus (`NATS_NAMESPACE`), when platforms share a NATS server; the cells' must match. */
    natsNamespace: string;
    /** Replicas of the payments stream (`PAYMENTS_STREAM_REPLICAS`): 3 in a cluster, 1 on one server. */
    streamReplicas: number;
    /** How long a publish may wait for JetStream's acknowledgement (`PAYMENTS_PUBLISH_TIMEOUT_MS`). */
    publishTimeoutMs: number;
    /** AES-256 key sealing merchant secrets, base64 (`PAYMENT_CREDENTIALS_KEY`); else read from / created in `PAYMENT_CREDENTIALS_KEY_FILE`. */
    credentialsKey?: Buffer;
    credentialsKeyFile: string;
    /** Base URL providers call our webhooks on (`PAYMENT_WEBHOOK_BASE_URL`). */
    webhookBaseUrl: string;
    /** Where a customer's browser lands after paying (`PAYMENT_RETURN_URL`). */
    returnUrl: string;
    momoApiUrl: string;
    zaloPayApiUrl: string;
    vnpayPayUrl: string;
    /** VNPay's merchant API (`querydr`) (`VNPAY_API_URL`). */
    vnpayApiUrl: string;
    /** A payment still unconfirmed this long after checkout is asked about (`PAYMENT_RECONCILE_AFTER_SECONDS`). */
    reconcileAfterSeconds: number;
    /** How often pending payments are swept (`PAYMENT_RECONCILE_INTERVAL_SECONDS`). */
    reconcileIntervalSeconds: number;
    /** Tries of one provider query before it goes to the dead-letter list, and the first backoff (`PAYMENT_RECONCILE_ATTEMPTS`, `PAYMENT_RECONCILE_BACKOFF_MS`). */
    reconcileAttempts: number;
    reconcileBackoffMs: number;
  };
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

export class ConfigError extends Error {}

/**
 * The OTP pepper of embedded runs: fixed and public rather than random per process, since
 * what breaks sign-in is two processes sharing a Redis (or one restarted between a code's
 * request and its check) hashing codes with different keys. On one machine the codes sit in
 * a loopback Redis or in the process itself, where a secret pepper would guard little; a
 * cluster brings its own secret, and this value is refused there.
 */
export const EMBEDDED_OTP_PEPPER = 'localstore-embedded-otp-pepper-not-a-secret';

function otpPepper(read: EnvReader, env: Env, tenancyMode: string): Buffer {
  const value = env.OTP_PEPPER;
  if (!value) {
    if (tenancyMode === 'cluster')
      read.problems.push('OTP_PEPPER is required when TENANCY_MODE=cluster (the same secret on every replica, e.g. openssl rand -hex 32)');
    return Buffer.from(EMBEDDED_OTP_PEPPER, 'utf8');
  }
  // The value is a secret: problems give its length, never the value itself.
  if (value.length < 32) read.problems.push(`OTP_PEPPER must be at least 32 characters (e.g. openssl rand -hex 32), got ${value.length}`);
  else if (tenancyMode === 'cluster' && value === EMBEDDED_OTP_PEPPER)
    read.problems.push('OTP_PEPPER must not be the embedded default when TENANCY_MODE=cluster');
  return Buffer.from(value, 'utf8');
}

function paymentsConfig(read: EnvReader, env: Env): ControlPlaneConfig['payments'] {
  const natsUrl = env.NATS_URL ? read.url('NATS_URL', '', ['nats:', 'tls:']) : undefined;
  let credentialsKey: Buffer | undefined;
  if (env.PAYMENT_CREDENTIALS_KEY) {
    credentialsKey = Buffer.from(env.PAYMENT_CREDENTIALS_KEY, 'base64');
    if (credentialsKey.length !== 32) read.problems.push('PAYMENT_CREDENTIALS_KEY must be 32 bytes, base64-encoded');
  }
  const web = ['http:', 'https:'];
  return {
    ...(natsUrl ? { natsUrl } : {}),
    natsNamespace: read.string('NATS_NAMESPACE', '', NATS_NAMESPACE_PATTERN),
    streamReplicas: read.int('PAYMENTS_STREAM_REPLICAS', 1, 1, 5),
    publishTimeoutMs: read.int('PAYMENTS_PUBLISH_TIMEOUT_MS', 5_000, 100, 60_000),
    ...(credentialsKey ? { credentialsKey } : {}),
    credentialsKeyFile: read.string('PAYMENT_CREDENTIALS_KEY_FILE', '.local/control-plane/payment-credentials.key'),
    webhookBaseUrl: read.url('PAYMENT_WEBHOOK_BASE_URL', 'http://app.localhost:8080', web).replace(/\/+$/, ''),
    returnUrl: read.url('PAYMENT_RETURN_URL', 'http://app.localhost:8080/payments/done', web),
    momoApiUrl: read.url('MOMO_API_URL', 'https://test-payment.momo.vn', web).replace(/\/+$/, ''),
    zaloPayApiUrl: read.url('ZALOPAY_API_URL', 'https://sb-openapi.zalopay.vn', web).replace(/\/+$/, ''),
    vnpayPayUrl: read.url('VNPAY_PAY_URL', 'https://sandbox.vnpayment.vn/paymentv2/vpcpay.html', web),
    vnpayApiUrl: read.url('VNPAY_API_URL', 'https://sandbox.vnpayment.vn/merchant_webapi/api/transaction', web),
    reconcileAfterSeconds: read.int('PAYMENT_RECONCILE_AFTER_SECONDS', 300, 0, 86_400),
    reconcileIntervalSeconds: read.int('PAYMENT_RECONCILE_INTERVAL_SECONDS', 60, 1, 3_600),
    reconcileAttempts: read.int('PAYMENT_RECONCILE_ATTEMPTS', 5, 1, 50),
    reconcileBackoffMs: read.int('PAYMENT_RECONCILE_BACKOFF_MS', 5_000, 10, 3_600_000),
  };
}

const LOCAL_PG = 'postgres://%s@127.0.0.1:55432/localstore';

export function loadControlPlaneConfig(env: Env = process.env): ControlPlaneConfig {
  const read = new EnvReader(env);
  const str = read.string.bind(read);
  const int = read.int.bind(read);
  const required = read.required.bind(read);
  const url = (name: string, fallback: string, protocols: string[]) => read.url(name, fallback, protocols);

  const provider = str('SMS_PROVIDER', 'log', /^(log|viettel|twilio)$/);
  let sms: ControlPlaneConfig['sms'] = { provider: 'log' };
  if (provider === 'viettel') {
    sms = {
      provider,
      url: url('SMS_VIETTEL_URL', '', ['http:', 'https:']),
      user: required('SMS_VIETTEL_USER'),
      password: required('SMS_VIETTEL_PASSWORD'),
      brandName: str('SMS_VIETTEL_BRAND', 'LocalStore'),
    };
  } else if (provider === 'twilio') {
    sms = {
      provider,
      url: url('SMS_TWILIO_URL', 'https://api.twilio.com', ['http:', 'https:']),
      accountSid: required('SMS_TWILIO_ACCOUNT_SID'),
      authToken: required('SMS_TWILIO_AUTH_TOKEN'),
      from: required('SMS_TWILIO_FROM'),
    };
  }
  const redisUrl = env.REDIS_URL ? url('REDIS_URL', '', ['redis:', 'rediss:']) : undefined;

  const tenancyMode = str('TENANCY_MODE', 'embedded', /^(embedded|cluster)$/);
  const tenancy: ControlPlaneConfig['tenancy'] =
    tenancyMode === 'cluster'
      ? {
          mode: 'cluster',
          ...(env.KUBECONFIG ? { kubeconfig: env.KUBECONFIG } : {}),
          labels: read.labels('TENANT_LABELS'),
          timeoutMs: int('PLACEMENT_TIMEOUT_MS', 30_000, 1_000, 600_000),
        }
      : { mode: 'embedded' };
  const config: ControlPlaneConfig = {
    port: int('CONTROL_PLANE_PORT', 8080, 0, 65535),
    host: str('CONTROL_PLANE_HOST', '127.0.0.1'),
    domain: str('PLATFORM_DOMAIN', 'localhost', /^[a-z0-9.-]{1,200}$/),
    directory: {
      appUrl: url('DIRECTORY_DATABASE_URL', LOCAL_PG.replace('%s', 'localstore_control:localstore_control'), ['postgres:', 'postgresql:']),
      ownerUrl: url('DIRECTORY_OWNER_URL', LOCAL_PG.replace('%s', 'localstore_owner:localstore_owner'), ['postgres:', 'postgresql:']),
      schema: str('DIRECTORY_SCHEMA', 'directory', POSTGRES_SCHEMA_NAME),
      poolSize: int('DIRECTORY_POOL_SIZE', 10, 1, 200),
    },
    ...(redisUrl ? { redisUrl } : {}),
    redisKeyPrefix: str('REDIS_KEY_PREFIX', 'cp:', /^[A-Za-z0-9:_-]{1,64}$/),
    tokens: {
      issuer: str('AUTH_ISSUER', 'localstore-control-plane'),
      audience: str('AUTH_AUDIENCE', 'localstore-cell'),
      accessTtlSeconds: int('ACCESS_TOKEN_TTL_SECONDS', 900, 60, 3600),
      refreshTtlDays: int('REFRESH_TOKEN_TTL_DAYS', 30, 1, 365),
      keyRotationDays: int('SIGNING_KEY_ROTATION_DAYS', 30, 1, 365),
    },
    otp: {
      ttlSeconds: int('OTP_TTL_SECONDS', 120, 30, 900),
      maxAttempts: int('OTP_MAX_ATTEMPTS', 5, 1, 20),
      perPhonePerMinute: int('OTP_PER_PHONE_PER_MINUTE', 1, 1, 100),
      perPhonePerHour: int('OTP_PER_PHONE_PER_HOUR', 5, 1, 1000),
      perIpPerHour: int('OTP_PER_IP_PER_HOUR', 30, 1, 100_000),
      pepper: otpPepper(read, env, tenancyMode),
    },
    sms,
    pooledCell: {
      name: str('POOLED_CELL_NAME', 'pooled-1', CELL_NAME),
      endpoint: url('POOLED_CELL_URL', 'http://127.0.0.1:3001', ['http:', 'https:']),
      capacity: int('POOLED_CELL_CAPACITY', 500, 1, 1_000_000),
    },
    tenancy,
    cellTimeoutMs: int('CELL_TIMEOUT_MS', 10_000, 100, 120_000),
    webAppDir: resolve(str('WEB_APP_DIR', 'web/out', /^[^\0]{1,1000}$/)),
    payments: paymentsConfig(read, env),
    logLevel: str('LOG_LEVEL', 'info', /^(fatal|error|warn|info|debug|trace|silent)$/) as ControlPlaneConfig['logLevel'],
  };
  if (read.problems.length > 0) throw new ConfigError(`Invalid control plane configuration:\n  - ${read.problems.join('\n  - ')}`);
  return config;
}
