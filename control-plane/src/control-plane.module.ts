import type { ControlPlaneMetrics } from './observability/control-plane-metrics';
import { Controller, type DynamicModule, Get, Module, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import type { ControlPlaneConfig } from './config/control-plane-config';
import type { EphemeralStore } from './ephemeral/ephemeral-store';
import { DirectoryModule } from './directory/directory.module';
import { IdentityModule } from './identity/identity.module';
import type { SigningKeyRing } from './identity/signing-key-ring';
import type { PaymentAccountsRepository } from './payments/payment-accounts.repository';
import { PaymentsModule } from './payments/payments.module';

@Controller()
class HealthController {
  constructor(private readonly dataSource: DataSource) {}

  @Get('healthz')
  healthz(): { status: string } {
    return { status: 'ok' };
  }

  /** Ready when the directory answers; the router itself keeps serving without it. */
  @Get('readyz')
  async readyz(@Res() res: Response): Promise<void> {
    try {
      await this.dataSource.query('SELECT 1');
      res.status(200).json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'directory unreachable' });
    }
  }
}

@Module({})
export class ControlPlaneModule {
  static forRoot(
    config: ControlPlaneConfig,
    logger: Logger,
    dataSource: DataSource,
    store: EphemeralStore,
    keyRing: SigningKeyRing,
    paymentAccounts: PaymentAccountsRepository,
    metrics?: ControlPlaneMetrics,
  ): DynamicModule {
    return {
      module: ControlPlaneModule,
      global: true,
      imports: [
        IdentityModule.forRoot(config, logger, store, keyRing, metrics?.smsSends),
        DirectoryModule.forRoot(config, logger, keyRing),
        PaymentsModule.forRoot(paymentAccounts),
      ],
      controllers: [HealthController],
      providers: [{ provide: DataSource, useValue: dataSource }],
      exports: [DataSource],
    };
  }
}
