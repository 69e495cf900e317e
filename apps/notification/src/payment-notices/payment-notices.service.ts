import { Injectable } from '@nestjs/common';
import { EventEnvelope, PaymentEnded, PaymentPayer, PaymentSucceeded, normalizeMobile } from '@app/contracts';
import { InjectTransactionHost, TransactionHost } from '@app/persistence';
import { personalMessages } from '../alerts/fine-alerts.service';
import { DeliveryLog } from '../delivery/delivery-log';
import { NewDelivery } from '../delivery/delivery';
import { Contact, RecipientsService } from '../recipients/recipients.service';
import { languageOf } from '../templates/format';
import { PaidItem, renderPaymentEnded, renderPaymentReceipt } from '../templates/templates';

/**
 * The payer hears about their payment: a receipt when the bank captured it, a notice when it was
 * declined, cancelled or expired and its fines are unpaid again. The mobile, email and language are
 * the ones given with the payment; the payer's name (and, for the notice, the email) come from the
 * contact read model.
 */
@Injectable()
export class PaymentNoticesService {
  constructor(
    @InjectTransactionHost('notification') private readonly tx: TransactionHost,
    private readonly recipients: RecipientsService,
    private readonly deliveries: DeliveryLog,
  ) {}

  async sendReceipts(events: EventEnvelope<PaymentSucceeded>[]): Promise<void> {
    const messages: NewDelivery[] = [];
    for (const event of events) {
      const p = event.payload;
      const contact = await this.payerContact(p.payer);
      const lang = languageOf(p.language ?? contact?.language);
      const items = await this.withTitles(p.items);
      const rendered = renderPaymentReceipt(lang, {
        name: this.nameIn(lang, contact),
        paymentNumber: p.paymentNumber,
        items,
        totalMinor: p.totalMinor,
        currency: p.currency,
        bankReference: p.bankReference,
        paidAt: p.paidAt,
      });
      const base = {
        eventId: event.eventId,
        template: 'payment-receipt',
        language: lang,
        paymentNumber: p.paymentNumber,
        fineNumbers: items.map((i) => i.fineNumber),
      };
      // The email given with the payment, else the one on record: a payer who left it out still gets the receipt by email.
      const email = p.email?.trim().toLowerCase() || contact?.email;
      messages.push(...personalMessages(base, { mobile: p.mobile ? normalizeMobile(p.mobile) : null, email }, rendered));
    }
    await this.deliveries.enqueue(messages);
  }

  async tellUnpaidAgain(events: EventEnvelope<PaymentEnded>[]): Promise<void> {
    const messages: NewDelivery[] = [];
    for (const event of events) {
      const p = event.payload;
      const contact = await this.payerContact(p.payer);
      const lang = languageOf(p.language ?? contact?.language);
      const items = await this.withTitles(p.items);
      const rendered = renderPaymentEnded(lang, {
        name: this.nameIn(lang, contact),
        paymentNumber: p.paymentNumber,
        outcome: p.outcome,
        items,
        currency: 'KWD',
      });
      const base = {
        eventId: event.eventId,
        template: `payment-${p.outcome.toLowerCase()}`,
        language: lang,
        paymentNumber: p.paymentNumber,
        fineNumbers: items.map((i) => i.fineNumber),
      };
      messages.push(...personalMessages(base, { mobile: p.mobile ? normalizeMobile(p.mobile) : null, email: contact?.email }, rendered));
    }
    await this.deliveries.enqueue(messages);
  }

  private payerContact(payer: PaymentPayer): Promise<Contact | undefined> {
    return this.recipients.contactOf(payer.idType === 'CIVIL_ID' ? 'PERSON' : 'COMPANY', payer.idNumber);
  }

  private nameIn(lang: 'ar' | 'en', contact?: Contact): string | null {
    if (!contact) return null;
    return lang === 'en' ? (contact.name_en ?? contact.name_ar) : contact.name_ar;
  }

  /** The payment's items with the violation titles notification knows from the fines' events. */
  private async withTitles(items: { fineNumber: string; amountMinor: number }[]): Promise<PaidItem[]> {
    const rows = await this.tx.manager.query<{ fine_number: string; title_ar: string; title_en: string }[]>(
      `SELECT fine_number, title_ar, title_en FROM fine_fact WHERE fine_number = ANY($1::text[])`,
      [items.map((i) => i.fineNumber)],
    );
    const titles = new Map(rows.map((r) => [r.fine_number, r]));
    return items.map((i) => ({ ...i, titleAr: titles.get(i.fineNumber)?.title_ar, titleEn: titles.get(i.fineNumber)?.title_en }));
  }
}
