import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { toMoney } from '@app/contracts';
import { EventPublisher, InjectEventPublisher } from '@app/messaging';
import { InjectTransactionHost, TransactionHost, isUniqueViolation } from '@app/persistence';
import { PLATFORM_CONFIG, PlatformConfig, Principal } from '@app/platform';
import { NotPayableReason, PaymentsErrors } from '../payments.errors';
import { CreatePaymentDto, PaymentView } from './dto/payment.dto';

interface FineRow {
  fine_number: string;
  amount_minor: number;
  status: string;
  driver_civil_id: string | null;
  owner_type: string | null;
  owner_id: string | null;
  reserved_by: string | null;
}

export interface PaymentRow {
  payment_number: string;
  status: string;
  payer_type: 'CIVIL_ID' | 'COMPANY_NO';
  payer_id: string;
  mobile: string;
  email: string | null;
  language: 'ar' | 'en';
  return_url: string | null;
  total_minor: string;
  currency: string;
  bank_code: string | null;
  bank_reference: string | null;
  expires_at: Date;
  paid_at: Date | null;
}

/** Creating payments: scope, payability, reservations the database guarantees, idempotency. */
@Injectable()
export class PaymentsService {
  constructor(
    @InjectTransactionHost('payment-gateway') private readonly tx: TransactionHost,
    @InjectEventPublisher('payment-gateway') private readonly events: EventPublisher,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  /** Answers the stored answer for a replayed key, or creates the payment and stores its answer. */
  async create(principal: Principal, idempotencyKey: string, dto: CreatePaymentDto): Promise<{ status: number; body: PaymentView }> {
    const requestHash = createHash('sha256').update(JSON.stringify(dto)).digest('hex');
    try {
      return await this.tx.run(async (m) => {
        // Claiming the key first makes a concurrent request with the same key wait for this one.
        const claimed: unknown[] = await m.query(
          `INSERT INTO idempotency_record (principal, idempotency_key, request_hash, status_code, response) VALUES ($1, $2, $3, 0, '{}')
           ON CONFLICT DO NOTHING RETURNING 1`,
          [principal.sub, idempotencyKey, requestHash],
        );
        if (claimed.length === 0) return this.replay(m, principal.sub, idempotencyKey, requestHash);
        const body = await this.reserveFines(m, principal, dto);
        await m.query(`UPDATE idempotency_record SET status_code = 201, response = $3 WHERE principal = $1 AND idempotency_key = $2`, [
          principal.sub,
          idempotencyKey,
          JSON.stringify(body),
        ]);
        return { status: 201, body };
      });
    } catch (error) {
      // Lost a race for a fine to a concurrent payment: the partial unique index said no.
      if (isUniqueViolation(error)) {
        const fines = await this.findFines(this.tx.manager, dto.fineNumbers);
        throw PaymentsErrors.finesNotPayable(
          dto.fineNumbers.filter((n) => fines.get(n)?.reserved_by).map((fineNumber) => ({ fineNumber, reason: 'RESERVED' as const })),
        );
      }
      throw error;
    }
  }

  private async replay(m: EntityManager, principal: string, key: string, requestHash: string): Promise<{ status: number; body: PaymentView }> {
    const [record] = await m.query<{ request_hash: string; status_code: number; response: PaymentView }[]>(
      `SELECT request_hash, status_code, response FROM idempotency_record WHERE principal = $1 AND idempotency_key = $2`,
      [principal, key],
    );
    if (record.request_hash !== requestHash) throw PaymentsErrors.idempotencyKeyReused();
    return { status: record.status_code, body: record.response };
  }

  private async reserveFines(m: EntityManager, principal: Principal, dto: CreatePaymentDto): Promise<PaymentView> {
    this.checkPayer(principal, dto);
    const numbers = [...new Set(dto.fineNumbers)];
    const fines = await this.findFines(m, numbers);
    const refused: { fineNumber: string; reason: NotPayableReason }[] = [];
    for (const fineNumber of numbers) {
      const fine = fines.get(fineNumber);
      const reason: NotPayableReason | undefined = !fine
        ? 'UNKNOWN'
        : !this.inPayerScope(fine, dto)
          ? 'OUT_OF_SCOPE'
          : fine.status === 'PAID'
            ? 'PAID'
            : fine.status === 'CANCELLED'
              ? 'CANCELLED'
              : fine.reserved_by
                ? 'RESERVED'
                : undefined;
      if (reason) refused.push({ fineNumber, reason });
    }
    if (refused.length > 0) throw PaymentsErrors.finesNotPayable(refused);

    const total = numbers.reduce((sum, n) => sum + BigInt(fines.get(n)!.amount_minor), 0n);
    const expiresAt = new Date(Date.now() + this.config.payments.PAYMENT_EXPIRY_MINUTES * 60_000);
    const [{ payment_number: paymentNumber }] = await m.query<{ payment_number: string }[]>(
      `INSERT INTO payment (payment_number, status, payer_type, payer_id, created_by, mobile, email, language, return_url, total_minor, currency, bank_code, expires_at)
       VALUES (to_char(now(), 'YY') || lpad(nextval('payment_number_seq')::text, 11, '0'), 'PENDING', $1, $2, $3, $4, $5, $6, $7, $8, 'KWD', 'sim', $9)
       RETURNING payment_number`,
      [
        dto.payer.idType,
        dto.payer.idNumber,
        principal.sub,
        dto.mobile,
        dto.email ?? null,
        dto.language ?? 'ar',
        dto.returnUrl ?? null,
        total.toString(),
        expiresAt,
      ],
    );
    // In fine order: two payments racing for the same fines then meet on the first, never in a circle.
    const inOrder = [...numbers].sort();
    await m.query(`INSERT INTO payment_item (payment_number, fine_number, amount_minor) SELECT $1, n, a FROM unnest($2::text[], $3::int[]) AS x(n, a)`, [
      paymentNumber,
      inOrder,
      inOrder.map((n) => fines.get(n)!.amount_minor),
    ]);
    const items = numbers.map((n) => ({ fineNumber: n, amountMinor: fines.get(n)!.amount_minor }));
    await this.events.publish('paymentInitiated', paymentNumber, {
      paymentNumber,
      payer: { idType: dto.payer.idType, idNumber: dto.payer.idNumber },
      items,
      totalMinor: Number(total),
      currency: 'KWD',
      expiresAt: expiresAt.toISOString(),
    });
    return {
      paymentNumber,
      status: 'PENDING',
      total: toMoney(total),
      items: items.map((i) => ({ fineNumber: i.fineNumber, amount: toMoney(i.amountMinor) })),
      bankRedirectUrl: `${this.publicBaseUrl()}/bank-sim/${paymentNumber}`,
      expiresAt: expiresAt.toISOString(),
    };
  }

  async find(paymentNumber: string): Promise<{ payment: PaymentRow; items: { fine_number: string; amount_minor: number }[] } | undefined> {
    const [payment] = await this.tx.manager.query<PaymentRow[]>(`SELECT * FROM payment WHERE payment_number = $1`, [paymentNumber]);
    if (!payment) return undefined;
    const items = await this.tx.manager.query<{ fine_number: string; amount_minor: number }[]>(
      `SELECT fine_number, amount_minor FROM payment_item WHERE payment_number = $1 ORDER BY fine_number`,
      [paymentNumber],
    );
    return { payment, items };
  }

  /** A driver pays as themself and a fleet as its company; an admin may pay for anyone. */
  private checkPayer(principal: Principal, dto: CreatePaymentDto): void {
    if (principal.role === 'admin') return;
    const own =
      principal.role === 'driver'
        ? dto.payer.idType === 'CIVIL_ID' && dto.payer.idNumber === principal.civilId
        : dto.payer.idType === 'COMPANY_NO' && dto.payer.idNumber === principal.companyNo;
    if (!own) throw PaymentsErrors.outOfScope();
  }

  private inPayerScope(fine: FineRow, dto: CreatePaymentDto): boolean {
    if (dto.payer.idType === 'CIVIL_ID')
      return (fine.owner_type === 'PERSON' && fine.owner_id === dto.payer.idNumber) || fine.driver_civil_id === dto.payer.idNumber;
    return fine.owner_type === 'COMPANY' && fine.owner_id === dto.payer.idNumber;
  }

  private async findFines(m: EntityManager, fineNumbers: string[]): Promise<Map<string, FineRow>> {
    const rows = await m.query<FineRow[]>(
      `SELECT f.fine_number, f.amount_minor, f.status, f.driver_civil_id, o.owner_type, o.owner_id,
              (SELECT i.payment_number FROM payment_item i WHERE i.fine_number = f.fine_number AND i.reserved) AS reserved_by
         FROM payable_fine f LEFT JOIN plate_owner o ON o.plate_type = f.plate_type AND o.plate_number = f.plate_number
        WHERE f.fine_number = ANY($1::text[])`,
      [fineNumbers],
    );
    return new Map(rows.map((r) => [r.fine_number, r]));
  }

  publicBaseUrl(): string {
    return (this.config.payments.PUBLIC_BASE_URL ?? `http://localhost:${this.config.app.PORT}`).replace(/\/$/, '');
  }
}

export function paymentView(payment: PaymentRow, items: { fine_number: string; amount_minor: number }[]): PaymentView {
  const view: PaymentView = {
    paymentNumber: payment.payment_number,
    status: payment.status,
    total: toMoney(BigInt(payment.total_minor), payment.currency),
    items: items.map((i) => ({ fineNumber: i.fine_number, amount: toMoney(i.amount_minor, payment.currency) })),
  };
  if (payment.bank_reference) view.bankReference = payment.bank_reference;
  if (payment.paid_at) view.paidAt = new Date(payment.paid_at).toISOString();
  if (payment.status === 'PENDING') view.expiresAt = new Date(payment.expires_at).toISOString();
  return view;
}
