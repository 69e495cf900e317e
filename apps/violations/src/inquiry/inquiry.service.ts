import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { OwnerType, PlateType, toMoney } from '@app/contracts';
import { InjectTransactionHost, TransactionHost } from '@app/persistence';
import { FineStatus } from '../fines/fine.entity';
import { FINE_COLUMNS, FineRow, OUTSTANDING, toFineView } from '../fines/fine-view';
import { InquiryAnswer, InquirySubject, InquiryVehicle, PagedInquiryAnswer } from './dto/inquiry.dto';

interface VehicleRow {
  plate_type: PlateType;
  plate_number: string;
  make: string | null;
  model: string | null;
}

const ORDER = 'ORDER BY occurred_at DESC, fine_number DESC';
const CSV_PLATES_PER_CHUNK = 500;

/**
 * Fines by civil ID, plate or company, answered from violations' own tables: its fines and its read
 * model of who owns each plate. No call leaves the service on this path.
 */
@Injectable()
export class InquiryService {
  constructor(@InjectTransactionHost('violations') private readonly tx: TransactionHost) {}

  /** Fines on the plates a person owns, and fines where the person was the driver. */
  async byCivilId(civilId: string, statuses: FineStatus[]): Promise<InquiryAnswer> {
    const m = this.tx.manager;
    const [fines, vehicles, subject] = await Promise.all([
      m.query<FineRow[]>(
        `SELECT * FROM (
           SELECT ${FINE_COLUMNS} FROM fine f
             JOIN plate_ownership p ON p.plate_type = f.plate_type AND p.plate_number = f.plate_number
             JOIN violation_type vt ON vt.code = f.violation_code
            WHERE p.owner_type = 'PERSON' AND p.owner_id = $1 AND f.status = ANY($2)
           UNION
           SELECT ${FINE_COLUMNS} FROM fine f JOIN violation_type vt ON vt.code = f.violation_code
            WHERE f.driver_civil_id = $1 AND f.status = ANY($2)
         ) x ${ORDER}`,
        [civilId, statuses],
      ),
      this.ownedVehicles('PERSON', civilId),
      this.subject('PERSON', civilId),
    ]);
    return this.answer(subject, vehicles, fines);
  }

  async byPlate(plateType: PlateType, plateNumber: string, statuses: FineStatus[]): Promise<InquiryAnswer> {
    const m = this.tx.manager;
    const [fines, vehicles] = await Promise.all([
      m.query<FineRow[]>(
        `SELECT ${FINE_COLUMNS} FROM fine f JOIN violation_type vt ON vt.code = f.violation_code
          WHERE f.plate_type = $1 AND f.plate_number = $2 AND f.status = ANY($3) ${ORDER}`,
        [plateType, plateNumber, statuses],
      ),
      m.query<VehicleRow[]>(`SELECT plate_type, plate_number, make, model FROM plate_ownership WHERE plate_type = $1 AND plate_number = $2`, [
        plateType,
        plateNumber,
      ]),
    ]);
    const known = vehicles.length > 0 ? vehicles : [{ plate_type: plateType, plate_number: plateNumber, make: null, model: null }];
    return this.answer({ type: 'PLATE', id: `${plateType}:${plateNumber}` }, known, fines);
  }

  /** One page of a company's fines; totals and vehicles cover every matching fine, not only the page. */
  async byCompany(companyNo: string, statuses: FineStatus[], page: number, pageSize: number, plateNumber?: string): Promise<PagedInquiryAnswer> {
    const m = this.tx.manager;
    const where = `p.owner_type = 'COMPANY' AND p.owner_id = $1 AND f.status = ANY($2) AND ($3::text IS NULL OR f.plate_number = $3)`;
    const params = [companyNo, statuses, plateNumber ?? null];
    const [fines, perVehicle, subject] = await Promise.all([
      m.query<FineRow[]>(
        `SELECT ${FINE_COLUMNS} FROM fine f
           JOIN plate_ownership p ON p.plate_type = f.plate_type AND p.plate_number = f.plate_number
           JOIN violation_type vt ON vt.code = f.violation_code
          WHERE ${where} ORDER BY f.occurred_at DESC, f.fine_number DESC LIMIT $4 OFFSET $5`,
        [...params, pageSize, (page - 1) * pageSize],
      ),
      m.query<(VehicleRow & { fine_count: number; outstanding: string })[]>(
        `SELECT p.plate_type, p.plate_number, p.make, p.model, count(*)::int AS fine_count,
                coalesce(sum(f.amount_minor) FILTER (WHERE f.status IN ('UNPAID', 'PAYMENT_PENDING')), 0)::bigint AS outstanding
           FROM fine f JOIN plate_ownership p ON p.plate_type = f.plate_type AND p.plate_number = f.plate_number
          WHERE ${where} GROUP BY p.plate_type, p.plate_number, p.make, p.model ORDER BY p.plate_type, p.plate_number`,
        params,
      ),
      this.subject('COMPANY', companyNo),
    ]);
    const vehicles: InquiryVehicle[] = perVehicle.map((v) => ({
      plateNumber: v.plate_number,
      plateType: v.plate_type,
      make: v.make,
      model: v.model,
      fineCount: v.fine_count,
      outstanding: toMoney(BigInt(v.outstanding)),
    }));
    const totalItems = vehicles.reduce((n, v) => n + v.fineCount, 0);
    const outstanding = perVehicle.reduce((sum, v) => sum + BigInt(v.outstanding), 0n);
    return {
      subject,
      vehicles,
      fines: fines.map(toFineView),
      totals: { count: totalItems, outstanding: toMoney(outstanding) },
      page,
      pageSize,
      totalItems,
    };
  }

