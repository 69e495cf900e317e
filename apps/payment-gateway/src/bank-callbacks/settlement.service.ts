import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { PaymentEnded, PaymentSucceeded } from '@app/contracts';
import { EventPublisher, InjectEventPublisher } from '@app/messaging';
import { InjectTransactionHost, TransactionHost, isTransientFault } from '@app/persistence';
import { currentTraceId, newTraceId } from '@app/platform';
import { PaymentRow } from '../payments/payments.service';

export interface BankOutcome {
  bankCode: string;
  paymentNumber: string;
  bankReference: string;
  result: 'CAPTURED' | 'DECLINED' | 'CANCELLED';
  amountMinor: number;
  currency: string;
  occurredAt: string;
}

/** A callback as it arrived: stored with its fate, whatever that is. */
export interface ReceivedCallback {
  bankCode: string;
  signature: string | null;
  raw: string;
  /** What it says, once it parsed. */
  said?: { paymentNumber: string; bankReference: string; result: string };
}

export type SettlementResult = 'SETTLED' | 'REFUND_REQUIRED' | 'FAILED' | 'CANCELLED' | 'DUPLICATE' | 'IGNORED' | 'NOT_FOUND' | 'AMOUNT_MISMATCH';

interface ItemRow {
  fine_number: string;
  amount_minor: number;
  status: string;
  paid_by_payment: string | null;
}

type Locked = PaymentRow & { items: ItemRow[] };

interface Pending {
  outcome: BankOutcome;
  received: ReceivedCallback;
  traceId?: string;
  resolve: (result: SettlementResult) => void;
  reject: (error: unknown) => void;
}

/** What a batch of callbacks (or the expiry job) does to payments, written set-based at the end. */
class Changes {
  readonly payments = new Map<string, { status: string; bankCode: string | null; bankReference: string | null; paidAt: string | null }>();
  readonly paidFines = new Map<string, string>();
  readonly released = new Set<string>();
  readonly events: { name: 'paymentSucceeded' | 'paymentEnded'; aggregateId: string; payload: PaymentSucceeded | PaymentEnded; traceId?: string }[] = [];
}

interface CallbackRecord {
  received: ReceivedCallback;
  status: number;
  fate: string;
}

/** Callbacks' records inserted from eight arrays, the first of them parameter `$first`. */
const RECORD_TYPES = ['text', 'text', 'text', 'int', 'text', 'text', 'text', 'text'];
const RECORDS_INSERT = (first: number) =>
  `INSERT INTO bank_callback (bank_code, signature_header, raw_body, http_status, outcome, payment_number, bank_reference, result)
   SELECT * FROM unnest(${RECORD_TYPES.map((type, i) => `$${first + i}::${type}[]`).join(', ')})`;

function recordColumns(records: CallbackRecord[]): unknown[] {
  return [
    records.map((r) => r.received.bankCode),
    records.map((r) => r.received.signature),
    records.map((r) => r.received.raw),
    records.map((r) => r.status),
    records.map((r) => r.fate),
    records.map((r) => r.received.said?.paymentNumber.slice(0, 20) ?? null),
    records.map((r) => r.received.said?.bankReference.slice(0, 100) ?? null),
    records.map((r) => r.received.said?.result ?? null),
  ];
}

const HTTP_STATUS: Partial<Record<SettlementResult, number>> = { NOT_FOUND: 404, AMOUNT_MISMATCH: 409 };
const FATE: Partial<Record<SettlementResult, string>> = { NOT_FOUND: 'unknown-payment', AMOUNT_MISMATCH: 'amount-mismatch' };
/**
 * Callbacks applied in one transaction at most; transactions in flight at once. One at a time makes
 * the batches larger (every callback that arrives while it runs goes in the next), so a callback
 * costs fewer statements; a second one in flight took the few that arrived meanwhile and, under
 * load, raised the CPU spent per callback and the latency with it (bench:payments).
 */
const MAX_BATCH = 200;
const MAX_IN_FLIGHT = 1;
/**
 * How long a batch that is not full waits for more callbacks before it starts. Under load the
 * batches grow from about 7 callbacks to about 15, and a callback costs less of the gateway's and
 * PostgreSQL's CPU: 1,029 -> 1,172 callbacks/s at saturation in bench:payments (2 ms: 1,103). A
 * lone callback is answered that much later.
 */
const LINGER_MS = 4;

