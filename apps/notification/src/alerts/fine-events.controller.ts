import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { EVENTS, EventEnvelope, FineCancelled, FineIssued } from '@app/contracts';
import { OnEvents } from '@app/messaging';
import { FineAlertsService } from './fine-alerts.service';

/** violations' fine events: the facts messages quote, and the alerts to plate owners. */
@Controller()
export class FineEventsController {
  constructor(private readonly alerts: FineAlertsService) {}

  @OnEvents('notification', EVENTS.fineIssued)
  async onFinesIssued(@Payload() events: EventEnvelope<FineIssued>[]): Promise<void> {
    await this.alerts.alertNewFines(events);
  }

  @OnEvents('notification', EVENTS.fineCancelled)
  async onFinesCancelled(@Payload() events: EventEnvelope<FineCancelled>[]): Promise<void> {
    await this.alerts.tellCancelledFines(events);
  }
}
