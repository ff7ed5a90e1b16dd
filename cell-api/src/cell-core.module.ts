import { type DynamicModule, Global, Module } from '@nestjs/common';
import { AccessTokenVerifier } from '@localstore/common';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { CACHE_STORE, CELL_CONFIG, ROOT_LOGGER } from './config/cell-config.token';
import Redis from 'ioredis';
import { type CacheStore, MemoryCacheStore, RedisCacheStore } from './cache/cache-store';
import type { CellConfig } from './config/cell-config';
import { createCellDataSource } from '@localstore/cell-db';
import { CellMetrics } from './observability/cell-metrics';
import { RequestAuthenticator } from './auth/request-authenticator';
import { EventBus } from './events/event-bus';
import { UnitOfWork } from './events/unit-of-work';
import { TenantDirectory } from './tenancy/tenant-directory';

/**
 * Process-wide pieces every feature may use: the validated config, the root logger, the
 * application data source (the RLS-bound role), the token verifier and the rule that uses it,
 * the metrics, and the event bus with the unit of work that publishes on it after commit.
 */
@Global()
@Module({})
export class CellCoreModule {
  static forRoot(config: CellConfig, logger: Logger): DynamicModule {
    return {
      module: CellCoreModule,
      providers: [
        { provide: CELL_CONFIG, useValue: config },
        { provide: ROOT_LOGGER, useValue: logger },
        {
          provide: DataSource,
          useFactory: async () => {
            const dataSource = createCellDataSource(config, 'app');
            await dataSource.initialize();
            return dataSource;
          },
        },
        {
          provide: CellMetrics,
          inject: [DataSource],
          useFactory: (dataSource: DataSource) =>
            new CellMetrics(config.cellName, () => (dataSource.driver as unknown as { master?: Pool }).master),
        },
        { provide: AccessTokenVerifier, useFactory: () => new AccessTokenVerifier(config.auth) },
        {
          provide: CACHE_STORE,
          useFactory: (): CacheStore => {
            if (!config.redis) return new MemoryCacheStore();
            const redis = new Redis(config.redis.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
            redis.on('error', (error: Error) => logger.warn({ err: error }, 'cache redis connection error'));
            return new RedisCacheStore(redis, `${config.redis.keyPrefix}cache:`);
          },
        },
        TenantDirectory,
        RequestAuthenticator,
        EventBus,
        UnitOfWork,
      ],
      exports: [
        CELL_CONFIG,
        ROOT_LOGGER,
        DataSource,
        CellMetrics,
        AccessTokenVerifier,
        TenantDirectory,
        RequestAuthenticator,
        EventBus,
        UnitOfWork,
        CACHE_STORE,
      ],
    };
  }
}
