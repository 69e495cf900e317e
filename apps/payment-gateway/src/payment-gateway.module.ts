import { Module } from '@nestjs/common';
import { MessagingModule } from '@app/messaging';

/**
 * payment-gateway: payments, reservations of fines, bank callbacks and adapters. This module holds
 * its database and messaging; the payment features land with the payments issue.
 */
@Module({
  imports: [MessagingModule.forService('payment-gateway', { entities: [], migrations: [] })],
})
export class PaymentGatewayModule {}
