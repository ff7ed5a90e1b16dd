import { ConfigError, loadControlPlaneConfig } from './control-plane-config';

describe('control plane configuration', () => {
  it('runs on embedded defaults: port 8080, localhost, SMS to the log, in-process store', () => {
    const config = loadControlPlaneConfig({});
    expect(config).toMatchObject({ port: 8080, domain: 'localhost', sms: { provider: 'log' }, pooledCell: { endpoint: 'http://127.0.0.1:3001' } });
    expect(config.redisUrl).toBeUndefined();
  });

  it('refuses wrong values and missing gateway credentials, naming each', () => {
    try {
      loadControlPlaneConfig({ CONTROL_PLANE_PORT: 'http', REDIS_URL: 'http://x', SMS_PROVIDER: 'twilio', OTP_MAX_ATTEMPTS: '0' });
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      for (const name of ['CONTROL_PLANE_PORT', 'REDIS_URL', 'SMS_TWILIO_ACCOUNT_SID', 'SMS_TWILIO_AUTH_TOKEN', 'SMS_TWILIO_FROM', 'OTP_MAX_ATTEMPTS']) {
        expect((error as Error).message).toContain(name);
      }
    }
  });

  it('places tenants through the operator in cluster mode, with the labels asked for', () => {
    expect(loadControlPlaneConfig({}).tenancy).toEqual({ mode: 'embedded' });
    expect(loadControlPlaneConfig({ TENANCY_MODE: 'cluster', TENANT_LABELS: 'localstore.vn/shard=a' }).tenancy).toEqual({ mode: 'cluster', labels: { 'localstore.vn/shard': 'a' }, timeoutMs: 30_000 });
    for (const [name, value] of [['TENANCY_MODE', 'k8s'], ['TENANT_LABELS', 'a=b=c'], ['PLACEMENT_TIMEOUT_MS', '5']]) {
      expect(() => loadControlPlaneConfig({ TENANCY_MODE: 'cluster', [name!]: value })).toThrow(name);
    }
  });
});
