import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { GraphQLModule, type GraphQLWsSubscriptionsConfig } from '@nestjs/graphql';
import type { Request } from 'express';
import type { Logger } from 'pino';
import { TenantAccessGuard } from './auth/tenant-access.guard';
import { CellCoreModule } from './cell-core.module';
import { CellExceptionFilter } from './errors/cell-exception.filter';
import type { CellConfig } from './config/cell-config';
import { DashboardModule } from './dashboard/dashboard.module';
import { cellApolloPlugin } from './graphql/cell-apollo.plugin';
import { formatCellError } from './graphql/format-error';
import { InputValidationPipe } from './graphql/input-validation.pipe';
import { depthLimitRule } from './graphql/query-limits';
import { RequestContextFactory } from './graphql/request-context.factory';
import { graphqlWsOptions } from './graphql/subscriptions';
import { DateScalar, MoneyScalar } from './graphql/scalars';
import { HealthController } from './health/health.controller';
import { ProvisioningController } from './tenancy/provisioning.controller';
import { LocationsModule } from './locations/locations.module';
import { MenuModule } from './menu/menu.module';
import { NotificationsModule } from './notifications/notifications.module';
import { CellMetrics } from './observability/cell-metrics';
import { SalesModule } from './sales/sales.module';
import { PaymentsModule } from './payments/payments.module';
import { InsightsModule } from './insights/insights.module';

@Module({})
class RequestContextModule {
  static register(): DynamicModule {
    return { module: RequestContextModule, providers: [RequestContextFactory], exports: [RequestContextFactory] };
  }
}

@Module({})
export class AppModule {
  static forRoot(config: CellConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CellCoreModule.forRoot(config, logger),
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          imports: [RequestContextModule.register()],
          inject: [RequestContextFactory, CellMetrics],
          useFactory: (contexts: RequestContextFactory, metrics: CellMetrics): ApolloDriverConfig => ({
            autoSchemaFile: true,
            sortSchema: true,
            path: '/graphql',
            resolvers: { Money: MoneyScalar, Date: DateScalar },
            buildSchemaOptions: { dateScalarMode: 'isoDate' },
            playground: false,
            introspection: config.graphql.introspection,
            includeStacktraceInErrorResponses: false,
            validationRules: [depthLimitRule(config.graphql.maxDepth)],
            context: ({ req }: { req: Request }) => contexts.create(req),
            formatError: formatCellError,
            plugins: [cellApolloPlugin(metrics, config.graphql.maxComplexity)],
            // Nest types only some graphql-ws hooks; it passes all of them on to graphql-ws.
            subscriptions: {
              'graphql-ws': graphqlWsOptions(contexts, config.graphql.maxDepth, logger) as unknown as GraphQLWsSubscriptionsConfig,
            },
          }),
        }),
        LocationsModule,
        MenuModule,
        SalesModule,
        DashboardModule,
        PaymentsModule,
        InsightsModule,
        NotificationsModule,
      ],
      controllers: [HealthController, ProvisioningController],
      providers: [
        { provide: APP_GUARD, useClass: TenantAccessGuard },
        { provide: APP_PIPE, useClass: InputValidationPipe },
        { provide: APP_FILTER, useClass: CellExceptionFilter },
      ],
    };
  }
}
