import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { EVENTS, EventEnvelope, PaymentEnded, PaymentInitiated, PaymentSucceeded } from '@app/contracts';
import { OnEvent } from '@app/messaging';
import { FineSettlement } from './fine-settlement.service';

@Controller()
export class SettlementEventsController {
  constructor(private readonly settlement: FineSettlement) {}

  @OnEvent('violations', EVENTS.paymentInitiated)
  async onPaymentInitiated(@Payload() event: EventEnvelope<PaymentInitiated>): Promise<void> {
    await this.settlement.markPending(event.payload);
  }

  @OnEvent('violations', EVENTS.paymentSucceeded)
  async onPaymentSucceeded(@Payload() event: EventEnvelope<PaymentSucceeded>): Promise<void> {
    await this.settlement.settleFinesForPayment(event.payload);
  }

  @OnEvent('violations', EVENTS.paymentEnded)
  async onPaymentEnded(@Payload() event: EventEnvelope<PaymentEnded>): Promise<void> {
    await this.settlement.releaseFines(event.payload);
  }
}
