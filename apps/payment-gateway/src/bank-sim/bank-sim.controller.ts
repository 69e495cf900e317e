import { Controller, Get, Inject, NotFoundException, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { randomBytes } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { formatMinor } from '@app/contracts';
import { PLATFORM_CONFIG, PlatformConfig, Public, SIM_BANK_SECRET, signBody } from '@app/platform';
import { PaymentNumberParams } from '../payments/dto/payment.dto';
import { PaymentsService } from '../payments/payments.service';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The bank simulator (development and the embedded default; absent in production): a card page
 * with Approve and Decline that posts a signed `sim` callback over HTTP, as a bank gateway would,
 * then sends the browser back to the payment's returnUrl.
 */
@ApiExcludeController()
@Public()
@Controller('bank-sim')
export class BankSimController {
  constructor(
    private readonly payments: PaymentsService,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  @Get(':paymentNumber')
  async page(@Param() params: PaymentNumberParams, @Res() reply: FastifyReply): Promise<void> {
    const found = await this.available(params.paymentNumber);
    const { payment, items } = found;
    const amount = formatMinor(BigInt(payment.total_minor), payment.currency);
    const html = `<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>بنك المحاكاة | Simulated bank</title>
<style>body{font-family:system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:#1d2a3a}h1{font-size:1.3rem}
.amount{font-size:2rem;margin:1rem 0}form{display:inline-block;margin-inline-end:1rem}button{font-size:1.1rem;padding:.6rem 1.6rem;border-radius:.4rem;border:0;cursor:pointer}
.approve{background:#1a7f37;color:#fff}.decline{background:#c62828;color:#fff}small{color:#667}</style></head><body>
<h1>بنك المحاكاة — Simulated bank</h1>
<p>رقم عملية الدفع / Payment number: <strong>${escape(payment.payment_number)}</strong> (${escape(payment.status)})</p>
<p class="amount">${escape(amount)} د.ك — KWD ${escape(amount)}</p>
<p>${finesInArabic(items.length)} / ${items.length === 1 ? '1 fine' : `${items.length} fines`}: ${items.map((i) => escape(i.fine_number)).join(', ')}</p>
<form method="post" action="/bank-sim/${escape(payment.payment_number)}/approve"><button class="approve" type="submit">موافقة Approve</button></form>
<form method="post" action="/bank-sim/${escape(payment.payment_number)}/decline"><button class="decline" type="submit">رفض Decline</button></form>
<p><small>For development only: no card is charged.</small></p></body></html>`;
    await reply.type('text/html; charset=utf-8').send(html);
  }

  @Post(':paymentNumber/approve')
  async approve(@Param() params: PaymentNumberParams, @Res() reply: FastifyReply): Promise<void> {
    await this.decide(params.paymentNumber, 'CAPTURED', reply);
  }

  @Post(':paymentNumber/decline')
  async decline(@Param() params: PaymentNumberParams, @Res() reply: FastifyReply): Promise<void> {
    await this.decide(params.paymentNumber, 'DECLINED', reply);
  }

  private async decide(paymentNumber: string, result: 'CAPTURED' | 'DECLINED', reply: FastifyReply): Promise<void> {
    const { payment } = await this.available(paymentNumber);
    const body = JSON.stringify({
      paymentNumber,
      bankReference: `SIM${randomBytes(6).toString('hex').toUpperCase()}`,
      result,
      amount: formatMinor(BigInt(payment.total_minor), payment.currency),
      currency: payment.currency,
      occurredAt: new Date().toISOString(),
    });
    const response = await fetch(`http://127.0.0.1:${this.config.app.PORT}/v1/bank-callbacks/sim`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-bank-signature': signBody(SIM_BANK_SECRET, body) },
      body,
    });
    const target = payment.return_url ?? '/payment-result';
    const separator = target.includes('?') ? '&' : '?';
    await reply
      .status(303)
      .header('location', `${target}${separator}paymentNumber=${paymentNumber}&result=${response.ok ? result : 'ERROR'}`)
      .send();
  }

  private async available(paymentNumber: string) {
    if (this.config.app.NODE_ENV === 'production') throw new NotFoundException();
    const found = await this.payments.find(paymentNumber);
    if (!found) throw new NotFoundException();
    return found;
  }
}

/** `مخالفة واحدة`, `مخالفتان`, `3 مخالفات` ... `11 مخالفة`: the count as Arabic says it. */
function finesInArabic(n: number): string {
  if (n === 1) return 'مخالفة واحدة';
  if (n === 2) return 'مخالفتان';
  return n % 100 >= 3 && n % 100 <= 10 ? `${n} مخالفات` : `${n} مخالفة`;
}
