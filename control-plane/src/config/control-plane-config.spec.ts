import { ConfigError, EMBEDDED_OTP_PEPPER, loadControlPlaneConfig } from './control-plane-config';

const PEPPER = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';

describe('control plane configuration', () => {
  it('runs on embedded defaults: port 8080, localhost, SMS to the log, in-process store', () => {
    const config = loadControlPlaneConfig({});
    expect(config).toMatchObject({
      port: 8080,
      domain: 'localhost',
      sms: { provider: 'log' },
      pooledCell: { endpoint: 'http://127.0.0.1:3001' },
    });
    expect(config.redisUrl).toBeUndefined();
  });

  it('refuses wrong values and missing gateway credentials, naming each', () => {
    try {
      loadControlPlaneConfig({ CONTROL_PLANE_PORT: 'http', REDIS_URL: 'http://x', SMS_PROVIDER: 'twilio', OTP_MAX_ATTEMPTS: '0' });
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      for (const name of [
        'CONTROL_PLANE_PORT',
        'REDIS_URL',
        'SMS_TWILIO_ACCOUNT_SID',
        'SMS_TWILIO_AUTH_TOKEN',
        'SMS_TWILIO_FROM',
        'OTP_MAX_ATTEMPTS',
      ]) {
        expect((error as Error).message).toContain(name);
      }
    }
  });

  it('places tenants through the operator in cluster mode, with the labels asked for', () => {
    expect(loadControlPlaneConfig({}).tenancy).toEqual({ mode: 'embedded' });
    expect(loadControlPlaneConfig({ TENANCY_MODE: 'cluster', OTP_PEPPER: PEPPER, TENANT_LABELS: 'localstore.vn/shard=a' }).tenancy).toEqual(
      { mode: 'cluster', labels: { 'localstore.vn/shard': 'a' }, timeoutMs: 30_000 },
    );
    for (const [name, value] of [
      ['TENANCY_MODE', 'k8s'],
      ['TENANT_LABELS', 'a=b=c'],
      ['PLACEMENT_TIMEOUT_MS', '5'],
    ]) {
      expect(() => loadControlPlaneConfig({ TENANCY_MODE: 'cluster', OTP_PEPPER: PEPPER, [name!]: value })).toThrow(name);
    }
  });

  it('hashes codes with one pepper in every process: the fixed embedded one, or OTP_PEPPER', () => {
    expect(loadControlPlaneConfig({}).otp.pepper).toEqual(Buffer.from(EMBEDDED_OTP_PEPPER));
    expect(loadControlPlaneConfig({}).otp.pepper).toEqual(loadControlPlaneConfig({}).otp.pepper);
    expect(loadControlPlaneConfig({ TENANCY_MODE: 'cluster', OTP_PEPPER: PEPPER }).otp.pepper).toEqual(Buffer.from(PEPPER));
  });

  it('refuses cluster mode without OTP_PEPPER, since replicas would each invent one', () => {
    expect(() => loadControlPlaneConfig({ TENANCY_MODE: 'cluster' })).toThrow('OTP_PEPPER is required when TENANCY_MODE=cluster');
    expect(() => loadControlPlaneConfig({ TENANCY_MODE: 'cluster', OTP_PEPPER: EMBEDDED_OTP_PEPPER })).toThrow(
      'OTP_PEPPER must not be the embedded default',
    );
  });

  it('refuses a short OTP_PEPPER, naming it without printing it', () => {
    for (const env of [{ OTP_PEPPER: 'short-pepper' }, { TENANCY_MODE: 'cluster', OTP_PEPPER: 'short-pepper' }]) {
      expect(() => loadControlPlaneConfig(env)).toThrow(ConfigError);
      expect(() => loadControlPlaneConfig(env)).toThrow('OTP_PEPPER must be at least 32 characters');
      expect(() => loadControlPlaneConfig(env)).not.toThrow('short-pepper');
    }
  });
});
