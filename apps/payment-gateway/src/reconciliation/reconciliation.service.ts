import { Injectable } from '@nestjs/common';
import { parseMinor, toMoney } from '@app/contracts';
import { InjectTransactionHost, TransactionHost } from '@app/persistence';
import { DomainError } from '@app/platform';

export interface SettlementLine {
  line: number;
  bankReference: string;
  paymentNumber: string;
  amountMinor: number;
  currency: string;
  time: string;
}

export interface ReconciliationReport {
  id: string;
  bankCode: string;
  createdAt: string;
  period: { from: string; to: string } | null;
  counts: Record<'matched' | 'unknownHere' | 'unsettledHere' | 'missingAtBank' | 'amountMismatches', number>;
  matched: { paymentNumber: string; bankReference: string; amount: { amount: string; currency: string } }[];
  unknownHere: { line: number; paymentNumber: string; bankReference: string; amount: { amount: string; currency: string } }[];
  unsettledHere: { line: number; paymentNumber: string; statusHere: string; amount: { amount: string; currency: string } }[];
  missingAtBank: { paymentNumber: string; bankReference: string | null; amount: { amount: string; currency: string }; paidAt: string }[];
  amountMismatches: { line: number; paymentNumber: string; atBank: { amount: string; currency: string }; here: { amount: string; currency: string } }[];
}

const invalidFile = (problems: string[]) =>
  new DomainError(
    'payments.reconciliation-file',
    400,
    { ar: 'ملف التسوية غير صحيح', en: 'Invalid settlement file' },
    { ar: `تعذّرت قراءة بعض الأسطر: ${problems.slice(0, 10).join('؛ ')}`, en: `Some lines could not be read: ${problems.slice(0, 10).join('; ')}` },
    { errors: problems.map((message) => ({ field: 'file', message })) },
  );

/** Parses the bank's end-of-day CSV: bank reference, payment number, amount, currency, time. */
export function parseSettlementFile(csv: string): SettlementLine[] {
  const lines = csv.replace(/^\ufeff/, '').split(/\r?\n/);
  const rows: SettlementLine[] = [];
  const problems: string[] = [];
  lines.forEach((text, index) => {
    const line = index + 1;
    if (!text.trim()) return;
    const cells = text.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
    if (index === 0 && !/\d/.test(cells[2] ?? '')) return; // a header row
    if (cells.length !== 5) return problems.push(`line ${line}: expected 5 columns, found ${cells.length}`);
    const [bankReference, paymentNumber, amount, currency, time] = cells;
    let amountMinor: number;
    try {
      amountMinor = parseMinor(amount, currency);
    } catch (error) {
      return problems.push(`line ${line}: ${(error as Error).message}`);
    }
    if (!bankReference || !paymentNumber || Number.isNaN(Date.parse(time))) return problems.push(`line ${line}: missing reference, payment number or time`);
    rows.push({ line, bankReference, paymentNumber, amountMinor, currency, time: new Date(time).toISOString() });
  });
  if (problems.length > 0) throw invalidFile(problems);
  return rows;
}

/**
 * Compares a bank's settlement file with what was settled here, and stores the report: matched,
 * captured by the bank but unknown or unsettled here, settled here but absent from the file, and
 * amounts that differ.
 */
@Injectable()
export class ReconciliationService {
  constructor(@InjectTransactionHost('payment-gateway') private readonly tx: TransactionHost) {}

  async reconcile(bankCode: string, csv: string): Promise<ReconciliationReport> {
    const rows = parseSettlementFile(csv);
    const m = this.tx.manager;
    const payments = await m.query<
      { payment_number: string; status: string; total_minor: string; currency: string; bank_reference: string | null; paid_at: Date | null }[]
    >(`SELECT payment_number, status, total_minor, currency, bank_reference, paid_at FROM payment WHERE payment_number = ANY($1::text[])`, [
      rows.map((r) => r.paymentNumber),
    ]);
    const byNumber = new Map(payments.map((p) => [p.payment_number, p]));
    const report: Omit<ReconciliationReport, 'id' | 'createdAt' | 'counts'> = {
      bankCode,
      period: null,
      matched: [],
      unknownHere: [],
      unsettledHere: [],
      missingAtBank: [],
      amountMismatches: [],
    };
    for (const row of rows) {
      const here = byNumber.get(row.paymentNumber);
      const atBank = toMoney(row.amountMinor, row.currency);
      if (!here) report.unknownHere.push({ line: row.line, paymentNumber: row.paymentNumber, bankReference: row.bankReference, amount: atBank });
      else if (BigInt(here.total_minor) !== BigInt(row.amountMinor) || here.currency !== row.currency)
        report.amountMismatches.push({ line: row.line, paymentNumber: row.paymentNumber, atBank, here: toMoney(BigInt(here.total_minor), here.currency) });
      else if (here.status !== 'PAID' && here.status !== 'REFUND_REQUIRED')
        report.unsettledHere.push({ line: row.line, paymentNumber: row.paymentNumber, statusHere: here.status, amount: atBank });
      else report.matched.push({ paymentNumber: row.paymentNumber, bankReference: row.bankReference, amount: atBank });
    }
    if (rows.length > 0) {
      // The file covers the UTC days of its rows: what this bank settled here on those days must be in it.
      const times = rows.map((r) => r.time).sort();
      const from = `${times[0].slice(0, 10)}T00:00:00.000Z`;
      const to = new Date(Date.parse(`${times[times.length - 1].slice(0, 10)}T00:00:00.000Z`) + 86_400_000).toISOString();
      report.period = { from, to };
      const missing = await m.query<{ payment_number: string; bank_reference: string | null; total_minor: string; currency: string; paid_at: Date }[]>(
        `SELECT payment_number, bank_reference, total_minor, currency, paid_at FROM payment
          WHERE bank_code = $1 AND status IN ('PAID', 'REFUND_REQUIRED') AND paid_at >= $2 AND paid_at < $3 AND NOT (payment_number = ANY($4::text[]))
          ORDER BY paid_at`,
        [bankCode, from, to, rows.map((r) => r.paymentNumber)],
      );
      report.missingAtBank = missing.map((p) => ({
        paymentNumber: p.payment_number,
        bankReference: p.bank_reference,
        amount: toMoney(BigInt(p.total_minor), p.currency),
        paidAt: new Date(p.paid_at).toISOString(),
      }));
    }
    const counts = {
      matched: report.matched.length,
      unknownHere: report.unknownHere.length,
      unsettledHere: report.unsettledHere.length,
      missingAtBank: report.missingAtBank.length,
      amountMismatches: report.amountMismatches.length,
    };
    const [stored] = await m.query<{ id: string; created_at: Date }[]>(
      `INSERT INTO reconciliation_report (bank_code, file_rows, report) VALUES ($1, $2, $3) RETURNING id, created_at`,
      [bankCode, rows.length, JSON.stringify({ ...report, counts })],
    );
    return { id: stored.id, createdAt: new Date(stored.created_at).toISOString(), counts, ...report };
  }

  async find(bankCode: string, id: string): Promise<ReconciliationReport | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    const [row] = await this.tx.manager.query<{ id: string; created_at: Date; report: Omit<ReconciliationReport, 'id' | 'createdAt'> }[]>(
      `SELECT id, created_at, report FROM reconciliation_report WHERE bank_code = $1 AND id = $2`,
      [bankCode, id],
    );
    return row ? { id: row.id, createdAt: new Date(row.created_at).toISOString(), ...row.report } : undefined;
  }
}
