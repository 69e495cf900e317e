import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { EVENTS, EventEnvelope, OwnerContactUpdated, OwnerRegistered, VehicleOwnershipTransferred, VehicleRegistered } from '@app/contracts';
import { OnEvents } from '@app/messaging';
import { RecipientsService } from './recipients.service';

/** The registry's events keep notification's read models of contacts and plate owners. */
@Controller()
export class RecipientEventsController {
  constructor(private readonly recipients: RecipientsService) {}

  @OnEvents('notification', EVENTS.ownerRegistered)
  async onOwnersRegistered(@Payload() events: EventEnvelope<OwnerRegistered>[]): Promise<void> {
    await this.recipients.recordOwners(events.map((e) => e.payload));
  }

  @OnEvents('notification', EVENTS.ownerContactUpdated)
  async onContactsUpdated(@Payload() events: EventEnvelope<OwnerContactUpdated>[]): Promise<void> {
    await this.recipients.updateContacts(events.map((e) => e.payload));
  }

  @OnEvents('notification', EVENTS.vehicleRegistered)
  async onVehiclesRegistered(@Payload() events: EventEnvelope<VehicleRegistered>[]): Promise<void> {
    await this.recipients.recordPlateOwners(
      events.map((e) => ({ plateType: e.payload.plateType, plateNumber: e.payload.plateNumber, owner: e.payload.owner })),
    );
  }

  @OnEvents('notification', EVENTS.vehicleOwnershipTransferred)
  async onOwnershipTransferred(@Payload() events: EventEnvelope<VehicleOwnershipTransferred>[]): Promise<void> {
    await this.recipients.recordPlateOwners(
      events.map((e) => ({ plateType: e.payload.plateType, plateNumber: e.payload.plateNumber, owner: e.payload.newOwner })),
    );
  }
}
