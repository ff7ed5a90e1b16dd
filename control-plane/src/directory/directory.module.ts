import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { type DynamicModule, Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { AccessTokenVerifier } from '@localstore/common';
import type { Request } from 'express';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import type { ControlPlaneConfig } from '../config/control-plane-config';
import { formatControlPlaneError } from '../errors/graphql-errors';
import { AccessTokenIssuer } from '../identity/access-token.issuer';
import { RefreshTokens } from '../identity/refresh-tokens';
import { RefreshTokensRepository } from '../identity/refresh-tokens.repository';
import type { SigningKeyRing } from '../identity/signing-key-ring';
import { CellProvisioner } from './cell-provisioner';
import { directoryContextOf } from './directory-context';
import { DirectoryRepository } from './directory.repository';
import { DirectoryResolver } from './directory.resolver';
import { DirectoryService } from './directory.service';
import { MembersRepository } from './members.repository';
import { MembersResolver } from './members.resolver';
import { MembersService } from './members.service';
import { SignupService } from './signup.service';
import { ClusterTenantPlacement, EmbeddedTenantPlacement } from './tenant-placement';
import { TenantsRepository } from './tenants.repository';

/** The directory's GraphQL API on `app.<domain>/graphql`: tenant picker, signup, plan. */
@Module({})
export class DirectoryModule {
  static forRoot(config: ControlPlaneConfig, logger: Logger, keyRing: SigningKeyRing): DynamicModule {
    const verifier = new AccessTokenVerifier({
      keys: keyRing.verificationKeys,
      issuer: config.tokens.issuer,
      audience: config.tokens.audience,
    });
    return {
      module: DirectoryModule,
      imports: [
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          autoSchemaFile: true,
          sortSchema: true,
          path: '/graphql',
          playground: false,
          includeStacktraceInErrorResponses: false,
          context: ({ req }: { req: Request }) => directoryContextOf(req, verifier),
          formatError: formatControlPlaneError(logger),
        }),
      ],
      providers: [
        DirectoryResolver,
        MembersResolver,
        {
          provide: MembersService,
          inject: [DataSource],
          useFactory: (dataSource: DataSource) =>
            new MembersService(new MembersRepository(dataSource), new DirectoryRepository(dataSource)),
        },
        {
          provide: DirectoryService,
          inject: [DataSource],
          useFactory: (dataSource: DataSource) => {
            const tenants = new TenantsRepository(dataSource);
            const accessTokens = new AccessTokenIssuer(keyRing, config.tokens);
            const placement =
              config.tenancy.mode === 'cluster'
                ? new ClusterTenantPlacement(tenants, config.tenancy, logger)
                : new EmbeddedTenantPlacement(tenants, new CellProvisioner(accessTokens, config.cellTimeoutMs), logger);
            const signups = new SignupService(
              tenants,
              placement,
              accessTokens,
              new RefreshTokens(new RefreshTokensRepository(dataSource), config.tokens.refreshTtlDays),
              logger,
            );
            return new DirectoryService(new DirectoryRepository(dataSource), placement, signups);
          },
        },
      ],
    };
  }
}
