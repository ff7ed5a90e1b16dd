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
});
