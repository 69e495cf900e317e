import { Module } from '@nestjs/common';
import { MessagingModule } from '@app/messaging';
import { CatalogueController } from './catalogue/catalogue.controller';
import { ViolationType } from './catalogue/violation-type.entity';
import { ViolationsDemoSeeder } from './demo/violations-demo.seeder';
import { Fine } from './fines/fine.entity';
import { FinesController } from './fines/fines.controller';
import { FinesService } from './fines/fines.service';
import { InquiryController } from './inquiry/inquiry.controller';
import { InquiryService } from './inquiry/inquiry.service';
import { CompanyTotalsFold } from './inquiry/company-totals.fold';
import { OwnershipReadModel1763800100000 } from './migrations/1763800100000-ownership-read-model';
import { Fines1763800200000 } from './migrations/1763800200000-fines';
import { PaymentPending1763800500000 } from './migrations/1763800500000-payment-pending';
import { InquiryReadModel1763800600000 } from './migrations/1763800600000-inquiry-read-model';
import { FinesByOwner1763800700000 } from './migrations/1763800700000-fines-by-owner';
import { CompanyFineTotals1763800800000 } from './migrations/1763800800000-company-fine-totals';
import { CoveringOwnerIndexes1763800900000 } from './migrations/1763800900000-covering-owner-indexes';
import { FineSettlement } from './settlement/fine-settlement.service';
import { SettlementEventsController } from './settlement/settlement-events.controller';
import { OwnerEventsController } from './owners/owner-events.controller';
import { OwnerName } from './owners/owner-name.entity';
import { OwnershipEventsController } from './ownership/ownership-events.controller';
import { OwnershipReadModel } from './ownership/ownership-read-model.service';
import { PlateOwnership, PlateOwnershipChange } from './ownership/plate-ownership.entity';

export const VIOLATIONS_ENTITIES = [PlateOwnership, PlateOwnershipChange, ViolationType, Fine, OwnerName];
export const VIOLATIONS_MIGRATIONS = [
  OwnershipReadModel1763800100000,
  Fines1763800200000,
  PaymentPending1763800500000,
  InquiryReadModel1763800600000,
  FinesByOwner1763800700000,
  CompanyFineTotals1763800800000,
  CoveringOwnerIndexes1763800900000,
];

/** violations: the catalogue, fines and inquiries, answered from its own read model of plate ownership. */
@Module({
  imports: [MessagingModule.forService('violations', { entities: VIOLATIONS_ENTITIES, migrations: VIOLATIONS_MIGRATIONS })],
  controllers: [CatalogueController, FinesController, InquiryController, OwnershipEventsController, OwnerEventsController, SettlementEventsController],
  providers: [OwnershipReadModel, FinesService, InquiryService, CompanyTotalsFold, ViolationsDemoSeeder, FineSettlement],
})
export class ViolationsModule {}
