import type { FineRow } from '../fines/fine-view';
import { PlateRow, plateAnswer } from './inquiry-answer';

function aFine(fineNumber: string, status: FineRow['status'], amountMinor: number): { part: 'fine' } & FineRow {
  return {
    part: 'fine',
    fine_number: fineNumber,
    status,
    plate_type: 'PRIVATE',
    plate_number: '12345',
    violation_code: 'RED_LIGHT',
    title_ar: 'تجاوز الإشارة الحمراء',
    title_en: 'Running a red light',
    points: 4,
    occurred_at: new Date('2026-11-01T08:00:00Z'),
    location_ar: 'الدائري الرابع',
    location_en: 'Fourth Ring Road',
    lat: null,
    lng: null,
    amount_minor: amountMinor,
    currency: 'KWD',
    driver_civil_id: null,
    issued_at: new Date('2026-11-01T08:05:00Z'),
    paid_at: null,
    payment_number: null,
  };
}

describe('a plate’s answer from its one statement’s rows', () => {
  const vehicle: PlateRow = {
    part: 'vehicle',
    plate_type: 'PRIVATE',
    plate_number: '12345',
    make: 'Toyota',
    model: 'Land Cruiser',
    owner_type: 'PERSON',
    owner_id: '288020122596',
  };

  it('counts the fines, sums what is outstanding to the fils, and names the current owner', () => {
    const rows = [aFine('F-1', 'UNPAID', 50_000), aFine('F-2', 'PAYMENT_PENDING', 20_500), aFine('F-3', 'PAID', 10_000), vehicle];
    const { owner, answer } = plateAnswer('PRIVATE', '12345', rows);
    expect(owner).toEqual(['PERSON', '288020122596']);
    expect(answer.subject).toEqual({ type: 'PLATE', id: 'PRIVATE:12345' });
    expect(answer.vehicles).toEqual([
      { plateNumber: '12345', plateType: 'PRIVATE', make: 'Toyota', model: 'Land Cruiser', fineCount: 3, outstanding: { amount: '70.500', currency: 'KWD' } },
    ]);
    expect(answer.fines.map((f) => f.fineNumber)).toEqual(['F-1', 'F-2', 'F-3']);
    expect(answer.totals).toEqual({ count: 3, outstanding: { amount: '70.500', currency: 'KWD' } });
  });

  it('a plate the read model does not know has no owner, and its vehicle no make or model', () => {
    const { owner, answer } = plateAnswer('TAXI', '777', [{ ...aFine('F-9', 'UNPAID', 15_000), plate_type: 'TAXI', plate_number: '777' }]);
    expect(owner).toBeUndefined();
    expect(answer.vehicles).toEqual([
      { plateNumber: '777', plateType: 'TAXI', make: null, model: null, fineCount: 1, outstanding: { amount: '15.000', currency: 'KWD' } },
    ]);
  });
});
