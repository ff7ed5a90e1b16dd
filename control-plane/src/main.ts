import 'reflect-metadata';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import pino, { type Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { ConfigError, type ControlPlaneConfig, loadControlPlaneConfig } from './config/control-plane-config';
import { ControlPlaneModule } from './control-plane.module';
import { createDirectoryDataSource } from './database/data-source';
import { CellsRepository } from './directory/cells.repository';
import type { EphemeralStore } from './ephemeral/ephemeral-store';
import { MemoryEphemeralStore } from './ephemeral/memory-ephemeral-store';
import { RedisEphemeralStore } from './ephemeral/redis-ephemeral-store';
import { ProblemFilter } from './errors/problem.filter';
import { SigningKeyRing } from './identity/signing-key-ring';
import { SigningKeysRepository } from './identity/signing-keys.repository';
import { CellProxy } from './router/cell-proxy';
import { createFrontDoor } from './router/front-door';
import { RouteTable } from './router/route-table';
import { serveCheckouts } from './payments/checkout-responder';
import { PaymentAccountsRepository } from './payments/payment-accounts.repository';
import { PaymentCheckoutService } from './payments/payment-checkout.service';
import { PaymentEventPublisher } from './payments/payment-event-publisher';
import { PaymentIntentsRepository } from './payments/payment-intents.repository';
import { PaymentWebhookIngress } from './payments/payment-webhook-ingress';
import { SecretSealer } from './payments/secret-sealer';
import { PaymentReconciler } from './payments/payment-reconciler';
import { ReconciliationJobs } from './payments/reconciliation-jobs';
import type { Pool } from 'pg';
import { ControlPlaneMetrics } from './observability/control-plane-metrics';
import { WebAppFiles } from './web/web-app-files';

export interface RunningControlPlane {
  url: string;
  port: number;
  server: Server;
  routes: RouteTable;
  keyRing: SigningKeyRing;
  dataSource: DataSource;
  paymentAccounts: PaymentAccountsRepository;
  /** Absent without NATS (nothing could be forwarded). */
  reconciliation: ReconciliationJobs | null;
  logger: Logger;
  stop(): Promise<void>;
}

function rootLogger(config: ControlPlaneConfig): Logger {
  return pino({
    level: config.logLevel,
    base: { service: 'control-plane' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
}

/** Starts the control plane: the platform app on `app.<domain>` and the router for `<slug>.<domain>`. */
export async function startControlPlane(config: ControlPlaneConfig, logger: Logger = rootLogger(config)): Promise<RunningControlPlane> {
  const dataSource = createDirectoryDataSource(config, 'app');
  await dataSource.initialize();
  // Embedded runs register their pooled cell; in a cluster the operator keeps this row.
  await new CellsRepository(dataSource).upsertPooled(config.pooledCell);
  const store: EphemeralStore = config.redisUrl
    ? new RedisEphemeralStore(config.redisUrl, config.redisKeyPrefix)
    : new MemoryEphemeralStore();
  const keyRing = new SigningKeyRing(new SigningKeysRepository(dataSource), config.tokens.keyRotationDays, config.tokens.accessTtlSeconds);
  await keyRing.refresh();
  const keyTimer = setInterval(
    () => keyRing.refresh().catch((error: unknown) => logger.error({ err: error }, 'key refresh failed')),
    5 * 60_000,
  );
  keyTimer.unref();

  const metrics = new ControlPlaneMetrics(() => (dataSource.driver as unknown as { master?: Pool }).master);
  const { registry } = metrics;
  const paymentAccounts = new PaymentAccountsRepository(
    dataSource,
    SecretSealer.fromConfig({ key: config.payments.credentialsKey, keyFile: config.payments.credentialsKeyFile }),
  );
  const paymentIntents = new PaymentIntentsRepository(dataSource);
  const { payments } = config;
  const publisher = payments.natsUrl
    ? await PaymentEventPublisher.connect(
        {
          url: payments.natsUrl,
          namespace: payments.natsNamespace,
          replicas: payments.streamReplicas,
          timeoutMs: payments.publishTimeoutMs,
          name: 'control-plane',
        },
        logger,
        metrics.paymentPublish,
      )
    : null;
  if (!publisher) logger.warn('NATS_URL is not set: payment webhooks are answered "call again later" until it is');
  const checkouts = publisher
    ? serveCheckouts(
        publisher.connection,
        publisher.bus.checkoutSubject,
        new PaymentCheckoutService(paymentAccounts, paymentIntents, payments, logger),
        logger,
      )
    : null;
  const ingress = new PaymentWebhookIngress({ accounts: paymentAccounts, intents: paymentIntents, publisher, logger, registry });
  const reconciliation = publisher
    ? new ReconciliationJobs(
        new PaymentReconciler(paymentAccounts, paymentIntents, publisher, payments, payments.reconcileAfterSeconds, logger),
        {
          ...(config.redisUrl ? { redisUrl: config.redisUrl } : {}),
          keyPrefix: config.redisKeyPrefix,
          intervalSeconds: payments.reconcileIntervalSeconds,
          attempts: payments.reconcileAttempts,
          backoffMs: payments.reconcileBackoffMs,
        },
        logger,
        registry,
      )
    : null;
  await reconciliation?.start();

  const app: INestApplication = await NestFactory.create<NestExpressApplication>(
    ControlPlaneModule.forRoot(config, logger, dataSource, store, keyRing, paymentAccounts, metrics),
    { logger: ['error', 'warn'], bodyParser: false },
  );
  (app as NestExpressApplication).useBodyParser('json', { limit: '64kb' });
  (app as NestExpressApplication).disable('x-powered-by');
  app.useGlobalFilters(new ProblemFilter(logger));
  await app.init();

  const routes = new RouteTable({ url: config.directory.appUrl, schema: config.directory.schema }, logger);
  await routes.start();
  const proxy = new CellProxy(config.cellTimeoutMs, logger);
  const web = await WebAppFiles.load(config.webAppDir, config.domain);
  if (!web) logger.warn({ dir: config.webAppDir }, 'no web app build there (make build makes it): serving the APIs only');
  const server = createFrontDoor({
    domain: config.domain,
    platform: app.getHttpAdapter().getInstance(),
    routes,
    proxy,
    ingress,
    metrics,
    web,
  });
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const { port } = server.address() as AddressInfo;
  logger.info({ port, domain: config.domain, routes: routes.size, webFiles: web?.size ?? 0 }, 'control plane listening');
  return {
    url: `http://${config.host}:${port}`,
    port,
    server,
    routes,
    keyRing,
    dataSource,
    paymentAccounts,
    reconciliation,
    logger,
    async stop() {
      clearInterval(keyTimer);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      proxy.close();
      await closed;
      await routes.stop();
      checkouts?.unsubscribe();
      await reconciliation?.stop();
      await publisher?.close();
      await app.close();
      await store.close();
      await dataSource.destroy();
    },
  };
}

if (require.main === module) {
  let config: ControlPlaneConfig;
  try {
    config = loadControlPlaneConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  startControlPlane(config).catch((error: unknown) => {
    process.stderr.write(`control plane failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
