import { completeCivilId } from '@app/contracts';

let serial = 0;

/** A valid civil ID, different on each call: born 1990-01-01 onwards, with a correct check digit. */
export function aCivilId(): string {
  for (;;) {
    serial++;
    const id = completeCivilId(`2900101${String(10000 + (serial % 90000)).slice(1)}`);
    if (id) return id;
  }
}

let plate = 1000;
export function aPlateNumber(): string {
  plate++;
  return String(100000 + plate);
}

export function aPerson(overrides: Record<string, unknown> = {}) {
  return {
    civilId: aCivilId(),
    nameAr: 'سارة أحمد العنزي',
    nameEn: 'Sara Ahmad Al-Enezi',
    mobile: '+96599112233',
    email: 'sara@example.com',
    language: 'ar',
    ...overrides,
  };
}

export function aVehicle(ownerId: string, overrides: Record<string, unknown> = {}) {
  return {
    plateNumber: aPlateNumber(),
    plateType: 'PRIVATE',
    owner: { type: 'PERSON', id: ownerId },
    make: 'Toyota',
    model: 'Land Cruiser',
    year: 2022,
    color: 'White',
    ...overrides,
  };
}

let ref = 0;
export function aFine(plateNumber: string, overrides: Record<string, unknown> = {}) {
  ref++;
  return {
    externalRef: `CAM-TEST-${process.pid}-${Date.now()}-${ref}`,
    plateNumber,
    plateType: 'PRIVATE',
    violationCode: 'RED-LIGHT',
    occurredAt: new Date(Date.now() - ref * 60_000).toISOString(),
    location: { textAr: 'شارع الخليج العربي، الشرق', textEn: 'Arabian Gulf Street, Sharq', lat: 29.383, lng: 47.99 },
    source: { type: 'CAMERA', id: 'CAM-0412' },
    ...overrides,
  };
}
