import { Injectable } from '@nestjs/common';
import { OwnerType, PlateType, plateKey } from '@app/contracts';
import { EventPublisher, InjectEventPublisher } from '@app/messaging';
import { InjectTransactionHost, TransactionHost, isUniqueViolation } from '@app/persistence';
import { OwnersService } from '../owners/owners.service';
import { OutstandingFines } from '../outstanding-fines/outstanding-fines.service';
import { RegistryErrors } from '../registry.errors';
import { CreateVehicleDto, OwnerRefDto } from './dto/vehicle.dto';
import { OwnershipPeriod } from './ownership-period.entity';
import { Vehicle } from './vehicle.entity';

@Injectable()
export class VehiclesService {
  constructor(
    @InjectTransactionHost('vehicle-registry') private readonly tx: TransactionHost,
    @InjectEventPublisher('vehicle-registry') private readonly events: EventPublisher,
    private readonly owners: OwnersService,
    private readonly outstanding: OutstandingFines,
  ) {}

  async register(dto: CreateVehicleDto): Promise<Vehicle> {
    try {
      return await this.tx.run(async (manager) => {
        await this.requireOwner(dto.owner);
        const vehicle = manager.create(Vehicle, {
          plateType: dto.plateType,
          plateNumber: dto.plateNumber,
          ownerType: dto.owner.type,
          ownerId: dto.owner.id,
          make: dto.make,
          model: dto.model,
          year: dto.year,
          color: dto.color,
        });
        const saved = await manager.save(vehicle);
        await manager.insert(OwnershipPeriod, {
          vehicleId: saved.id,
          ownerType: saved.ownerType,
          ownerId: saved.ownerId,
          startedAt: saved.registeredAt,
          endedAt: null,
        });
        await this.events.publish('vehicleRegistered', plateKey(saved.plateType, saved.plateNumber), {
          plateType: saved.plateType,
          plateNumber: saved.plateNumber,
          owner: { type: saved.ownerType, id: saved.ownerId },
          vehicle: { make: saved.make, model: saved.model, year: saved.year, color: saved.color },
        });
        return saved;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw RegistryErrors.vehicleExists(dto.plateType, dto.plateNumber);
      throw error;
    }
  }

  /** Moves a vehicle to a new owner, closing the current ownership period and opening the next. */
  async transfer(plateType: PlateType, plateNumber: string, newOwner: OwnerRefDto): Promise<Vehicle> {
    return this.tx.run(async (manager) => {
      const vehicle = await manager.findOne(Vehicle, { where: { plateType, plateNumber }, lock: { mode: 'pessimistic_write' } });
      if (!vehicle) throw RegistryErrors.vehicleNotFound(plateType, plateNumber);
      if (vehicle.ownerType === newOwner.type && vehicle.ownerId === newOwner.id) throw RegistryErrors.sameOwner();
      await this.requireOwner(newOwner);
      // Ministries do not transfer a vehicle that still has unpaid fines.
      const unpaid = await this.outstanding.ofPlate(plateType, plateNumber);
      if (unpaid.count > 0) throw RegistryErrors.unpaidFines(plateType, plateNumber, unpaid.count, unpaid.amountMinor);
      const previousOwner = { type: vehicle.ownerType, id: vehicle.ownerId };
      const now = new Date();
      await manager
        .createQueryBuilder()
        .update(OwnershipPeriod)
        .set({ endedAt: now })
        .where('vehicle_id = :id AND ended_at IS NULL', { id: vehicle.id })
        .execute();
      await manager.insert(OwnershipPeriod, { vehicleId: vehicle.id, ownerType: newOwner.type, ownerId: newOwner.id, startedAt: now, endedAt: null });
      vehicle.ownerType = newOwner.type;
      vehicle.ownerId = newOwner.id;
      const saved = await manager.save(vehicle);
      await this.events.publish('vehicleOwnershipTransferred', plateKey(plateType, plateNumber), {
        plateType,
        plateNumber,
        previousOwner,
        newOwner: { type: newOwner.type, id: newOwner.id },
        transferredAt: now.toISOString(),
      });
      return saved;
    });
  }

  async listByOwner(ownerType: OwnerType, ownerId: string): Promise<Vehicle[]> {
    return this.tx.manager.find(Vehicle, { where: { ownerType, ownerId }, order: { plateType: 'ASC', plateNumber: 'ASC' } });
  }

  private async requireOwner(owner: OwnerRefDto): Promise<void> {
    if (!(await this.owners.exists(owner.type, owner.id))) throw RegistryErrors.ownerNotFound(owner.type, owner.id);
  }
}
