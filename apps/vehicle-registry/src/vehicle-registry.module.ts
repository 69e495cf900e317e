import { Module } from '@nestjs/common';
import { MessagingModule } from '@app/messaging';
import { RegistryDemoSeeder } from './demo/registry-demo.seeder';
import { RegistrySchema1763800000000 } from './migrations/1763800000000-registry-schema';
import { OutstandingFines1763800300000 } from './migrations/1763800300000-outstanding-fines';
import { FineEventsController } from './outstanding-fines/fine-events.controller';
import { OutstandingFine } from './outstanding-fines/outstanding-fine.entity';
import { OutstandingFines } from './outstanding-fines/outstanding-fines.service';
import { Company } from './owners/company.entity';
import { OwnersController } from './owners/owners.controller';
import { OwnersService } from './owners/owners.service';
import { Person } from './owners/person.entity';
import { OwnershipPeriod } from './vehicles/ownership-period.entity';
import { Vehicle } from './vehicles/vehicle.entity';
import { VehiclesController } from './vehicles/vehicles.controller';
import { VehiclesService } from './vehicles/vehicles.service';

export const REGISTRY_ENTITIES = [Person, Company, Vehicle, OwnershipPeriod, OutstandingFine];
export const REGISTRY_MIGRATIONS = [RegistrySchema1763800000000, OutstandingFines1763800300000];

/** vehicle-registry: persons, companies, vehicles and who owns them. Publishes owner and vehicle events. */
@Module({
  imports: [MessagingModule.forService('vehicle-registry', { entities: REGISTRY_ENTITIES, migrations: REGISTRY_MIGRATIONS })],
  controllers: [OwnersController, VehiclesController, FineEventsController],
  providers: [OwnersService, VehiclesService, OutstandingFines, RegistryDemoSeeder],
})
export class VehicleRegistryModule {}
