import { Controller, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { RawBodyRequest } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { plainToInstance } from 'class-transformer';
import { IsIn, IsISO8601, IsString, Length, validateSync } from 'class-validator';
import { parseMinor } from '@app/contracts';
import { DomainError, PLATFORM_CONFIG, PlatformConfig, Public, bankSecrets, knetTerminals, verifySignature } from '@app/platform';
import { PaymentsService } from '../payments/payments.service';
import { decryptTrandata, knetOutcome } from './knet.adapter';
import { BankOutcome, ReceivedCallback, SettlementService } from './settlement.service';

export class BankCallbackBody {
  @IsString() @Length(1, 20) paymentNumber!: string;
  @IsString() @Length(1, 100) bankReference!: string;
  @IsIn(['CAPTURED', 'DECLINED', 'CANCELLED']) result!: 'CAPTURED' | 'DECLINED' | 'CANCELLED';
  @IsString() amount!: string;
  @IsString() @Length(3, 3) currency!: string;
  @IsISO8601() occurredAt!: string;
}

const text = (en: string, ar: string) => ({ en, ar });

const REFUSALS = {
  signature: () =>
    new DomainError(
      'payments.callback-signature',
      401,
      text('Invalid signature', 'توقيع غير صالح'),
      text('The X-Bank-Signature header is missing, malformed, stale or wrongly keyed.', 'ترويسة التوقيع مفقودة أو غير صحيحة أو منتهية.'),
    ),
  body: (why: string) =>
    new DomainError(
      'payments.callback-body',
      400,
      text('Invalid callback', 'إشعار غير صالح'),
      text(`The callback body does not parse: ${why}.`, 'تعذّرت قراءة نص الإشعار.'),
    ),
  notFound: (n: string) =>
    new DomainError(
      'payments.payment-not-found',
      404,
      text('Payment not found', 'عملية الدفع غير موجودة'),
      text(`No payment has number ${n}.`, `لا توجد عملية دفع بالرقم ${n}.`),
    ),
  mismatch: () =>
    new DomainError(
      'payments.amount-mismatch',
      409,
      text('Amount mismatch', 'المبلغ غير مطابق'),
      text(
        'The amount or currency differs from the payment; recorded for reconciliation, nothing settled.',
        'المبلغ أو العملة لا يطابقان عملية الدفع؛ سُجّل الإشعار ولم تتم التسوية.',
      ),
    ),
};

/**
 * Bank gateways post here. The signature is checked over the raw bytes, then the callback is applied
 * (SettlementService). Every callback is stored as received with the status it was answered and why:
 * a refused one on its own, a valid one in the transaction that applies it. Duplicates answer 200
 * and change nothing.
 */
@ApiTags('bank callbacks')
@Controller('v1/bank-callbacks')
export class BankCallbacksController {
  private readonly secrets: Map<string, string>;
  private readonly knet: Map<string, string>;

  constructor(
    private readonly settlement: SettlementService,
    private readonly payments: PaymentsService,
    @Inject(PLATFORM_CONFIG) config: PlatformConfig,
  ) {
    this.secrets = bankSecrets(config);
    this.knet = knetTerminals(config);
  }

  @Post(':bankCode')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'A bank reports a capture, decline or cancellation. Signed: X-Bank-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.rawBody">.' })
  @ApiBody({ type: BankCallbackBody })
  @ApiOkResponse({ schema: { example: { status: 'accepted' } } })
  async receive(
    @Param('bankCode') bankCode: string,
    @Req() request: RawBodyRequest<FastifyRequest>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ status: 'accepted' } | string> {
    const raw = request.rawBody ?? Buffer.alloc(0);
    const header = request.headers['x-bank-signature'];
    const received: ReceivedCallback = {
      bankCode: bankCode.slice(0, 40),
      signature: typeof header === 'string' ? header.slice(0, 300) : null,
      raw: raw.toString('utf8'),
    };

    const knetKey = this.knet.get(bankCode);
    if (knetKey) {
      let outcome: BankOutcome;
      try {
        outcome = knetOutcome(bankCode, decryptTrandata(new URLSearchParams(received.raw).get('trandata') ?? '', knetKey));
      } catch {
        await this.settlement.record(received, 401, 'knet-undecryptable');
        throw REFUSALS.signature();
      }
      const body = { paymentNumber: outcome.paymentNumber, bankReference: outcome.bankReference, result: outcome.result } as BankCallbackBody;
      await this.settle(received, outcome, body);
      // KNET wants a plain-text acknowledgement naming the page it sends the customer to.
      void reply.type('text/plain; charset=utf-8');
      return `REDIRECT=${await this.resultPage(outcome.paymentNumber)}`;
    }

    const check = verifySignature(received.signature ?? undefined, raw, this.secrets.get(bankCode));
    if (!check.ok) {
      await this.settlement.record(received, 401, `signature-${check.reason}`);
      throw REFUSALS.signature();
    }
    let body: BankCallbackBody;
    let amountMinor: number;
    try {
      body = plainToInstance(BankCallbackBody, JSON.parse(received.raw) as object);
      const errors = validateSync(body);
      if (errors.length > 0) throw new Error(errors.map((e) => e.property).join(', '));
      amountMinor = parseMinor(body.amount, body.currency);
    } catch (error) {
      await this.settlement.record(received, 400, 'malformed');
      throw REFUSALS.body((error as Error).message);
    }
    await this.settle(
      received,
      {
        bankCode,
        paymentNumber: body.paymentNumber,
        bankReference: body.bankReference,
        result: body.result,
        amountMinor,
        currency: body.currency,
        occurredAt: body.occurredAt,
      },
      body,
    );
    return { status: 'accepted' };
  }

  /** Applies a verified callback, stored with its fate in the same transaction; refuses what it must. */
  private async settle(received: ReceivedCallback, outcome: BankOutcome, body: BankCallbackBody): Promise<void> {
    const result = await this.settlement.settle(outcome, { ...received, said: body });
    if (result === 'NOT_FOUND') throw REFUSALS.notFound(body.paymentNumber);
    if (result === 'AMOUNT_MISMATCH') throw REFUSALS.mismatch();
  }

  private async resultPage(paymentNumber: string): Promise<string> {
    const base = (await this.payments.find(paymentNumber))?.payment.return_url ?? `${this.payments.publicBaseUrl()}/payment-result`;
    return `${base}${base.includes('?') ? '&' : '?'}paymentNumber=${encodeURIComponent(paymentNumber)}`;
  }
}
