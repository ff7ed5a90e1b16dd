import type * as pulumi from '@pulumi/pulumi';

/** One stack's settings, checked: what the program builds the platform from. */
export interface StackConfig {
  domain: string;
  namespace: string;
  imageRegistry: string;
  version: string;
  controlPlaneReplicas: number;
  operatorReplicas: number;
  pooledCellReplicas: number;
  pooledCellMaxTenants: number;
  routing:
    { kind: 'gateway'; gatewayName: string; gatewayNamespace: string } | { kind: 'ingress'; className: string; tlsSecretName: string };
  smsProvider: 'viettel' | 'twilio' | 'log';
  natsUrl: string;
  natsReplicas: 1 | 3;
  prometheusRelease?: string;
  secrets: {
    postgresAppUrl: pulumi.Output<string>;
    postgresOwnerUrl: pulumi.Output<string>;
    postgresControlUrl: pulumi.Output<string>;
    redisUrl: pulumi.Output<string>;
    paymentCredentialsKey: pulumi.Output<string>;
    otpPepper: pulumi.Output<string>;
    sms: Record<string, pulumi.Output<string>>;
  };
}

/** A stack whose configuration cannot work: every problem, each naming its key. */
export class StackConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid stack configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'StackConfigError';
  }
}

const DNS_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const POSTGRES_URL = /^postgres(ql)?:\/\//;
const SMS_KEYS = {
  viettel: ['SMS_VIETTEL_URL', 'SMS_VIETTEL_USER', 'SMS_VIETTEL_PASSWORD', 'SMS_VIETTEL_BRAND'],
  twilio: ['SMS_TWILIO_URL', 'SMS_TWILIO_ACCOUNT_SID', 'SMS_TWILIO_AUTH_TOKEN', 'SMS_TWILIO_FROM'],
  log: [],
} as const;

/** Reads and checks the `localstore:*` keys; throws StackConfigError listing every problem. */
export function loadStackConfig(config: pulumi.Config): StackConfig {
  const problems: string[] = [];
  const key = (name: string) => `localstore:${name}`;
  const text = (name: string, fallback: string | undefined, pattern?: RegExp, hint = ''): string => {
    const value = config.get(name) ?? fallback;
    if (value === undefined || value === '') {
      problems.push(`${key(name)}: required${hint ? ` (${hint})` : ''}`);
      return '';
    }
    if (pattern && !pattern.test(value)) problems.push(`${key(name)}: "${value}" is not valid${hint ? ` (${hint})` : ''}`);
    return value;
  };
  const count = (name: string, fallback: number, min: number, max: number): number => {
    const raw = config.get(name);
    const value = raw === undefined ? fallback : Number(raw);
    if (!Number.isInteger(value) || value < min || value > max)
      problems.push(`${key(name)}: must be a whole number from ${min} to ${max}, got ${raw}`);
    return value;
  };
  const secret = (name: string, pattern?: RegExp, hint = ''): pulumi.Output<string> => {
    const value = config.getSecret(name);
    if (value === undefined) {
      problems.push(`${key(name)}: required secret (pulumi config set --secret ${key(name)} …)`);
      return undefined as never;
    }
    if (pattern)
      value.apply((v) =>
        pattern.test(v) ? v : Promise.reject(new StackConfigError([`${key(name)}: not valid${hint ? ` (${hint})` : ''}`])),
      );
    return value;
  };

  const domain = text('domain', undefined, DNS_NAME, 'a DNS name such as localstore.vn');
  const routingKind = text('routing', 'gateway', /^(gateway|ingress)$/, 'gateway or ingress');
  const routing: StackConfig['routing'] =
    routingKind === 'ingress'
      ? {
          kind: 'ingress',
          className: text('ingressClass', 'nginx', DNS_LABEL),
          tlsSecretName: text('tlsSecretName', undefined, DNS_LABEL, 'the wildcard certificate’s Secret'),
        }
      : {
          kind: 'gateway',
          gatewayName: text('gatewayName', undefined, DNS_LABEL, 'the Gateway the HTTPRoute attaches to'),
          gatewayNamespace: text('gatewayNamespace', 'gateway-system', DNS_LABEL),
        };
  const smsProvider = text('smsProvider', 'viettel', /^(viettel|twilio|log)$/, 'viettel, twilio or log') as StackConfig['smsProvider'];
  const natsReplicas = count('natsReplicas', 3, 1, 3);
  if (natsReplicas === 2) problems.push(`${key('natsReplicas')}: 1 (one server) or 3 (a cluster), not 2`);
  const stack: StackConfig = {
    domain,
    namespace: text('namespace', 'localstore-system', DNS_LABEL),
    imageRegistry: text('imageRegistry', 'ghcr.io/localstore', /^[a-z0-9][a-z0-9.:/_-]*$/),
    version: text('version', '0.1.0', /^[A-Za-z0-9._-]{1,128}$/),
    controlPlaneReplicas: count('controlPlaneReplicas', 2, 1, 50),
    operatorReplicas: count('operatorReplicas', 2, 1, 5),
    pooledCellReplicas: count('pooledCellReplicas', 2, 1, 100),
    pooledCellMaxTenants: count('pooledCellMaxTenants', 500, 1, 100_000),
    routing,
    smsProvider,
    natsUrl: text('natsUrl', 'nats://nats.nats.svc.cluster.local:4222', /^nats:\/\//),
    natsReplicas: natsReplicas as 1 | 3,
    ...(config.get('prometheusRelease') ? { prometheusRelease: text('prometheusRelease', undefined, DNS_LABEL) } : {}),
    secrets: {
      postgresAppUrl: secret('postgresAppUrl', POSTGRES_URL, 'postgres://'),
      postgresOwnerUrl: secret('postgresOwnerUrl', POSTGRES_URL, 'postgres://'),
      postgresControlUrl: secret('postgresControlUrl', POSTGRES_URL, 'postgres://'),
      redisUrl: secret('redisUrl', /^rediss?:\/\//, 'redis:// or rediss://'),
      paymentCredentialsKey: secret('paymentCredentialsKey', /^[A-Za-z0-9+/]{43}=$/, '32 bytes, base64'),
      otpPepper: secret('otpPepper', /^.{32,}$/, 'at least 32 characters, e.g. openssl rand -hex 32'),
      sms: Object.fromEntries(
        SMS_KEYS[smsProvider in SMS_KEYS ? smsProvider : 'log'].map((name) => [
          name,
          secret(name.toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())),
        ]),
      ),
    },
  };
  if (problems.length > 0) throw new StackConfigError(problems);
  return stack;
}
