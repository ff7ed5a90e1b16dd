import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger } from 'pino';
import { AppModule } from './app.module';
import { type CellConfig, ConfigError, loadCellConfig } from './config/cell-config';
import { LiveGateway } from './live/live-gateway';
import { createRootLogger, NestPinoLogger } from './observability/logger';

export interface RunningCell {
  app: INestApplication;
  url: string;
  logger: Logger;
}

/** Starts a cell API on the given configuration; tests and the CLI both come through here. */
export async function startCell(config: CellConfig, logger: Logger = createRootLogger(config)): Promise<RunningCell> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, logger), {
    logger: new NestPinoLogger(logger),
    bodyParser: false,
  });
  // GraphQL bodies are small; a 1 MiB cap stops a hostile client from exhausting memory.
  app.useBodyParser('json', { limit: '1mb' });
  app.disable('x-powered-by');
  app.enableShutdownHooks();
  app.get(LiveGateway).attach(app.getHttpServer());
  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://${config.host}:${address.port}`;
  logger.info({ url, schema: config.database.schema }, 'cell API listening');
  return { app, url, logger };
}

if (require.main === module) {
  let config: CellConfig;
  try {
    config = loadCellConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  startCell(config).catch((error: unknown) => {
    process.stderr.write(`cell API failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
