import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { EVENTS, EventEnvelope, VehicleOwnershipTransferred, VehicleRegistered } from '@app/contracts';
import { OnEvent } from '@app/messaging';
import { OwnershipReadModel } from './ownership-read-model.service';

@Controller()
export class OwnershipEventsController {
  constructor(private readonly ownership: OwnershipReadModel) {}

  @OnEvent('violations', EVENTS.vehicleRegistered)
  async onVehicleRegistered(@Payload() event: EventEnvelope<VehicleRegistered>): Promise<void> {
    await this.ownership.recordRegistration(event);
  }

  @OnEvent('violations', EVENTS.vehicleOwnershipTransferred)
  async onOwnershipTransferred(@Payload() event: EventEnvelope<VehicleOwnershipTransferred>): Promise<void> {
    await this.ownership.recordTransfer(event);
  }
}
