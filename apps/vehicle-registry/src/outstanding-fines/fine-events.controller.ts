import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { EVENTS, EventEnvelope, FineCancelled, FineIssued, FineSettled } from '@app/contracts';
import { OnEvents } from '@app/messaging';
import { OutstandingFines } from './outstanding-fines.service';

@Controller()
export class FineEventsController {
  constructor(private readonly outstanding: OutstandingFines) {}

  @OnEvents('vehicle-registry', EVENTS.fineIssued)
  async onFinesIssued(@Payload() events: EventEnvelope<FineIssued>[]): Promise<void> {
    await this.outstanding.recordIssued(events.map((e) => e.payload));
  }

  @OnEvents('vehicle-registry', EVENTS.fineCancelled)
  async onFinesCancelled(@Payload() events: EventEnvelope<FineCancelled>[]): Promise<void> {
    await this.outstanding.recordCleared(events.map((e) => e.payload));
  }

  @OnEvents('vehicle-registry', EVENTS.fineSettled)
  async onFinesSettled(@Payload() events: EventEnvelope<FineSettled>[]): Promise<void> {
    await this.outstanding.recordCleared(events.map((e) => e.payload));
  }
}
