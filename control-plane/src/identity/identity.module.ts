import { type DynamicModule, Module } from '@nestjs/common';
import { AccessTokenVerifier } from '@localstore/common';
import type { Logger } from 'pino';
import type { Counter } from 'prom-client';
import { DataSource } from 'typeorm';
import type { ControlPlaneConfig } from '../config/control-plane-config';
import { DirectoryRepository } from '../directory/directory.repository';
import type { EphemeralStore } from '../ephemeral/ephemeral-store';
import { AccessTokenIssuer } from './access-token.issuer';
import { AuthController, JwksController } from './auth.controller';
import { AuthService } from './auth.service';
import { OtpService } from './otp.service';
import { RefreshTokens } from './refresh-tokens';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import { SigningKeyRing } from './signing-key-ring';
import { CountedSmsSender } from './sms/counted-sms.sender';
import { LogSmsSender } from './sms/log-sms.sender';
import type { SmsSender } from './sms/sms-sender';
import { TwilioSmsSender } from './sms/twilio-sms.sender';
import { ViettelSmsSender } from './sms/viettel-sms.sender';

export const EPHEMERAL_STORE = Symbol('EPHEMERAL_STORE');

function smsSenderFor(config: ControlPlaneConfig, logger: Logger, sends?: Counter<'provider' | 'outcome'>): SmsSender {
  const sender = gatewayFor(config, logger);
  return sends ? new CountedSmsSender(sender, config.sms.provider, sends) : sender;
}

function gatewayFor(config: ControlPlaneConfig, logger: Logger): SmsSender {
  switch (config.sms.provider) {
    case 'viettel':
      return new ViettelSmsSender(config.sms);
    case 'twilio':
      return new TwilioSmsSender(config.sms);
    default:
      return new LogSmsSender(logger);
  }
}

/** Phone sign-in, tokens and the JWKS. Services are built here from the validated config. */
@Module({})
export class IdentityModule {
  static forRoot(
    config: ControlPlaneConfig,
    logger: Logger,
    store: EphemeralStore,
    keyRing: SigningKeyRing,
    smsSends?: Counter<'provider' | 'outcome'>,
  ): DynamicModule {
    return {
      module: IdentityModule,
      controllers: [AuthController, JwksController],
      providers: [
        { provide: SigningKeyRing, useValue: keyRing },
        {
          provide: AuthService,
          inject: [DataSource],
          useFactory: (dataSource: DataSource) => {
            return new AuthService(
              new OtpService(store, smsSenderFor(config, logger, smsSends), config.otp, logger),
              new DirectoryRepository(dataSource),
              new AccessTokenIssuer(keyRing, config.tokens),
              new RefreshTokens(new RefreshTokensRepository(dataSource), config.tokens.refreshTtlDays),
              new AccessTokenVerifier({ keys: keyRing.verificationKeys, issuer: config.tokens.issuer, audience: config.tokens.audience }),
              logger,
            );
          },
        },
      ],
    };
  }
}
