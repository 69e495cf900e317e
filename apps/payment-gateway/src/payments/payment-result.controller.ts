import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { formatMinor } from '@app/contracts';
import { Public } from '@app/platform';
import { PaymentsService } from './payments.service';

const STATUS_TEXT: Record<string, [string, string]> = {
  PAID: ['تم الدفع بنجاح', 'Payment successful'],
  PENDING: ['الدفع قيد المعالجة', 'Payment in progress'],
  FAILED: ['لم يتم الدفع', 'Payment failed'],
  CANCELLED: ['أُلغي الدفع', 'Payment cancelled'],
  EXPIRED: ['انتهت مهلة الدفع', 'Payment expired'],
  REFUND_REQUIRED: ['تم الدفع وسيُعاد جزء من المبلغ', 'Paid; part will be refunded'],
};

/** Where a bank sends the customer back when the payment had no returnUrl: no personal data shown. */
@ApiExcludeController()
@Public()
@Controller('payment-result')
export class PaymentResultController {
  constructor(private readonly payments: PaymentsService) {}

  @Get()
  async page(@Res() reply: FastifyReply): Promise<void> {
    const query = reply.request.query as { paymentNumber?: string };
    const found = typeof query.paymentNumber === 'string' ? await this.payments.find(query.paymentNumber.slice(0, 20)) : undefined;
    const [ar, en] = found ? (STATUS_TEXT[found.payment.status] ?? ['', found.payment.status]) : ['عملية الدفع غير موجودة', 'Payment not found'];
    const amount = found ? formatMinor(BigInt(found.payment.total_minor), found.payment.currency) : '';
    const html = `<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>${ar} | ${en}</title></head>
<body style="font-family:system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem"><h1>${ar}</h1><p dir="ltr">${en}</p>
${found ? `<p>${found.payment.payment_number} — ${amount} د.ك / KWD ${amount}</p>` : ''}</body></html>`;
    await reply
      .status(found ? 200 : 404)
      .type('text/html; charset=utf-8')
      .send(html);
  }
}
