import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { EVENTS, EventEnvelope, VehicleOwnershipTransferred, VehicleRegistered } from '@app/contracts';
import { OnEvents } from '@app/messaging';
import { OwnershipReadModel } from './ownership-read-model.service';

@Controller()
export class OwnershipEventsController {
  constructor(private readonly ownership: OwnershipReadModel) {}

  @OnEvents('violations', EVENTS.vehicleRegistered)
  async onVehiclesRegistered(@Payload() events: EventEnvelope<VehicleRegistered>[]): Promise<void> {
    await this.ownership.recordRegistrations(events);
  }

  @OnEvents('violations', EVENTS.vehicleOwnershipTransferred)
  async onOwnershipTransferred(@Payload() events: EventEnvelope<VehicleOwnershipTransferred>[]): Promise<void> {
    await this.ownership.recordTransfers(events);
  }
}