/**
 * What a bank's answer does to a payment, whichever adapter it came through.
 *
 * Callbacks that arrive while a transaction is running are applied together in the next one (group
 * commit): the payments and their fines locked in one statement (in payment and fine order, so
 * transactions never deadlock), each callback decided in arrival order against what the ones before
 * it did (a duplicate sees the first one's result and changes nothing), then every change, event and
 * callback record written set-based, and one commit. A batch that is not full waits LINGER_MS first.
 * If a batch fails, its callbacks are applied one by one, so one bad callback fails alone.
 */
@Injectable()
export class SettlementService {
  private readonly logger = new Logger(SettlementService.name);
  private readonly queue: Pending[] = [];
  private inFlight = 0;
  private lingerTimer?: NodeJS.Timeout;

  constructor(
    @InjectTransactionHost('payment-gateway') private readonly tx: TransactionHost,
    @InjectEventPublisher('payment-gateway') private readonly events: EventPublisher,
  ) {}

  /** Applies a verified callback and stores it with its fate, committed together; answers the fate. */
  settle(outcome: BankOutcome, received: ReceivedCallback): Promise<SettlementResult> {
    // A batch runs in the context of the caller that starts it: inside a transaction it would join
    // that transaction, with other callers' callbacks in it.
    if (this.tx.inTransaction) return Promise.reject(new Error('SettlementService.settle() must not be called inside a transaction'));
    return new Promise((resolve, reject) => {
      this.queue.push({ outcome, received, traceId: currentTraceId(), resolve, reject });
      this.drain();
    });
  }

  /** Stores a callback that is refused before it reaches a payment (bad signature, body that does not parse). */
  async record(received: ReceivedCallback, status: number, fate: string): Promise<void> {
    await this.insertRecords(this.tx.manager, [{ received, status, fate }]);
  }

  /** Starts a batch when one can run: at once when it is full, else once it has lingered. */
  private drain(): void {
    if (this.queue.length === 0 || this.inFlight >= MAX_IN_FLIGHT) return;
    if (this.queue.length >= MAX_BATCH) return this.startBatches();
    this.lingerTimer ??= setTimeout(() => {
      this.lingerTimer = undefined;
      this.startBatches();
    }, LINGER_MS);
  }

