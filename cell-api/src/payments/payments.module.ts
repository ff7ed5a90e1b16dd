import { Module } from '@nestjs/common';
import { LiveModule } from '../live/live.module';
import { CellBus } from './cell-bus';
import { PaymentCheckoutService } from './payment-checkout.service';
import { PaymentRecorder } from './payment-recorder.service';
import { PaymentsConsumer } from './payments-consumer';
import { PaymentsRepository } from './payments.repository';
import { PaymentsResolver } from './payments.resolver';

/** Provider payments: checkouts through the control plane, and the payments stream's consumer. */
@Module({
  imports: [LiveModule],
  providers: [CellBus, PaymentsRepository, PaymentRecorder, PaymentsConsumer, PaymentCheckoutService, PaymentsResolver],
  exports: [PaymentsConsumer],
})
export class PaymentsModule {}
