import { Module } from '@nestjs/common';
import { MessagingModule } from '@app/messaging';
import { BankCallbacksController } from './bank-callbacks/bank-callbacks.controller';
import { SettlementService } from './bank-callbacks/settlement.service';
import { BankSimController } from './bank-sim/bank-sim.controller';
import { PaymentExpiryJob } from './expiry/payment-expiry.job';
import { Payments1763800400000 } from './migrations/1763800400000-payments';
import { Reconciliation1763800600000 } from './migrations/1763800600000-reconciliation';
import { ReconciliationController } from './reconciliation/reconciliation.controller';
import { ReconciliationService } from './reconciliation/reconciliation.service';
import { PayableFinesController } from './payable-fines/payable-fines.controller';
import { PaymentResultController } from './payments/payment-result.controller';
import { PaymentsController } from './payments/payments.controller';
import { PaymentsService } from './payments/payments.service';

/**
 * payment-gateway: payments, reservations of fines, bank callbacks, the bank simulator and the
 * expiry job, with read models of payable fines and plate owners fed by events.
 */
export const PAYMENTS_MIGRATIONS = [Payments1763800400000, Reconciliation1763800600000];

@Module({
  imports: [MessagingModule.forService('payment-gateway', { entities: [], migrations: PAYMENTS_MIGRATIONS })],
  controllers: [PaymentsController, PaymentResultController, BankCallbacksController, BankSimController, PayableFinesController, ReconciliationController],
  providers: [PaymentsService, SettlementService, PaymentExpiryJob, ReconciliationService],
})
export class PaymentGatewayModule {}
