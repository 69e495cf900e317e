import type { Principal } from '@app/platform';
import { OwnedFineRow, mayRead } from './fine-access';

const DRIVER = '288020122596';
const OWNER = '285010112358';

function fine(owner: Pick<OwnedFineRow, 'owner_type' | 'owner_id'>, driver: string | null = null): OwnedFineRow {
  return {
    fine_number: '26000000017',
    status: 'UNPAID',
    plate_type: 'PRIVATE',
    plate_number: '12345',
    violation_code: 'RED-LIGHT',
    title_ar: 'تجاوز الإشارة الضوئية الحمراء',
    title_en: 'Running a red light',
    points: 4,
    occurred_at: new Date('2026-11-01T08:00:00Z'),
    location_ar: 'الدائري الخامس',
    location_en: null,
    lat: null,
    lng: null,
    amount_minor: 150000,
    currency: 'KWD',
    driver_civil_id: driver,
    issued_at: new Date('2026-11-01T08:00:00Z'),
    paid_at: null,
    payment_number: null,
    ...owner,
  };
}

const driver = (civilId?: string): Principal => ({ sub: 'd', role: 'driver', civilId });
const fleet = (companyNo?: string): Principal => ({ sub: 'f', role: 'fleet', companyNo });

describe('who may read a fine', () => {
  const personal = fine({ owner_type: 'PERSON', owner_id: OWNER }, DRIVER);
  const company = fine({ owner_type: 'COMPANY', owner_id: '100001' });

  it('staff always, whoever owns the plate', () => {
    for (const role of ['admin', 'officer', 'clerk'] as const) {
      expect(mayRead(personal, { sub: role, role })).toBe(true);
      expect(mayRead(fine({ owner_type: null, owner_id: null }), { sub: role, role })).toBe(true);
    }
  });

  it('the plate’s owner now, a person or a company', () => {
    expect(mayRead(personal, driver(OWNER))).toBe(true);
    expect(mayRead(company, fleet('100001'))).toBe(true);
  });

  it('the driver who was driving someone else’s plate', () => {
    expect(mayRead(personal, driver(DRIVER))).toBe(true);
    expect(mayRead(company, driver(DRIVER))).toBe(false);
  });

  it('no one else: another person, another company, a company with the person’s number, a token without its number', () => {
    expect(mayRead(personal, driver('299123456789'))).toBe(false);
    expect(mayRead(company, fleet('100002'))).toBe(false);
    expect(mayRead(fine({ owner_type: 'PERSON', owner_id: '100001' }), fleet('100001'))).toBe(false);
    expect(mayRead(fine({ owner_type: 'PERSON', owner_id: OWNER }), driver())).toBe(false);
    expect(mayRead(fine({ owner_type: null, owner_id: null }), driver())).toBe(false);
    expect(mayRead(fine({ owner_type: null, owner_id: null }), fleet('100001'))).toBe(false);
  });
});
