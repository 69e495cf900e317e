import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { EVENTS, EventEnvelope, PaymentEnded, PaymentInitiated, PaymentSucceeded } from '@app/contracts';
import { OnEvents } from '@app/messaging';
import { FineSettlement } from './fine-settlement.service';

@Controller()
export class SettlementEventsController {
  constructor(private readonly settlement: FineSettlement) {}

  @OnEvents('violations', EVENTS.paymentInitiated)
  async onPaymentsInitiated(@Payload() events: EventEnvelope<PaymentInitiated>[]): Promise<void> {
    await this.settlement.markPending(events);
  }

  @OnEvents('violations', EVENTS.paymentSucceeded)
  async onPaymentsSucceeded(@Payload() events: EventEnvelope<PaymentSucceeded>[]): Promise<void> {
    await this.settlement.settleFinesForPayments(events);
  }

  @OnEvents('violations', EVENTS.paymentEnded)
  async onPaymentsEnded(@Payload() events: EventEnvelope<PaymentEnded>[]): Promise<void> {
    await this.settlement.releaseFines(events);
  }
}
