import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { EVENTS, EventEnvelope, OwnerRegistered } from '@app/contracts';
import { OnEvent } from '@app/messaging';
import { InjectTransactionHost, TransactionHost } from '@app/persistence';
import { OwnerName } from './owner-name.entity';

@Controller()
export class OwnerEventsController {
  constructor(@InjectTransactionHost('violations') private readonly tx: TransactionHost) {}

  @OnEvent('violations', EVENTS.ownerRegistered)
  async onOwnerRegistered(@Payload() event: EventEnvelope<OwnerRegistered>): Promise<void> {
    const { owner, nameAr, nameEn } = event.payload;
    await this.tx.manager.upsert(OwnerName, { ownerType: owner.type, ownerId: owner.id, nameAr, nameEn: nameEn ?? null }, ['ownerType', 'ownerId']);
  }
}
