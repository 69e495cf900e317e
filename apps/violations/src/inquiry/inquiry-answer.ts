import { OwnerType, PlateType, toMoney } from '@app/contracts';
import { FineRow, OUTSTANDING, toFineView } from '../fines/fine-view';
import type { InquiryAnswer, InquirySubject } from './dto/inquiry.dto';

export interface VehicleRow {
  plate_type: PlateType;
  plate_number: string;
  make: string | null;
  model: string | null;
}

/** A row of civilIdInquiry: a fine, the person's name, or one of the person's vehicles. */
export type CivilIdRow = ({ part: 'fine' } & FineRow) | { part: 'subject'; name_ar: string; name_en: string | null } | ({ part: 'vehicle' } & VehicleRow);

/** A civil ID's answer from the rows of civilIdInquiry (fines, then the name, then the vehicles, each in their order). */
export function civilIdAnswer(civilId: string, rows: CivilIdRow[]): InquiryAnswer {
  const fines: FineRow[] = [];
  const vehicles: VehicleRow[] = [];
  const subject: InquirySubject = { type: 'PERSON', id: civilId, nameAr: null, nameEn: null };
  for (const row of rows) {
    if (row.part === 'fine') fines.push(row);
    else if (row.part === 'vehicle') vehicles.push(row);
    else {
      subject.nameAr = row.name_ar;
      subject.nameEn = row.name_en;
    }
  }
  return inquiryAnswer(subject, vehicles, fines);
}

/** A row of plateInquiry: a fine, or the plate's vehicle with its current owner. */
export type PlateRow = ({ part: 'fine' } & FineRow) | ({ part: 'vehicle'; owner_type: OwnerType; owner_id: string } & VehicleRow);

/** A plate's answer from the rows of plateInquiry, and who owns the plate now (none when the read model does not know it). */
export function plateAnswer(plateType: PlateType, plateNumber: string, rows: PlateRow[]): { owner?: [OwnerType, string]; answer: InquiryAnswer } {
  const fines: FineRow[] = [];
  let vehicle: VehicleRow = { plate_type: plateType, plate_number: plateNumber, make: null, model: null };
  let owner: [OwnerType, string] | undefined;
  for (const row of rows) {
    if (row.part === 'fine') fines.push(row);
    else {
      vehicle = row;
      owner = [row.owner_type, row.owner_id];
    }
  }
  return { owner, answer: inquiryAnswer({ type: 'PLATE', id: `${plateType}:${plateNumber}` }, [vehicle], fines) };
}

/**
 * An inquiry answer from its rows: each vehicle with its fine count and outstanding amount, the
 * fines, and the totals. Pure, so the bare baseline of bench:inquiry builds exactly the same answer.
 */
export function inquiryAnswer(subject: InquirySubject, vehicles: VehicleRow[], fines: FineRow[]): InquiryAnswer {
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