  /**
   * Every matching fine of a company as CSV, plate by plate in chunks of plates: memory stays flat
   * whatever the fleet's size, and no database connection is held while a slow client reads (with
   * PGlite's single connection, that would stop every other request and event).
   */
  companyCsv(companyNo: string, statuses: FineStatus[], plateNumber?: string): Readable {
    return Readable.from(this.companyCsvChunks(companyNo, statuses, plateNumber), { objectMode: false });
  }

  private async *companyCsvChunks(companyNo: string, statuses: FineStatus[], plateNumber?: string): AsyncGenerator<string> {
    yield `\ufeff${CSV_HEADER}\r\n`;
    let after: [string, string] = ['', ''];
    for (;;) {
      const plates = await this.tx.manager.query<{ plate_type: string; plate_number: string }[]>(
        `SELECT plate_type, plate_number FROM plate_ownership
          WHERE owner_type = 'COMPANY' AND owner_id = $1 AND ($2::text IS NULL OR plate_number = $2) AND (plate_type, plate_number) > ($3, $4)
          ORDER BY plate_type, plate_number LIMIT ${CSV_PLATES_PER_CHUNK}`,
        [companyNo, plateNumber ?? null, ...after],
      );
      if (plates.length === 0) return;
      const fines = await this.tx.manager.query<FineRow[]>(
        `SELECT ${FINE_COLUMNS} FROM unnest($1::text[], $2::text[]) AS p(plate_type, plate_number)
           JOIN fine f ON f.plate_type = p.plate_type AND f.plate_number = p.plate_number
           JOIN violation_type vt ON vt.code = f.violation_code
          WHERE f.status = ANY($3)
          ORDER BY f.plate_type, f.plate_number, f.occurred_at DESC, f.fine_number DESC`,
        [plates.map((p) => p.plate_type), plates.map((p) => p.plate_number), statuses],
      );
      if (fines.length > 0) yield fines.map(csvLine).join('');
      const last = plates[plates.length - 1];
      after = [last.plate_type, last.plate_number];
    }
  }

  private async ownedVehicles(ownerType: OwnerType, ownerId: string): Promise<VehicleRow[]> {
    return this.tx.manager.query(
      `SELECT plate_type, plate_number, make, model FROM plate_ownership WHERE owner_type = $1 AND owner_id = $2 ORDER BY plate_type, plate_number`,
      [ownerType, ownerId],
    );
  }

  private async subject(type: OwnerType, id: string): Promise<InquirySubject> {
    const [row]: { name_ar: string; name_en: string | null }[] = await this.tx.manager.query(
      `SELECT name_ar, name_en FROM owner_name WHERE owner_type = $1 AND owner_id = $2`,
      [type, id],
    );
    return { type, id, nameAr: row?.name_ar ?? null, nameEn: row?.name_en ?? null };
  }

  private answer(subject: InquirySubject, vehicles: VehicleRow[], fines: FineRow[]): InquiryAnswer {
    const byPlate = new Map<string, { count: number; outstanding: bigint }>();
    let outstanding = 0n;
    for (const fine of fines) {
      const key = `${fine.plate_type}:${fine.plate_number}`;
      const entry = byPlate.get(key) ?? { count: 0, outstanding: 0n };
      entry.count++;
      if (OUTSTANDING.includes(fine.status)) {
        entry.outstanding += BigInt(fine.amount_minor);
        outstanding += BigInt(fine.amount_minor);
      }
      byPlate.set(key, entry);
    }
    return {
      subject,
      vehicles: vehicles.map((v) => {
        const entry = byPlate.get(`${v.plate_type}:${v.plate_number}`);
        return {
          plateNumber: v.plate_number,
          plateType: v.plate_type,
          make: v.make,
          model: v.model,
          fineCount: entry?.count ?? 0,
          outstanding: toMoney(entry?.outstanding ?? 0n),
        };
      }),
      fines: fines.map(toFineView),
      totals: { count: fines.length, outstanding: toMoney(outstanding) },
    };
  }
}

export const CSV_HEADER =
  'fineNumber,status,plateType,plateNumber,violationCode,violationEn,violationAr,occurredAt,locationAr,locationEn,amount,currency,issuedAt,paidAt,paymentNumber';

function field(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  // Quote everything that could break a row; defuse spreadsheet formulas.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== value ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function csvLine(row: FineRow): string {
  const money = toMoney(row.amount_minor, row.currency);
  return (
    [
      row.fine_number,
      row.status,
      row.plate_type,
      row.plate_number,
      row.violation_code,
      field(row.title_en),
      field(row.title_ar),
      new Date(row.occurred_at).toISOString(),
      field(row.location_ar),
      field(row.location_en),
      money.amount,
      money.currency,
      new Date(row.issued_at).toISOString(),
      row.paid_at ? new Date(row.paid_at).toISOString() : '',
      field(row.payment_number),
    ].join(',') + '\r\n'
  );
}
