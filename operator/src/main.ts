import pino from 'pino';
import { loadOperatorConfig, OperatorConfigError } from './config/operator-config';
import { Operator } from './operator';

/** The operator process: `node operator/dist/src/main.js` (in-cluster or with KUBECONFIG). */
async function main(): Promise<void> {
  let config;
  try {
    config = loadOperatorConfig();
  } catch (error) {
    if (error instanceof OperatorConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = pino({ level: config.logLevel, base: { component: 'operator', identity: config.identity } });
  const operator = new Operator(config, logger);
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'stopping; handing the lease over');
    operator.stop({ releaseLease: true }).then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'unclean stop');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  await operator.start();
  logger.info({ namespace: config.namespace }, 'operator started; campaigning for the lease');
}

main().catch((error: unknown) => {
  process.stderr.write(`operator failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
