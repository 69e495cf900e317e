import { Module } from '@nestjs/common';
import { MessagingModule } from '@app/messaging';
import { RegistrySchema1763800000000 } from './migrations/1763800000000-registry-schema';
import { Company } from './owners/company.entity';
import { OwnersController } from './owners/owners.controller';
import { OwnersService } from './owners/owners.service';
import { Person } from './owners/person.entity';
import { OwnershipPeriod } from './vehicles/ownership-period.entity';
import { Vehicle } from './vehicles/vehicle.entity';
import { VehiclesController } from './vehicles/vehicles.controller';
import { VehiclesService } from './vehicles/vehicles.service';

export const REGISTRY_ENTITIES = [Person, Company, Vehicle, OwnershipPeriod];
export const REGISTRY_MIGRATIONS = [RegistrySchema1763800000000];

/** vehicle-registry: persons, companies, vehicles and who owns them. Publishes owner and vehicle events. */
@Module({
  imports: [MessagingModule.forService('vehicle-registry', { entities: REGISTRY_ENTITIES, migrations: REGISTRY_MIGRATIONS })],
  controllers: [OwnersController, VehiclesController],
  providers: [OwnersService, VehiclesService],
})
export class VehicleRegistryModule {}
