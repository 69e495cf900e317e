import { Language, byCount, finesCountedAr, formatDate, formatMoney, formatPlate, listOf } from './format';
import { fitSms, fitsSms } from './sms-length';

/** What a person reads: the SMS (within two segments) and the email (subject, text and HTML). */
export interface RenderedMessage {
  sms: string;
  subject: string;
  text: string;
  html: string;
}

export interface FineFacts {
  fineNumber: string;
  plateType: string;
  plateNumber: string;
  titleAr?: string | null;
  titleEn?: string | null;
  amountMinor: number;
  currency: string;
  occurredAt?: string | Date | null;
  locationAr?: string | null;
  locationEn?: string | null;
}

export interface PaidItem {
  fineNumber: string;
  amountMinor: number;
  titleAr?: string | null;
  titleEn?: string | null;
}

export type PaymentOutcome = 'FAILED' | 'CANCELLED' | 'EXPIRED';

const SIGNATURE: Record<Language, string> = {
  ar: 'مع التحية،\nالإدارة العامة للمرور',
  en: 'Regards,\nGeneral Traffic Department',
};

const greeting = (lang: Language, name?: string | null) => (lang === 'ar' ? (name ? `مرحبًا ${name}،` : 'مرحبًا،') : name ? `Hello ${name},` : 'Hello,');
const title = (lang: Language, item: { titleAr?: string | null; titleEn?: string | null }) =>
  lang === 'ar' ? (item.titleAr ?? item.titleEn) : (item.titleEn ?? item.titleAr);

/** Shortens `value` word by word until `build(value)` fits in an SMS; the last resort cuts it with an ellipsis. */
function fitShortening(build: (value: string) => string, value: string): string {
  const words = value.split(' ');
  for (let n = words.length - 1; n >= 1; n--) {
    const text = build(`${words.slice(0, n).join(' ')}…`);
    if (fitsSms(text)) return text;
  }
  return fitSms([build('')]);
}

function firstFitting(variants: string[], shortest: (value: string) => string, shortenable: string): string {
  return variants.find((v) => fitsSms(v)) ?? fitShortening(shortest, shortenable);
}

