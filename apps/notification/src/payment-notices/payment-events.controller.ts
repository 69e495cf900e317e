import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { EVENTS, EventEnvelope, PaymentEnded, PaymentSucceeded } from '@app/contracts';
import { OnEvents } from '@app/messaging';
import { PaymentNoticesService } from './payment-notices.service';

/** payment-gateway's events: a receipt when a payment succeeds, a notice when it fails or expires. */
@Controller()
export class PaymentEventsController {
  constructor(private readonly notices: PaymentNoticesService) {}

  @OnEvents('notification', EVENTS.paymentSucceeded)
  async onPaymentsSucceeded(@Payload() events: EventEnvelope<PaymentSucceeded>[]): Promise<void> {
    await this.notices.sendReceipts(events);
  }

  @OnEvents('notification', EVENTS.paymentEnded)
  async onPaymentsEnded(@Payload() events: EventEnvelope<PaymentEnded>[]): Promise<void> {
    await this.notices.tellUnpaidAgain(events);
  }
}
