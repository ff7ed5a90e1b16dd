import { type DynamicModule, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DirectoryRepository } from '../directory/directory.repository';
import type { PaymentAccountsRepository } from './payment-accounts.repository';
import { PaymentAccountsService } from './payment-accounts.service';
import { PaymentsResolver } from './payments.resolver';

/** Payment providers on `app.<domain>/graphql`; the webhook ingress itself sits in the front door. */
@Module({})
export class PaymentsModule {
  static forRoot(accounts: PaymentAccountsRepository): DynamicModule {
    return {
      module: PaymentsModule,
      providers: [
        PaymentsResolver,
        {
          provide: PaymentAccountsService,
          inject: [DataSource],
          useFactory: (dataSource: DataSource) => new PaymentAccountsService(accounts, new DirectoryRepository(dataSource)),
        },
      ],
    };
  }
}