interface EmailParts {
  subject: string;
  name?: string | null;
  intro: string;
  fields: [string, string][];
  list?: { label: string; items: string[] };
  outro: string;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** One structure, two renderings: plain text and a simple right-to-left (or left-to-right) HTML page. */
function composeEmail(lang: Language, parts: EmailParts): Pick<RenderedMessage, 'subject' | 'text' | 'html'> {
  const lines = [greeting(lang, parts.name), '', parts.intro, '', ...parts.fields.map(([label, value]) => `${label}: ${value}`)];
  if (parts.list) lines.push(`${parts.list.label}:`, ...parts.list.items.map((item) => `- ${item}`));
  lines.push('', parts.outro, '', SIGNATURE[lang]);
  const dir = lang === 'ar' ? 'rtl' : 'ltr';
  const rows = parts.fields.map(([label, value]) => `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`).join('');
  const list = parts.list ? `<p>${escapeHtml(parts.list.label)}</p><ul>${parts.list.items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>` : '';
  const html = `<!doctype html><html lang="${lang}" dir="${dir}"><head><meta charset="utf-8"><title>${escapeHtml(parts.subject)}</title></head>
<body style="font-family:Tahoma,Arial,sans-serif;color:#1d2a3a;max-width:36rem;margin:auto">
<p>${escapeHtml(greeting(lang, parts.name))}</p><p>${escapeHtml(parts.intro)}</p>
<table cellpadding="6" style="border-collapse:collapse;text-align:start">${rows}</table>${list}
<p>${escapeHtml(parts.outro)}</p><p>${escapeHtml(SIGNATURE[lang]).replace('\n', '<br>')}</p></body></html>`;
  return { subject: parts.subject, text: lines.join('\n'), html };
}

/** A new fine, told to the plate's owner. */
export function renderFineIssued(lang: Language, data: { name?: string | null; fine: FineFacts; company?: boolean }): RenderedMessage {
  const { fine } = data;
  const plate = formatPlate(fine.plateType, fine.plateNumber, lang);
  const amount = formatMoney(fine.amountMinor, fine.currency, lang);
  const violation = title(lang, fine) ?? '';
  const occurred = fine.occurredAt ?? new Date();
  const when = formatDate(occurred, lang, 'dateTime');
  const day = formatDate(occurred, lang, 'date');
  const sms =
    lang === 'ar'
      ? firstFitting(
          [
            `مخالفة مرورية جديدة رقم ${fine.fineNumber} على مركبتك ${plate}: ${violation}، بقيمة ${amount}، بتاريخ ${when}.`,
            `سُجّلت على مركبتك ${plate} المخالفة رقم ${fine.fineNumber}: ${violation}، بقيمة ${amount}، في ${day}.`,
            `مخالفة مرورية رقم ${fine.fineNumber} على مركبتك ${plate}: ${violation}، ${amount}، ${when}.`,
            `مخالفة مرورية رقم ${fine.fineNumber} على مركبتك ${plate}: ${violation}، ${amount}، ${day}.`,
          ],
          (v) => `مخالفة مرورية رقم ${fine.fineNumber} على مركبتك ${plate}: ${v}، ${amount}، ${day}.`,
          violation,
        )
      : firstFitting(
          [
            `New traffic fine ${fine.fineNumber} on your vehicle ${plate}: ${violation}, ${amount}, ${when}.`,
            `Traffic fine ${fine.fineNumber} on your vehicle ${plate}: ${violation}, ${amount}, ${day}.`,
          ],
          (v) => `Traffic fine ${fine.fineNumber} on your vehicle ${plate}: ${v}, ${amount}, ${day}.`,
          violation,
        );
  const location = (lang === 'ar' ? fine.locationAr : (fine.locationEn ?? fine.locationAr)) ?? '';
  const email =
    lang === 'ar'
      ? composeEmail(lang, {
          subject: `مخالفة مرورية جديدة رقم ${fine.fineNumber}`,
          name: data.name,
          intro: 'سُجّلت مخالفة مرورية جديدة على مركبتك، وهذه تفاصيلها:',
          fields: [
            ['رقم المخالفة', fine.fineNumber],
            ['المركبة', plate],
            ['المخالفة', violation],
            ['المكان', location],
            ['التاريخ والوقت', formatDate(occurred, lang, 'long')],
            ['قيمة المخالفة', amount],
          ],
          outro: data.company
            ? 'يمكنكم الاستعلام عن مخالفات مركبات الشركة ودفعها إلكترونيًا برقم الشركة أو برقم اللوحة.'
            : 'يمكنك الاستعلام عن مخالفاتك ودفعها إلكترونيًا بالرقم المدني أو برقم اللوحة.',
        })
      : composeEmail(lang, {
          subject: `New traffic fine ${fine.fineNumber}`,
          name: data.name,
          intro: 'A new traffic fine has been recorded on your vehicle:',
          fields: [
            ['Fine number', fine.fineNumber],
            ['Vehicle', plate],
            ['Violation', violation],
            ['Location', location],
            ['Date and time', formatDate(occurred, lang, 'long')],
            ['Amount', amount],
          ],
          outro: data.company
            ? "You can look up and pay your company's fines online with your company number or plate number."
            : 'You can look up and pay your fines online with your civil ID or plate number.',
        });
  return { sms, ...email };
}

/** A fine that no longer stands, told to the plate's owner. */
export function renderFineCancelled(lang: Language, data: { name?: string | null; fine: FineFacts; reason?: string | null }): RenderedMessage {
  const { fine } = data;
  const plate = formatPlate(fine.plateType, fine.plateNumber, lang);
  const amount = formatMoney(fine.amountMinor, fine.currency, lang);
  const violation = title(lang, fine);
  const sms =
    lang === 'ar'
      ? fitSms([`أُلغيت المخالفة رقم ${fine.fineNumber} المسجلة على مركبتك ${plate} بقيمة ${amount}، ولا يلزمك دفعها.`])
      : fitSms([`Traffic fine ${fine.fineNumber} on your vehicle ${plate}, ${amount}, has been cancelled. You do not need to pay it.`]);
  const fields: [string, string][] =
    lang === 'ar'
      ? [
          ['رقم المخالفة', fine.fineNumber],
          ['المركبة', plate],
          ...(violation ? [['المخالفة', violation] as [string, string]] : []),
          ['قيمة المخالفة', amount],
          ...(data.reason ? [['سبب الإلغاء', data.reason] as [string, string]] : []),
        ]
      : [
          ['Fine number', fine.fineNumber],
          ['Vehicle', plate],
          ...(violation ? [['Violation', violation] as [string, string]] : []),
          ['Amount', amount],
          ...(data.reason ? [['Reason', data.reason] as [string, string]] : []),
        ];
  const email =
    lang === 'ar'
      ? composeEmail(lang, {
          subject: `إلغاء المخالفة المرورية رقم ${fine.fineNumber}`,
          name: data.name,
          intro: 'نفيدك بإلغاء المخالفة المرورية التالية المسجلة على مركبتك:',
          fields,
          outro: 'لا يلزمك دفع هذه المخالفة، ولن تظهر ضمن مخالفاتك غير المدفوعة.',
        })
      : composeEmail(lang, {
          subject: `Traffic fine ${fine.fineNumber} cancelled`,
          name: data.name,
          intro: 'The following traffic fine on your vehicle has been cancelled:',
          fields,
          outro: 'You do not need to pay this fine, and it no longer shows among your unpaid fines.',
        });
  return { sms, ...email };
}

const itemLine = (lang: Language, item: PaidItem, currency: string) => {
  const t = title(lang, item);
  return `${item.fineNumber}${t ? ` (${t})` : ''}: ${formatMoney(item.amountMinor, currency, lang)}`;
};

/** The payer's receipt once the bank captured the money. */
export function renderPaymentReceipt(
  lang: Language,
  data: {
    name?: string | null;
    paymentNumber: string;
    items: PaidItem[];
    totalMinor: number;
    currency: string;
    bankReference: string;
    paidAt: string | Date;
  },
): RenderedMessage {
  const total = formatMoney(data.totalMinor, data.currency, lang);
  const numbers = data.items.map((i) => i.fineNumber);
  const n = numbers.length;
  const p = data.paymentNumber;
  const ref = data.bankReference;
  const sms =
    lang === 'ar'
      ? fitSms([
          `تم استلام دفعتك بنجاح: ${total} عن ${byCount(n, { one: 'المخالفة رقم', two: 'المخالفتين', many: 'المخالفات' })} ${listOf(numbers, 'ar')}. رقم عملية الدفع ${p}، مرجع البنك ${ref}.`,
          `تم استلام دفعتك بنجاح: ${total} عن ${byCount(n, { one: 'مخالفة واحدة', two: 'مخالفتين', many: finesCountedAr(n) })}. رقم عملية الدفع ${p}، مرجع البنك ${ref}.`,
          `تم استلام دفعتك: ${total}. رقم عملية الدفع ${p}، مرجع البنك ${ref}.`,
        ])
      : fitSms([
          `Payment received: ${total} for ${n === 1 ? 'fine' : 'fines'} ${listOf(numbers, 'en')}. Payment number ${p}, bank reference ${ref}. Thank you.`,
          `Payment received: ${total} for ${n === 1 ? '1 fine' : `${n} fines`}. Payment number ${p}, bank reference ${ref}. Thank you.`,
          `Payment received: ${total}. Payment number ${p}, bank reference ${ref}.`,
        ]);
  const email =
    lang === 'ar'
      ? composeEmail(lang, {
          subject: `إيصال دفع المخالفات المرورية - عملية رقم ${p}`,
          name: data.name,
          intro: 'شكرًا لك، تم استلام دفعتك بنجاح.',
          fields: [
            ['رقم عملية الدفع', p],
            ['مرجع البنك', ref],
            ['تاريخ الدفع', formatDate(data.paidAt, lang, 'long')],
            ['المبلغ الإجمالي', total],
          ],
          list: { label: 'المخالفات المدفوعة', items: data.items.map((i) => itemLine(lang, i, data.currency)) },
          outro: 'احتفظ بهذه الرسالة إيصالًا لعملية الدفع.',
        })
      : composeEmail(lang, {
          subject: `Traffic fines payment receipt - payment ${p}`,
          name: data.name,
          intro: 'Thank you, your payment has been received.',
          fields: [
            ['Payment number', p],
            ['Bank reference', ref],
            ['Paid on', formatDate(data.paidAt, lang, 'long')],
            ['Total', total],
          ],
          list: { label: 'Fines paid', items: data.items.map((i) => itemLine(lang, i, data.currency)) },
          outro: 'Keep this message as the receipt of your payment.',
        });
  return { sms, ...email };
}

const ENDED_LEAD: Record<PaymentOutcome, Record<Language, (p: string) => string>> = {
  FAILED: { ar: (p) => `رفض البنك عملية الدفع رقم ${p}.`, en: (p) => `Payment ${p} was declined by the bank.` },
  CANCELLED: { ar: (p) => `أُلغيت عملية الدفع رقم ${p}.`, en: (p) => `Payment ${p} was cancelled.` },
  EXPIRED: { ar: (p) => `انتهت مهلة عملية الدفع رقم ${p} قبل إتمامها.`, en: (p) => `Payment ${p} expired before it was completed.` },
};

/** The payer is told that a payment did not go through and its fines are unpaid again. */
export function renderPaymentEnded(
  lang: Language,
  data: { name?: string | null; paymentNumber: string; outcome: PaymentOutcome; items: PaidItem[]; currency: string },
): RenderedMessage {
  const n = data.items.length;
  const total = formatMoney(
    data.items.reduce((sum, i) => sum + i.amountMinor, 0),
    data.currency,
    lang,
  );
  const lead = ENDED_LEAD[data.outcome][lang](data.paymentNumber);
  const tail =
    lang === 'ar'
      ? byCount(n, {
          one: `ما زالت المخالفة بقيمة ${total} غير مدفوعة، ويمكنك محاولة الدفع مجددًا.`,
          two: `ما زالت المخالفتان بقيمة ${total} غير مدفوعتين، ويمكنك محاولة الدفع مجددًا.`,
          many: `ما زالت ${finesCountedAr(n)} بقيمة ${total} غير مدفوعة، ويمكنك محاولة الدفع مجددًا.`,
        })
      : n === 1
        ? `Your fine of ${total} is still unpaid; you can try paying again.`
        : `Your ${n} fines (${total}) are still unpaid; you can try paying again.`;
  const sms = fitSms([`${lead} ${tail}`]);
  const email =
    lang === 'ar'
      ? composeEmail(lang, {
          subject: `لم تكتمل عملية الدفع رقم ${data.paymentNumber}`,
          name: data.name,
          intro: lead,
          fields: [
            ['رقم عملية الدفع', data.paymentNumber],
            ['المبلغ', total],
          ],
          list: {
            label: byCount(n, { one: 'المخالفة غير المدفوعة', two: 'المخالفتان غير المدفوعتين', many: 'المخالفات غير المدفوعة' }),
            items: data.items.map((i) => itemLine(lang, i, data.currency)),
          },
          outro: tail,
        })
      : composeEmail(lang, {
          subject: `Payment ${data.paymentNumber} was not completed`,
          name: data.name,
          intro: lead,
          fields: [
            ['Payment number', data.paymentNumber],
            ['Amount', total],
          ],
          list: { label: n === 1 ? 'Unpaid fine' : 'Unpaid fines', items: data.items.map((i) => itemLine(lang, i, data.currency)) },
          outro: tail,
        });
  return { sms, ...email };
}
