import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { EVENTS, EventEnvelope, OwnerRegistered } from '@app/contracts';
import { OnEvents } from '@app/messaging';
import { InjectTransactionHost, TransactionHost } from '@app/persistence';

@Controller()
export class OwnerEventsController {
  constructor(@InjectTransactionHost('violations') private readonly tx: TransactionHost) {}

  /** Owners' names, for the subject of an inquiry; the latest registration of an owner wins. */
  @OnEvents('violations', EVENTS.ownerRegistered)
  async onOwnersRegistered(@Payload() events: EventEnvelope<OwnerRegistered>[]): Promise<void> {
    const p = events.map((e) => e.payload);
    await this.tx.manager.query(
      `INSERT INTO owner_name (owner_type, owner_id, name_ar, name_en)
       SELECT DISTINCT ON (t, i) t, i, ar, en FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS e(t, i, ar, en, ord)
        ORDER BY t, i, ord DESC
       ON CONFLICT (owner_type, owner_id) DO UPDATE SET name_ar = EXCLUDED.name_ar, name_en = EXCLUDED.name_en`,
      [p.map((x) => x.owner.type), p.map((x) => x.owner.id), p.map((x) => x.nameAr), p.map((x) => x.nameEn ?? null)],
    );
  }
}
