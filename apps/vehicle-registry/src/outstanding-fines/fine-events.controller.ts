import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { EVENTS, EventEnvelope, FineCancelled, FineIssued, FineSettled } from '@app/contracts';
import { OnEvent } from '@app/messaging';
import { OutstandingFines } from './outstanding-fines.service';

@Controller()
export class FineEventsController {
  constructor(private readonly outstanding: OutstandingFines) {}

  @OnEvent('vehicle-registry', EVENTS.fineIssued)
  async onFineIssued(@Payload() event: EventEnvelope<FineIssued>): Promise<void> {
    await this.outstanding.recordIssued(event.payload);
  }

  @OnEvent('vehicle-registry', EVENTS.fineCancelled)
  async onFineCancelled(@Payload() event: EventEnvelope<FineCancelled>): Promise<void> {
    await this.outstanding.recordCleared(event.payload);
  }

  @OnEvent('vehicle-registry', EVENTS.fineSettled)
  async onFineSettled(@Payload() event: EventEnvelope<FineSettled>): Promise<void> {
    await this.outstanding.recordCleared(event.payload);
  }
}
