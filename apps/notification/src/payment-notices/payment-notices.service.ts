import { Injectable } from '@nestjs/common';
import { EventEnvelope, PaymentEnded, PaymentSucceeded, normalizeMobile } from '@app/contracts';
import { InjectTransactionHost, TransactionHost } from '@app/persistence';
import { fineTitles, nameIn, personalMessages } from '../alerts/fine-alerts.service';
import { DeliveryLog } from '../delivery/delivery-log';
import { NewDelivery } from '../delivery/delivery';
import { RecipientsService } from '../recipients/recipients.service';
import { Language, languageOf } from '../templates/format';
import { PaidItem, RenderedMessage, renderPaymentEnded, renderPaymentReceipt } from '../templates/templates';

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
    await this.notifyPayers(events, (p, lang, name, items) => ({
      template: 'payment-receipt',
      rendered: renderPaymentReceipt(lang, {
        name,
        paymentNumber: p.paymentNumber,
        items,
        totalMinor: p.totalMinor,
        currency: p.currency,
        bankReference: p.bankReference,
        paidAt: p.paidAt,
      }),
      // The email given with the payment, else the one on record: a payer who left it out still gets the receipt by email.
      email: p.email?.trim().toLowerCase() || undefined,
    }));
  }

  async tellUnpaidAgain(events: EventEnvelope<PaymentEnded>[]): Promise<void> {
    // The notice's email goes to the address on record; the payment's address is for receipts.
    await this.notifyPayers(events, (p, lang, name, items) => ({
      template: `payment-${p.outcome.toLowerCase()}`,
      rendered: renderPaymentEnded(lang, { name, paymentNumber: p.paymentNumber, outcome: p.outcome, items, currency: 'KWD' }),
    }));
  }

  /**
   * One message set per payment event: the payers' contacts and the fines' titles read once for the
   * whole run, each event rendered by `render`, sent to the payment's mobile and to `email` or the
   * email on record.
   */
  private async notifyPayers<P extends PaymentSucceeded | PaymentEnded>(
    events: EventEnvelope<P>[],
    render: (payment: P, lang: Language, name: string | null, items: PaidItem[]) => { template: string; rendered: RenderedMessage; email?: string },
  ): Promise<void> {
    const payers = events.map((e) => ({
      type: e.payload.payer.idType === 'CIVIL_ID' ? ('PERSON' as const) : ('COMPANY' as const),
      id: e.payload.payer.idNumber,
    }));
    const contacts = await this.recipients.contactsOf(payers);
    const titles = await fineTitles(
      this.tx.manager,
      events.flatMap((e) => e.payload.items.map((i) => i.fineNumber)),
    );
    const messages: NewDelivery[] = [];
    events.forEach((event, n) => {
      const p = event.payload;
      const contact = contacts.get(`${payers[n].type}:${payers[n].id}`);
      const lang = languageOf(p.language ?? contact?.language);
      const items = p.items.map((i) => ({ ...i, titleAr: titles.get(i.fineNumber)?.title_ar, titleEn: titles.get(i.fineNumber)?.title_en }));
      const { template, rendered, email } = render(p, lang, nameIn(lang, contact), items);
      const base = { eventId: event.eventId, template, language: lang, paymentNumber: p.paymentNumber, fineNumbers: items.map((i) => i.fineNumber) };
      messages.push(...personalMessages(base, { mobile: p.mobile ? normalizeMobile(p.mobile) : null, email: email ?? contact?.email }, rendered));
    });
    await this.deliveries.enqueue(messages);
  }
}
