import { PlateType, formatMinor } from '@app/contracts';
import { FineStatus } from './fine.entity';
import { FineView } from './dto/fine.dto';

/** The columns every fine query selects, joined with its violation type. */
export const FINE_COLUMNS = `f.fine_number, f.status, f.plate_type, f.plate_number, f.violation_code, vt.title_ar, vt.title_en, vt.points,
  f.occurred_at, f.location_ar, f.location_en, f.lat, f.lng, f.amount_minor, f.currency, f.driver_civil_id, f.issued_at, f.paid_at, f.payment_number`;

export interface FineRow {
  fine_number: string;
  status: FineStatus;
  plate_type: PlateType;
  plate_number: string;
  violation_code: string;
  title_ar: string;
  title_en: string;
  points: number;
  occurred_at: Date;
  location_ar: string;
  location_en: string | null;
  lat: number | null;
  lng: number | null;
  amount_minor: number;
  currency: string;
  driver_civil_id: string | null;
  issued_at: Date;
  paid_at: Date | null;
  payment_number: string | null;
}

export function toFineView(row: FineRow): FineView {
  const location: FineView['location'] = { textAr: row.location_ar };
  if (row.location_en) location.textEn = row.location_en;
  if (row.lat !== null) location.lat = row.lat;
  if (row.lng !== null) location.lng = row.lng;
  const view: FineView = {
    fineNumber: row.fine_number,
    status: row.status,
    violation: { code: row.violation_code, titleAr: row.title_ar, titleEn: row.title_en, points: row.points },
    plate: { plateNumber: row.plate_number, plateType: row.plate_type },
    occurredAt: row.occurred_at.toISOString(),
    location,
    amount: { amount: formatMinor(row.amount_minor, row.currency), currency: row.currency },
    issuedAt: row.issued_at.toISOString(),
  };
  if (row.driver_civil_id) view.driverCivilId = row.driver_civil_id;
  if (row.paid_at) view.paidAt = row.paid_at.toISOString();
  if (row.payment_number) view.paymentNumber = row.payment_number;
  return view;
}

export const OUTSTANDING: FineStatus[] = ['UNPAID', 'PAYMENT_PENDING'];
