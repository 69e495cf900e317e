import { Controller, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { RawBodyRequest } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { plainToInstance } from 'class-transformer';
import { IsIn, IsISO8601, IsString, Length, validateSync } from 'class-validator';
import { parseMinor } from '@app/contracts';
import { InjectTransactionHost, TransactionHost } from '@app/persistence';
import { DomainError, PLATFORM_CONFIG, PlatformConfig, Public, bankSecrets, knetTerminals } from '@app/platform';
import { verifySignature } from './bank-signature';
import { PaymentsService } from '../payments/payments.service';
import { decryptTrandata, knetOutcome } from './knet.adapter';
import { BankOutcome, SettlementResult, SettlementService } from './settlement.service';

export class BankCallbackBody {
  @IsString() @Length(1, 20) paymentNumber!: string;
  @IsString() @Length(1, 100) bankReference!: string;
  @IsIn(['CAPTURED', 'DECLINED', 'CANCELLED']) result!: 'CAPTURED' | 'DECLINED' | 'CANCELLED';
  @IsString() amount!: string;
  @IsString() @Length(3, 3) currency!: string;
  @IsISO8601() occurredAt!: string;
}

const text = (en: string, ar: string) => ({ en, ar });

interface ReceivedCallback {
  bankCode: string;
  signature: string | null;
  raw: string;
}

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
 * Bank gateways post here. Every callback is stored as received before anything else, then its
 * signature is checked over the raw bytes, then it is applied. Duplicates answer 200 and change nothing.
 */
@ApiTags('bank callbacks')
@Controller('v1/bank-callbacks')
export class BankCallbacksController {
  private readonly secrets: Map<string, string>;
  private readonly knet: Map<string, string>;

  constructor(
    @InjectTransactionHost('payment-gateway') private readonly tx: TransactionHost,
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
        await this.store(received, 401, 'knet-undecryptable');
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
      await this.store(received, 401, `signature-${check.reason}`);
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
      await this.store(received, 400, 'malformed');
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

  /**
   * Applies a verified callback and stores it, with its fate, in the same transaction: a callback
   * answered 200 is never settled without its record, nor recorded without its settlement. If the
   * transaction fails, the callback is stored on its own as an error and the bank gets a 5xx, so it
   * sends it again.
   */
  private async settle(received: ReceivedCallback, outcome: BankOutcome, body: BankCallbackBody): Promise<void> {
    let result: SettlementResult;
    try {
      result = await this.tx.run(async () => {
        const applied = await this.settlement.apply(outcome);
        const [status, fate] =
          applied === 'NOT_FOUND' ? [404, 'unknown-payment'] : applied === 'AMOUNT_MISMATCH' ? [409, 'amount-mismatch'] : [200, applied.toLowerCase()];
        await this.store(received, status, fate, body);
        return applied;
      });
    } catch (error) {
      await this.store(received, 500, 'error', body).catch(() => undefined);
      throw error;
    }
    if (result === 'NOT_FOUND') throw REFUSALS.notFound(body.paymentNumber);
    if (result === 'AMOUNT_MISMATCH') throw REFUSALS.mismatch();
  }

  /** Every callback as received (header and raw body), with the status it was answered and why. */
  private async store(received: ReceivedCallback, status: number, outcome: string, body?: BankCallbackBody): Promise<void> {
    await this.tx.manager.query(
      `INSERT INTO bank_callback (bank_code, signature_header, raw_body, http_status, outcome, payment_number, bank_reference, result)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        received.bankCode,
        received.signature,
        received.raw,
        status,
        outcome,
        body?.paymentNumber?.slice(0, 20) ?? null,
        body?.bankReference?.slice(0, 100) ?? null,
        body?.result ?? null,
      ],
    );
  }

  private async resultPage(paymentNumber: string): Promise<string> {
    const base = (await this.payments.find(paymentNumber))?.payment.return_url ?? `${this.payments.publicBaseUrl()}/payment-result`;
    return `${base}${base.includes('?') ? '&' : '?'}paymentNumber=${encodeURIComponent(paymentNumber)}`;
  }
}
