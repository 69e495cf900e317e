import { Injectable } from '@nestjs/common';
import { EventEnvelope, VehicleOwnershipTransferred, VehicleRegistered } from '@app/contracts';
import { InjectTransactionHost, TransactionHost } from '@app/persistence';
import { PlateOwnership, PlateOwnershipChange } from './plate-ownership.entity';

/**
 * Keeps violations' own copy of who owns each plate, so an inquiry by civil ID or company is one
 * local query. Runs inside the consumer's transaction, with the event's inbox row.
 */
@Injectable()
export class OwnershipReadModel {
  constructor(@InjectTransactionHost('violations') private readonly tx: TransactionHost) {}

  async recordRegistration(event: EventEnvelope<VehicleRegistered>): Promise<void> {
    const { plateType, plateNumber, owner, vehicle } = event.payload;
    const at = new Date(event.occurredAt);
    await this.tx.manager.upsert(
      PlateOwnership,
      { plateType, plateNumber, ownerType: owner.type, ownerId: owner.id, ...vehicle, ownedSince: at, lastEventId: event.eventId },
      ['plateType', 'plateNumber'],
    );
    await this.tx.manager.insert(PlateOwnershipChange, {
      eventId: event.eventId,
      plateType,
      plateNumber,
      ownerType: owner.type,
      ownerId: owner.id,
      effectiveAt: at,
    });
  }

  async recordTransfer(event: EventEnvelope<VehicleOwnershipTransferred>): Promise<void> {
    const { plateType, plateNumber, newOwner, transferredAt } = event.payload;
    const at = new Date(transferredAt);
    const result = await this.tx.manager.update(
      PlateOwnership,
      { plateType, plateNumber },
      { ownerType: newOwner.type, ownerId: newOwner.id, ownedSince: at, lastEventId: event.eventId },
    );
    if (!result.affected) throw new Error(`transfer of ${plateType}:${plateNumber} before its registration`);
    await this.tx.manager.insert(PlateOwnershipChange, {
      eventId: event.eventId,
      plateType,
      plateNumber,
      ownerType: newOwner.type,
      ownerId: newOwner.id,
      effectiveAt: at,
    });
  }
}
