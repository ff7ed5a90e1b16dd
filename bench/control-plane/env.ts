// How the bench runs the compiled control plane: on loopback, on a scratch directory schema,
// with SMS codes written to its log and the rate limits below. The web bench runs it so too.

/**
 * Rate limits the control plane runs with here. Per phone they are the defaults, and the
 * bench checks that they hold; per client address the default (30 an hour) would stop a
 * throughput run after 30 codes, since every request comes from 127.0.0.1: raised.
 */
export const BENCH_OTP_LIMITS = { perPhonePerMinute: 1, perPhonePerHour: 5, perIpPerHour: 100_000 };

/** The control plane's environment: loopback, the scratch directory, the log SMS sender. */
export function controlPlaneEnv(settings: { directorySchema: string }, cpPort: number, cellPort: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CONTROL_PLANE_PORT: String(cpPort),
    CONTROL_PLANE_HOST: '127.0.0.1',
    PLATFORM_DOMAIN: 'localhost',
    POOLED_CELL_URL: `http://127.0.0.1:${cellPort}`,
    DIRECTORY_SCHEMA: settings.directorySchema,
    // Warn is the SMS sender's level: the codes are read from these lines.
    LOG_LEVEL: 'warn',
    SMS_PROVIDER: 'log',
    OTP_PER_PHONE_PER_MINUTE: String(BENCH_OTP_LIMITS.perPhonePerMinute),
    OTP_PER_PHONE_PER_HOUR: String(BENCH_OTP_LIMITS.perPhonePerHour),
    OTP_PER_IP_PER_HOUR: String(BENCH_OTP_LIMITS.perIpPerHour),
  };
  // The in-process store: the bench's counters never land in a Redis someone else uses.
  delete env.REDIS_URL;
  return env;
}
