import { EntityManager } from 'typeorm';
import { Injectable } from '@nestjs/common';
import { EventEnvelope, FineCancelled, FineIssued, plateKey, toMoney } from '@app/contracts';
import { InjectTransactionHost, TransactionHost } from '@app/persistence';
import { DeliveryLog } from '../delivery/delivery-log';
import { NewDelivery } from '../delivery/delivery';
import { PlateRecipient, RecipientsService } from '../recipients/recipients.service';
import { languageOf } from '../templates/format';
import { FineFacts, RenderedMessage, renderFineCancelled, renderFineIssued } from '../templates/templates';

/** The body a fleet system receives for each new fine on the company's plates. */
export function fleetFinePayload(event: EventEnvelope<FineIssued>, companyNo: string): object {
  const f = event.payload;
  return {
    type: 'fine.issued',
    eventId: event.eventId,
    companyNo,
    fine: {
      fineNumber: f.fineNumber,
      plate: { plateNumber: f.plateNumber, plateType: f.plateType },
      violation: { code: f.violation.code, titleAr: f.violation.titleAr, titleEn: f.violation.titleEn, points: f.violation.points },
      amount: toMoney(f.amountMinor, f.currency),
      occurredAt: f.occurredAt,
      location: { textAr: f.location.textAr, textEn: f.location.textEn ?? null },
      issuedAt: event.occurredAt,
    },
  };
}

/** The person's messages on every channel they have: SMS to the mobile, email to the address. */
export function personalMessages(
  base: Pick<NewDelivery, 'eventId' | 'template' | 'language' | 'paymentNumber' | 'fineNumbers'>,
  to: { mobile?: string | null; email?: string | null },
  rendered: RenderedMessage,
): NewDelivery[] {
  const messages: NewDelivery[] = [];
  if (to.mobile) messages.push({ ...base, channel: 'SMS', recipient: to.mobile, body: rendered.sms });
  if (to.email) messages.push({ ...base, channel: 'EMAIL', recipient: to.email, subject: rendered.subject, body: rendered.text, html: rendered.html });
  return messages;
}

/** Nobody to tell: logged FAILED with the reason, so an alert that could not go out is visible in GET /v1/notifications. */
function unsendable(eventId: string, template: string, fine: { fineNumber: string; plateType: string; plateNumber: string }, why: string): NewDelivery {
  return {
    eventId,
    channel: 'SMS',
    recipient: '-',
    template,
    language: 'ar',
    body: '',
    fineNumbers: [fine.fineNumber],
    status: 'FAILED',
    lastError: `${why} (${fine.plateType} ${fine.plateNumber}) when the fine arrived`,
  };
}

/** The violation titles notification knows from the fines' events, by fine number. */
export async function fineTitles(m: EntityManager, fineNumbers: string[]): Promise<Map<string, { title_ar: string; title_en: string }>> {
  const rows = await m.query<{ fine_number: string; title_ar: string; title_en: string }[]>(
    `SELECT fine_number, title_ar, title_en FROM fine_fact WHERE fine_number = ANY($1::text[])`,
    [fineNumbers],
  );
  return new Map(rows.map((r) => [r.fine_number, r]));
}

/** The recipient's name in the message's language (the Arabic one when there is no English one). */
export const nameIn = (lang: 'ar' | 'en', r?: { name_ar: string | null; name_en: string | null }): string | null =>
  !r ? null : lang === 'en' ? (r.name_en ?? r.name_ar) : r.name_ar;

/**
 * A new fine alerts its plate's owner (SMS, email, and the company's webhook); a cancelled one
 * tells them. Seeded fines (the demo data) only feed the facts: nobody is alerted of 20,000 old
 * fines at the first start. A fine on a plate nobody is known to own (or whose owner has no contact)
 * is logged FAILED with the reason instead of being dropped unseen.
 */
@Injectable()
export class FineAlertsService {
  constructor(
    @InjectTransactionHost('notification') private readonly tx: TransactionHost,
    private readonly recipients: RecipientsService,
    private readonly deliveries: DeliveryLog,
  ) {}

