import { Module } from '@nestjs/common';
import { MessagingModule } from '@app/messaging';
import { OwnershipReadModel1763800100000 } from './migrations/1763800100000-ownership-read-model';
import { OwnershipEventsController } from './ownership/ownership-events.controller';
import { OwnershipReadModel } from './ownership/ownership-read-model.service';
import { PlateOwnership, PlateOwnershipChange } from './ownership/plate-ownership.entity';

export const VIOLATIONS_ENTITIES = [PlateOwnership, PlateOwnershipChange];
export const VIOLATIONS_MIGRATIONS = [OwnershipReadModel1763800100000];

/** violations: the catalogue, fines and inquiries, answered from its own read model of plate ownership. */
@Module({
  imports: [MessagingModule.forService('violations', { entities: VIOLATIONS_ENTITIES, migrations: VIOLATIONS_MIGRATIONS })],
  controllers: [OwnershipEventsController],
  providers: [OwnershipReadModel],
})
export class ViolationsModule {}