  private startBatches(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      this.inFlight++;
      this.applyBatch(batch)
        .catch((error: unknown) => {
          // applyBatch answers every callback itself; this is the last guard, so none is left hanging.
          this.logger.error({ err: String(error) }, 'callback batch failed unexpectedly');
          for (const p of batch) p.reject(error);
        })
        .finally(() => {
          this.inFlight--;
          this.drain();
        });
    }
  }

  /**
   * One transaction for the batch. A database fault (deadlock, lost connection) retries the batch
   * once, then fails it whole: the banks get a 5xx and send again. Any other failure comes from one
   * of its callbacks: then each is applied alone, so only that one fails.
   */
  private async applyBatch(batch: Pending[], retried = false): Promise<void> {
    let results: SettlementResult[];
    try {
      results = await this.tx.run((m) => this.apply(m, batch));
    } catch (error) {
      if (isTransientFault(error) && !retried) return this.applyBatch(batch, true);
      if (batch.length > 1 && !isTransientFault(error)) {
        this.logger.warn({ err: String(error), size: batch.length }, 'callback batch failed; applying its callbacks one by one');
        for (const p of batch) await this.applyBatch([p], retried);
        return;
      }
      this.logger.warn({ err: String(error), size: batch.length }, 'callback batch failed; the banks will send again');
      await this.insertRecords(
        this.tx.manager,
        batch.map((p) => ({ received: p.received, status: 500, fate: 'error' })),
      ).catch(() => undefined);
      for (const p of batch) p.reject(error);
      return;
    }
    batch.forEach((p, i) => p.resolve(results[i]));
  }

  private async apply(m: EntityManager, batch: Pending[]): Promise<SettlementResult[]> {
    const locked = await this.lock(m, [...new Set(batch.map((p) => p.outcome.paymentNumber))]);
    const fines = new Map<string, ItemRow>();
    for (const payment of locked.values()) for (const item of payment.items) fines.set(item.fine_number, { ...item });
    const changes = new Changes();
    const results = batch.map((p) => this.decide(locked.get(p.outcome.paymentNumber), fines, p.outcome, changes, p.traceId));
    await this.write(
      m,
      changes,
      batch.map((p, i) => ({ received: p.received, status: HTTP_STATUS[results[i]] ?? 200, fate: FATE[results[i]] ?? results[i].toLowerCase() })),
    );
    return results;
  }

  /**
   * The payments, each with its items and their fines, locked for this transaction: all the payments
   * first (f reads p, so p is complete before any fine is locked), then the fines, each in order, so
   * two batches never wait on each other in a circle.
   */
  private async lock(m: EntityManager, paymentNumbers: string[]): Promise<Map<string, Locked>> {
    const rows = await m.query<Locked[]>(
      `WITH p AS (SELECT * FROM payment WHERE payment_number = ANY($1::text[]) ORDER BY payment_number FOR UPDATE),
            f AS (SELECT i.payment_number, i.fine_number, i.amount_minor, f.status, f.paid_by_payment
                    FROM payment_item i JOIN payable_fine f ON f.fine_number = i.fine_number
                   WHERE i.payment_number IN (SELECT payment_number FROM p) ORDER BY f.fine_number FOR UPDATE OF f)
       SELECT p.*, coalesce((SELECT json_agg(f ORDER BY f.fine_number) FROM f WHERE f.payment_number = p.payment_number), '[]') AS items FROM p`,
      [paymentNumbers],
    );
    return new Map(rows.map((r) => [r.payment_number, r]));
  }

  /** One callback against the state the callbacks before it left. */
  private decide(payment: Locked | undefined, fines: Map<string, ItemRow>, outcome: BankOutcome, changes: Changes, traceId?: string): SettlementResult {
    if (!payment) return 'NOT_FOUND';
    if (BigInt(payment.total_minor) !== BigInt(outcome.amountMinor) || payment.currency !== outcome.currency) return 'AMOUNT_MISMATCH';
    if (payment.status === 'PAID' || payment.status === 'REFUND_REQUIRED') return 'DUPLICATE';
    if (outcome.result === 'CAPTURED') return this.capture(payment, fines, outcome, changes, traceId);
    if (payment.status !== 'PENDING') return payment.status === 'FAILED' || payment.status === 'CANCELLED' ? 'DUPLICATE' : 'IGNORED';
    const status = outcome.result === 'DECLINED' ? 'FAILED' : 'CANCELLED';
    this.end(payment, status, changes, traceId);
    return status;
  }

  /**
   * Money was captured: settle every fine of the payment that is still unpaid, even after expiry.
   * A fine another payment already settled, or one cancelled meanwhile, makes this one REFUND_REQUIRED.
   */
  private capture(payment: Locked, fines: Map<string, ItemRow>, outcome: BankOutcome, changes: Changes, traceId?: string): SettlementResult {
    const settle = payment.items.filter((i) => {
      const fine = fines.get(i.fine_number)!;
      return fine.status === 'UNPAID' || (fine.status === 'PAID' && fine.paid_by_payment === payment.payment_number);
    });
    // Paid by another payment, or cancelled while this one was pending: the money goes back.
    const paidElsewhere = payment.items.length - settle.length;
    const status = paidElsewhere > 0 ? 'REFUND_REQUIRED' : 'PAID';
    for (const item of settle) {
      Object.assign(fines.get(item.fine_number)!, { status: 'PAID', paid_by_payment: payment.payment_number });
      changes.paidFines.set(item.fine_number, payment.payment_number);
    }
    payment.status = status;
    changes.released.add(payment.payment_number);
    changes.payments.set(payment.payment_number, { status, bankCode: outcome.bankCode, bankReference: outcome.bankReference, paidAt: outcome.occurredAt });
    changes.events.push({
      name: 'paymentSucceeded',
      aggregateId: payment.payment_number,
      traceId,
      payload: {
        paymentNumber: payment.payment_number,
        items: settle.map((i) => ({ fineNumber: i.fine_number, amountMinor: i.amount_minor })),
        totalMinor: Number(payment.total_minor),
        currency: payment.currency,
        bankCode: outcome.bankCode,
        bankReference: outcome.bankReference,
        paidAt: new Date(outcome.occurredAt).toISOString(),
        payer: { idType: payment.payer_type, idNumber: payment.payer_id },
        mobile: payment.mobile,
        email: payment.email,
        language: payment.language,
      },
    });
    if (paidElsewhere > 0)
      this.logger.warn(
        { paymentNumber: payment.payment_number, notPayable: paidElsewhere },
        'captured payment has fines paid elsewhere or cancelled: refund required',
      );
    return status === 'PAID' ? 'SETTLED' : 'REFUND_REQUIRED';
  }

  /** Ends a pending payment without money: its fines are released. */
  private end(payment: PaymentRow & { items: { fine_number: string; amount_minor: number }[] }, status: string, changes: Changes, traceId?: string): void {
    payment.status = status;
    changes.released.add(payment.payment_number);
    changes.payments.set(payment.payment_number, { status, bankCode: null, bankReference: null, paidAt: null });
    changes.events.push({
      name: 'paymentEnded',
      aggregateId: payment.payment_number,
      traceId,
      payload: {
        paymentNumber: payment.payment_number,
        outcome: status as PaymentEnded['outcome'],
        items: payment.items.map((i) => ({ fineNumber: i.fine_number, amountMinor: i.amount_minor })),
        payer: { idType: payment.payer_type, idNumber: payment.payer_id },
        mobile: payment.mobile,
        language: payment.language,
      },
    });
  }

  /** Expires pending payments (locked by the caller): their fines are released, each with payment.ended. */
  async expire(m: EntityManager, payments: PaymentRow[]): Promise<void> {
    if (payments.length === 0) return;
    const items = await m.query<{ payment_number: string; fine_number: string; amount_minor: number }[]>(
      `SELECT payment_number, fine_number, amount_minor FROM payment_item WHERE payment_number = ANY($1::text[]) ORDER BY fine_number`,
      [payments.map((p) => p.payment_number)],
    );
    const changes = new Changes();
    for (const payment of payments)
      this.end({ ...payment, items: items.filter((i) => i.payment_number === payment.payment_number) }, 'EXPIRED', changes, newTraceId());
    await this.write(m, changes);
  }

  /**
   * Every change of a batch, the callbacks' records and the batch's events (in decision order) in
   * one statement.
   */
  private async write(m: EntityManager, changes: Changes, records: CallbackRecord[] = []): Promise<void> {
    if (changes.payments.size === 0) {
      if (records.length > 0) await this.insertRecords(m, records);
      return;
    }
    const payments = [...changes.payments.entries()];
    const fines = [...changes.paidFines.entries()];
    // $1-$8 are the changes, then the callbacks' records, then the events.
    const recordsAt = 9;
    const outbox = this.events.stage(changes.events, recordsAt + RECORD_TYPES.length);
    await m.query(
      `WITH fines AS (
              UPDATE payable_fine f SET status = 'PAID', paid_by_payment = v.payment_number
                FROM unnest($1::text[], $2::text[]) AS v(fine_number, payment_number) WHERE f.fine_number = v.fine_number RETURNING 1),
            items AS (UPDATE payment_item SET reserved = false WHERE payment_number = ANY($3::text[]) AND reserved RETURNING 1),
            paid AS (
              UPDATE payment p SET status = v.status, bank_code = coalesce(v.bank_code, p.bank_code), bank_reference = coalesce(v.bank_reference, p.bank_reference),
                                   paid_at = coalesce(v.paid_at, p.paid_at), ended_at = now()
                FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[]) AS v(payment_number, status, bank_code, bank_reference, paid_at)
               WHERE p.payment_number = v.payment_number RETURNING 1),
            callbacks AS (${RECORDS_INSERT(recordsAt)} RETURNING 1),
            events AS (${outbox.sql} RETURNING 1)
       SELECT (SELECT count(*) FROM fines) AS fines, (SELECT count(*) FROM items) AS items, (SELECT count(*) FROM paid) AS paid,
              (SELECT count(*) FROM callbacks) AS callbacks, (SELECT count(*) FROM events) AS events`,
      [
        fines.map(([n]) => n),
        fines.map(([, p]) => p),
        [...changes.released],
        payments.map(([n]) => n),
        payments.map(([, c]) => c.status),
        payments.map(([, c]) => c.bankCode),
        payments.map(([, c]) => c.bankReference),
        payments.map(([, c]) => c.paidAt),
        ...recordColumns(records),
        ...outbox.params,
      ],
    );
  }

  private async insertRecords(m: EntityManager, records: CallbackRecord[]): Promise<void> {
    await m.query(RECORDS_INSERT(1), recordColumns(records));
  }
}