  async alertNewFines(events: EventEnvelope<FineIssued>[]): Promise<void> {
    const f = events.map((e) => e.payload);
    await this.tx.manager.query(
      `INSERT INTO fine_fact (fine_number, plate_type, plate_number, violation_code, title_ar, title_en, points, amount_minor, currency, occurred_at, location_ar, location_en)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::int[], $9::text[], $10::timestamptz[], $11::text[], $12::text[])
       ON CONFLICT (fine_number) DO NOTHING`,
      [
        f.map((x) => x.fineNumber),
        f.map((x) => x.plateType),
        f.map((x) => x.plateNumber),
        f.map((x) => x.violation.code),
        f.map((x) => x.violation.titleAr),
        f.map((x) => x.violation.titleEn),
        f.map((x) => x.violation.points),
        f.map((x) => x.amountMinor),
        f.map((x) => x.currency),
        f.map((x) => x.occurredAt),
        f.map((x) => x.location.textAr),
        f.map((x) => x.location.textEn ?? null),
      ],
    );
    const messages: NewDelivery[] = [];
    for (const { event, owner } of await this.withOwners(events)) {
      const fine = event.payload;
      if (!owner || (!owner.mobile && !owner.email && !owner.webhook_url)) {
        messages.push(unsendable(event.eventId, 'fine-issued', fine, owner ? 'the owner has no mobile, email or webhook' : 'no owner known for the plate'));
        continue;
      }
      const facts: FineFacts = {
        fineNumber: fine.fineNumber,
        plateType: fine.plateType,
        plateNumber: fine.plateNumber,
        titleAr: fine.violation.titleAr,
        titleEn: fine.violation.titleEn,
        amountMinor: fine.amountMinor,
        currency: fine.currency,
        occurredAt: fine.occurredAt,
        locationAr: fine.location.textAr,
        locationEn: fine.location.textEn,
      };
      const lang = languageOf(owner.language);
      const base = { eventId: event.eventId, template: 'fine-issued', language: lang, fineNumbers: [fine.fineNumber] };
      messages.push(
        ...personalMessages(base, owner, renderFineIssued(lang, { name: nameIn(lang, owner), fine: facts, company: owner.owner_type === 'COMPANY' })),
      );
      if (owner.owner_type === 'COMPANY' && owner.webhook_url) messages.push(this.webhookMessage(event, owner, lang));
    }
    await this.deliveries.enqueue(messages);
  }

  async tellCancelledFines(events: EventEnvelope<FineCancelled>[]): Promise<void> {
    const titles = await fineTitles(
      this.tx.manager,
      events.map((e) => e.payload.fineNumber),
    );
    const messages: NewDelivery[] = [];
    for (const { event, owner } of await this.withOwners(events)) {
      const fine = event.payload;
      if (!owner) continue;
      const lang = languageOf(owner.language);
      const title = titles.get(fine.fineNumber);
      const facts: FineFacts = { ...fine, titleAr: title?.title_ar, titleEn: title?.title_en };
      const base = { eventId: event.eventId, template: 'fine-cancelled', language: lang, fineNumbers: [fine.fineNumber] };
      messages.push(...personalMessages(base, owner, renderFineCancelled(lang, { name: nameIn(lang, owner), fine: facts, reason: fine.reason })));
    }
    await this.deliveries.enqueue(messages);
  }

  /** The events that alert someone (seeded ones do not), each with its plate's owner if one is known, read in one query. */
  private async withOwners<P extends FineIssued | FineCancelled>(
    events: EventEnvelope<P>[],
  ): Promise<{ event: EventEnvelope<P>; owner: PlateRecipient | undefined }[]> {
    const fresh = events.filter((e) => !e.payload.seeded);
    const owners = await this.recipients.ownersOfPlates(fresh.map((e) => e.payload));
    return fresh.map((event) => ({ event, owner: owners.get(plateKey(event.payload.plateType, event.payload.plateNumber)) }));
  }

  private webhookMessage(event: EventEnvelope<FineIssued>, owner: PlateRecipient, lang: 'ar' | 'en'): NewDelivery {
    return {
      eventId: event.eventId,
      channel: 'WEBHOOK',
      recipient: owner.webhook_url!,
      template: 'fleet-fine-issued',
      language: lang,
      body: JSON.stringify(fleetFinePayload(event, owner.owner_id)),
      fineNumbers: [event.payload.fineNumber],
      companyNo: owner.owner_id,
    };
  }
}
