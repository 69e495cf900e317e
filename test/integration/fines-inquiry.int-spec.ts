import { EmbeddedTestApp, eventually, startEmbedded } from '../support/embedded-app';
import { aCivilId, aFine, aPerson, aPlateNumber, aVehicle } from '../support/factories';
import { bearer } from '../support/tokens';
import { InquiryReadModel1763800600000, PLATE_FINE_SUMMARY_DRIFT } from '../../apps/violations/src/migrations/1763800600000-inquiry-read-model';
import { FINE_OWNER_DRIFT, FinesByOwner1763800700000 } from '../../apps/violations/src/migrations/1763800700000-fines-by-owner';
import { COMPANY_FINE_TOTALS_DRIFT, CompanyFineTotals1763800800000 } from '../../apps/violations/src/migrations/1763800800000-company-fine-totals';
import { CoveringOwnerIndexes1763800900000 } from '../../apps/violations/src/migrations/1763800900000-covering-owner-indexes';
import { CompanyTotalsFold } from '../../apps/violations/src/inquiry/company-totals.fold';
import { InquiryService } from '../../apps/violations/src/inquiry/inquiry.service';
import type { Pool } from 'pg';
import { CSV_PLATES_PER_CHUNK } from '../../apps/violations/src/inquiry/inquiry.queries';

/** RFC 4180 fields: a quoted field may hold commas, line breaks and doubled quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') quoted = !quoted;
    else if (!quoted && c === ',') {
      row.push(field);
      field = '';
    } else if (!quoted && c === '\r' && text[i + 1] === '\n') {
      rows.push([...row, field]);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field || row.length > 0) rows.push([...row, field]);
  return rows;
}

describe('fines and inquiry on the embedded default', () => {
  let sut: EmbeddedTestApp;
  let clerk: string;
  let officer: string;
  let admin: string;

  beforeAll(async () => {
    sut = await startEmbedded();
    [clerk, officer, admin] = await Promise.all([bearer('clerk'), bearer('officer'), bearer('admin')]);
  });

  afterAll(async () => {
    await sut.close();
  });

  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, authorization: string, payload?: object, headers: Record<string, string> = {}) =>
    sut.app.inject({ method, url, payload, headers: { authorization, ...headers } });

  /** A person with one vehicle, known to violations' read model. */
  async function anOwnerWithVehicle() {
    const person = aPerson();
    expect((await call('POST', '/v1/persons', clerk, person)).statusCode).toBe(201);
    const vehicle = aVehicle(person.civilId);
    expect((await call('POST', '/v1/vehicles', clerk, vehicle)).statusCode).toBe(201);
    await eventually(
      async () => (await sut.dataSource('violations').query('SELECT 1 FROM plate_ownership WHERE plate_number = $1', [vehicle.plateNumber])).length > 0,
      30000,
      'ownership',
    );
    return { civilId: person.civilId, plateNumber: vehicle.plateNumber, driver: await bearer('driver', { civilId: person.civilId }) };
  }

  async function recordFine(plateNumber: string, overrides: Record<string, unknown> = {}) {
    const response = await call('POST', '/v1/fines', officer, aFine(plateNumber, overrides));
    expect(response.statusCode).toBe(201);
    return response.json();
  }

  it('the catalogue has at least 25 violation types in Arabic and English with amounts and points', async () => {
    const response = await call('GET', '/v1/violation-types', await bearer('driver', { civilId: aCivilId() }));
    expect(response.statusCode).toBe(200);
    const types = response.json();
    expect(types.length).toBeGreaterThanOrEqual(25);
    expect(types.find((t: { code: string }) => t.code === 'RED-LIGHT')).toEqual({
      code: 'RED-LIGHT',
      titleAr: 'تجاوز الإشارة الضوئية الحمراء',
      titleEn: 'Running a red light',
      amount: { amount: '150.000', currency: 'KWD' },
      points: 4,
    });
  });

  it('an officer records a fine; the same externalRef again answers 200 with the same fine', async () => {
    const { plateNumber } = await anOwnerWithVehicle();
    const body = aFine(plateNumber, { driverCivilId: '٢٨٨٠٢٠١٢٢٥٩٦' });
    const first = await call('POST', '/v1/fines', officer, body);
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({
      status: 'UNPAID',
      amount: { amount: '150.000', currency: 'KWD' },
      driverCivilId: '288020122596',
      plate: { plateNumber, plateType: 'PRIVATE' },
    });
    expect(first.json().fineNumber).toMatch(/^\d{11}$/);
    const again = await call('POST', '/v1/fines', officer, body);
    expect(again.statusCode).toBe(200);
    expect(again.json().fineNumber).toBe(first.json().fineNumber);
    const outbox = await sut
      .dataSource('violations')
      .query(`SELECT count(*) FROM outbox_message WHERE envelope->'payload'->>'fineNumber' = $1`, [first.json().fineNumber]);
    expect(Number(outbox[0].count)).toBe(1);
  });

  it('an unknown violation code is refused with 422', async () => {
    const response = await call('POST', '/v1/fines', officer, aFine('1234', { violationCode: 'FLYING' }), { 'accept-language': 'ar' });
    expect(response.statusCode).toBe(422);
    expect(response.json().title).toBe('نوع المخالفة غير معروف');
  });

  it('only officers record fines', async () => {
    expect((await call('POST', '/v1/fines', clerk, aFine('1234'))).statusCode).toBe(403);
  });

  it('a driver sees the fines of the plates they own and those where they drove, with totals', async () => {
    const owner = await anOwnerWithVehicle();
    await recordFine(owner.plateNumber, { violationCode: 'SEAT-BELT' });
    await recordFine(owner.plateNumber, { violationCode: 'NO-PARK' });
    const other = await anOwnerWithVehicle();
    await recordFine(other.plateNumber, { violationCode: 'PHONE', driverCivilId: owner.civilId });
    await recordFine(other.plateNumber, { violationCode: 'PHONE' });

    const response = await call('GET', `/v1/inquiry/civil-id/${owner.civilId}`, owner.driver);
    expect(response.statusCode).toBe(200);
    const answer = response.json();
    expect(answer.subject).toMatchObject({ type: 'PERSON', id: owner.civilId, nameAr: 'سارة أحمد العنزي' });
    expect(answer.fines.map((f: { violation: { code: string } }) => f.violation.code).sort()).toEqual(['NO-PARK', 'PHONE', 'SEAT-BELT']);
    expect(answer.totals).toEqual({ count: 3, outstanding: { amount: '120.000', currency: 'KWD' } });
    expect(answer.vehicles).toEqual([
      {
        plateNumber: owner.plateNumber,
        plateType: 'PRIVATE',
        make: 'Toyota',
        model: 'Land Cruiser',
        fineCount: 2,
        outstanding: { amount: '45.000', currency: 'KWD' },
      },
    ]);
  });

  it('inquiries keep answering when the embedded database’s connection is replaced (its one session keeps what a connection prepared)', async () => {
    const owner = await anOwnerWithVehicle();
    await recordFine(owner.plateNumber);
    const inquire = () => call('GET', `/v1/inquiry/civil-id/${owner.civilId}`, owner.driver);
    const before = await inquire();
    expect(before.statusCode).toBe(200);
    // The pool drops its connection (as after an idle timeout) and opens a new socket to the same PGlite session; pglite-socket
    // may refuse the very first one while it closes the old (EPIPE), as it did before prepared statements.
    const pool = (sut.dataSource('violations').driver as unknown as { master: Pool }).master;
    const client = await pool.connect();
    client.release(new Error('dropped by the test'));
    await eventually(async () => (await inquire()).statusCode === 200, 10000, 'an inquiry on the new connection');
    for (let i = 0; i < 3; i++) {
      const after = await inquire();
      expect(after.statusCode).toBe(200);
      expect(after.json()).toEqual(before.json());
    }
  });

  it('a driver cannot read another person’s fines, and an officer cannot use the civil ID inquiry', async () => {
    const owner = await anOwnerWithVehicle();
    const stranger = await bearer('driver', { civilId: aCivilId() });
    expect((await call('GET', `/v1/inquiry/civil-id/${owner.civilId}`, stranger)).statusCode).toBe(403);
    expect((await call('GET', `/v1/inquiry/civil-id/${owner.civilId}`, officer)).statusCode).toBe(403);
    expect((await call('GET', `/v1/inquiry/civil-id/${owner.civilId}`, admin)).statusCode).toBe(200);
  });

  it('the plate inquiry answers the owner and admin, newest fine first, and 403 to anyone else', async () => {
    const owner = await anOwnerWithVehicle();
    const older = await recordFine(owner.plateNumber, { occurredAt: new Date(Date.now() - 3 * 86_400_000).toISOString() });
    const newer = await recordFine(owner.plateNumber, { occurredAt: new Date(Date.now() - 86_400_000).toISOString() });
    const arabicPlate = owner.plateNumber.replace(/\d/g, (d) => String.fromCharCode(0x0660 + Number(d)));
    const mine = await call('GET', `/v1/inquiry/plate/PRIVATE/${encodeURIComponent(arabicPlate)}`, owner.driver);
    expect(mine.statusCode).toBe(200);
    expect(mine.json().fines.map((f: { fineNumber: string }) => f.fineNumber)).toEqual([newer.fineNumber, older.fineNumber]);
    expect(mine.json().totals).toEqual({ count: 2, outstanding: { amount: '300.000', currency: 'KWD' } });
    expect((await call('GET', `/v1/inquiry/plate/PRIVATE/${owner.plateNumber}`, admin)).statusCode).toBe(200);
    const stranger = await bearer('driver', { civilId: aCivilId() });
    expect((await call('GET', `/v1/inquiry/plate/PRIVATE/${owner.plateNumber}`, stranger)).statusCode).toBe(403);
    expect((await call('GET', `/v1/inquiry/plate/PRIVATE/${owner.plateNumber}`, await bearer('fleet', { companyNo: '1' }))).statusCode).toBe(403);
  });

  it('a plate the registry never told violations of: its fines to admin, with no make or model; 403 to a driver', async () => {
    const plateNumber = aPlateNumber(); // never registered
    await recordFine(plateNumber);
    const answer = await call('GET', `/v1/inquiry/plate/PRIVATE/${plateNumber}`, admin);
    expect(answer.statusCode).toBe(200);
    expect(answer.json().vehicles).toEqual([
      { plateNumber, plateType: 'PRIVATE', make: null, model: null, fineCount: 1, outstanding: { amount: '150.000', currency: 'KWD' } },
    ]);
    expect((await call('GET', `/v1/inquiry/plate/PRIVATE/${plateNumber}`, await bearer('driver', { civilId: aCivilId() }))).statusCode).toBe(403);
  });

  it('status filters: UNPAID by default, ALL shows cancelled fines too', async () => {
    const owner = await anOwnerWithVehicle();
    const kept = await recordFine(owner.plateNumber);
    const cancelled = await recordFine(owner.plateNumber);
    const cancel = await call('POST', `/v1/fines/${cancelled.fineNumber}/cancellation`, officer, { reason: 'Duplicate capture' });
    expect(cancel.statusCode).toBe(200);
    expect(cancel.json().status).toBe('CANCELLED');

    const unpaid = (await call('GET', `/v1/inquiry/civil-id/${owner.civilId}`, owner.driver)).json();
    expect(unpaid.fines.map((f: { fineNumber: string }) => f.fineNumber)).toEqual([kept.fineNumber]);
    const all = (await call('GET', `/v1/inquiry/civil-id/${owner.civilId}?status=ALL`, owner.driver)).json();
    expect(all.fines).toHaveLength(2);
    expect(all.totals.outstanding.amount).toBe('150.000');
    expect((await call('GET', `/v1/inquiry/civil-id/${owner.civilId}?status=EVERYTHING`, owner.driver)).statusCode).toBe(400);
  });

  describe('the inquiry routes’ parameters', () => {
    const arabicDigits = (digits: string) => digits.replace(/\d/g, (d) => String.fromCharCode(0x0660 + Number(d)));
    const problem = (response: { statusCode: number; headers: Record<string, unknown>; json: () => unknown }) => {
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      return response.json() as { code: string; title: string; errors: { field: string; message: string }[] };
    };

    it('a civil ID typed with Arabic-Indic digits, spaces and dashes is the same person', async () => {
      const owner = await anOwnerWithVehicle();
      await recordFine(owner.plateNumber);
      const typed = arabicDigits(`${owner.civilId.slice(0, 4)} ${owner.civilId.slice(4, 8)}-${owner.civilId.slice(8)}`);
      const answer = await call('GET', `/v1/inquiry/civil-id/${encodeURIComponent(typed)}`, owner.driver);
      expect(answer.statusCode).toBe(200);
      expect(answer.json()).toEqual((await call('GET', `/v1/inquiry/civil-id/${owner.civilId}`, owner.driver)).json());
      expect(answer.json().subject.id).toBe(owner.civilId);
    });

    it('a civil ID with a wrong check digit is a validation problem in the caller’s language, before the scope check', async () => {
      const valid = aCivilId();
      const wrongCheck = `${valid.slice(0, 11)}${(Number(valid[11]) + 1) % 10}`;
      const driver = await bearer('driver', { civilId: valid });
      const ar = problem(await call('GET', `/v1/inquiry/civil-id/${wrongCheck}`, driver, undefined, { 'accept-language': 'ar' }));
      expect(ar).toMatchObject({ code: 'validation', title: 'بيانات غير صحيحة' });
      expect(ar.errors).toEqual([{ field: 'civilId', message: 'الرقم المدني غير صحيح: يجب أن يتكون من 12 رقمًا وأن يكون رقم التحقق صحيحًا' }]);
      // With a bad status besides, only the path is named: it is checked first, as the route's pipes did.
      const en = problem(await call('GET', `/v1/inquiry/civil-id/12345?status=NONE`, admin));
      expect(en.errors).toEqual([{ field: 'civilId', message: 'must be a valid 12-digit civil ID with a correct check digit' }]);
    });

    it('a status outside UNPAID, PAID and ALL, or given twice, is refused; an unknown query parameter is ignored', async () => {
      const owner = await anOwnerWithVehicle();
      for (const query of ['status=EVERYTHING', 'status=unpaid', 'status=', 'status=PAID&status=ALL']) {
        const answer = problem(await call('GET', `/v1/inquiry/civil-id/${owner.civilId}?${query}`, owner.driver));
        expect(answer.errors).toEqual([{ field: 'status', message: 'is not one of the allowed values' }]);
      }
      const plate = problem(
        await call('GET', `/v1/inquiry/plate/PRIVATE/${owner.plateNumber}?status=NONE`, owner.driver, undefined, { 'accept-language': 'ar' }),
      );
      expect(plate.errors).toEqual([{ field: 'status', message: 'القيمة غير مسموح بها' }]);
      const ignored = await call('GET', `/v1/inquiry/civil-id/${owner.civilId}?status=ALL&colour=red`, owner.driver);
      expect(ignored.statusCode).toBe(200);
    });

    it('a plate type or plate number that cannot be is named in the problem, each field once', async () => {
      expect(problem(await call('GET', '/v1/inquiry/plate/CAR/123', admin)).errors).toEqual([
        { field: 'plateType', message: 'is not one of the allowed values' },
      ]);
      expect(problem(await call('GET', '/v1/inquiry/plate/PRIVATE/12345678', admin)).errors).toEqual([
        { field: 'plateNumber', message: 'must be a plate number of 1 to 7 digits' },
      ]);
      expect(problem(await call('GET', '/v1/inquiry/plate/private/12a', admin, undefined, { 'accept-language': 'ar' })).errors).toEqual([
        { field: 'plateType', message: 'القيمة غير مسموح بها' },
        { field: 'plateNumber', message: 'رقم اللوحة غير صحيح: من 1 إلى 7 أرقام' },
      ]);
    });
  });

  describe('a fleet', () => {
    const companyNo = '٧٧٠٠ ١٢';
    let fleet: string;
    const plates: string[] = [];

    beforeAll(async () => {
      expect(
        (await call('POST', '/v1/companies', clerk, { companyNo, nameAr: 'شركة الخليج للنقل', nameEn: 'Gulf Transport Co.', language: 'ar' })).statusCode,
      ).toBe(201);
      fleet = await bearer('fleet', { companyNo: '770012' });
      for (let i = 0; i < 3; i++) {
        const vehicle = aVehicle('770012', { owner: { type: 'COMPANY', id: '770012' }, plateType: 'TRUCK' });
        expect((await call('POST', '/v1/vehicles', clerk, vehicle)).statusCode).toBe(201);
        plates.push(vehicle.plateNumber);
      }
      await eventually(
        async () => (await sut.dataSource('violations').query(`SELECT 1 FROM plate_ownership WHERE owner_id = '770012'`)).length === 3,
        30000,
        'fleet ownership',
      );
      for (const plate of plates) for (let j = 0; j < 3; j++) await recordFine(plate, { plateType: 'TRUCK', violationCode: 'OVERLOAD' });
    });

    it('pages through its fines with totals over all of them', async () => {
      const page = (await call('GET', '/v1/inquiry/company/770012?page=2&pageSize=4', fleet)).json();
      expect(page).toMatchObject({ page: 2, pageSize: 4, totalItems: 9, totals: { count: 9, outstanding: { amount: '450.000', currency: 'KWD' } } });
      expect(page.fines).toHaveLength(4);
      expect(page.subject).toMatchObject({ type: 'COMPANY', id: '770012', nameEn: 'Gulf Transport Co.' });
      const last = (await call('GET', '/v1/inquiry/company/770012?page=3&pageSize=4', fleet)).json();
      expect(last.fines).toHaveLength(1);
      const onePlate = (await call('GET', `/v1/inquiry/company/770012?plateNumber=${plates[0]}`, fleet)).json();
      expect(onePlate.totalItems).toBe(3);
    });

    it('refuses page sizes over 500 and pages below 1', async () => {
      expect((await call('GET', '/v1/inquiry/company/770012?pageSize=501', fleet)).statusCode).toBe(400);
      expect((await call('GET', '/v1/inquiry/company/770012?page=0', fleet)).statusCode).toBe(400);
    });

    it('streams every fine as CSV with Accept: text/csv', async () => {
      const response = await call('GET', '/v1/inquiry/company/770012', fleet, undefined, { accept: 'text/csv' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toContain('text/csv');
      const lines = response.body
        .replace(/^\ufeff/, '')
        .trim()
        .split('\r\n');
      expect(lines[0]).toMatch(/^fineNumber,status,plateType,plateNumber,violationCode/);
      expect(lines).toHaveLength(10);
      expect(lines[1]).toContain(',UNPAID,TRUCK,');
      expect(lines[1]).toContain('تحميل المركبة بأكثر من الحمولة المقررة');
      expect(lines[1]).toContain(',50.000,KWD,');
    });

    it('cannot read another company', async () => {
      expect((await call('GET', '/v1/inquiry/company/770013', fleet)).statusCode).toBe(403);
      expect((await call('GET', '/v1/inquiry/company/770012', await bearer('driver', { civilId: aCivilId() }))).statusCode).toBe(403);
    });
  });

  describe('a fleet’s pages, CSV and counts', () => {
    const companyNo = '770021';
    const buyerNo = '770022';
    let fleet: string;
    /** Plates in the order the answers list them (all TRUCK, so by number). */
    let plates: string[] = [];
    const expected = new Map<string, { fineNumber: string; plate: string; occurredAt: string }>();

    type Fine = { fineNumber: string; status: string; plate: { plateNumber: string }; occurredAt: string; issuedAt: string; amount: { amount: string } };
    type Vehicle = { plateNumber: string; fineCount: number; outstanding: { amount: string } };
    type Page = { fines: Fine[]; vehicles: Vehicle[]; totals: { count: number; outstanding: { amount: string } }; totalItems: number; vehiclesTotal: number };
    const company = async (no: string, query = ''): Promise<Page> => {
      const response = await call('GET', `/v1/inquiry/company/${no}${query}`, no === companyNo ? fleet : admin);
      expect(response.statusCode).toBe(200);
      return response.json();
    };
    /**
     * How many plates the read model gets wrong against the fines and plate_ownership, how many fines carry another owner than their
     * plate's, and how many companies' totals differ from their plates'.
     */
    const summaryDrift = async (): Promise<number> => {
      let drift = 0;
      for (const query of [PLATE_FINE_SUMMARY_DRIFT, FINE_OWNER_DRIFT, COMPANY_FINE_TOTALS_DRIFT]) {
        const [{ v }] = await sut.dataSource('violations').query<{ v: number }[]>(query);
        drift += v;
      }
      return drift;
    };
    /** A company's CSV download, each line as its fields by column name, in its order. */
    const csvRecords = async (no: string, query = '?status=ALL'): Promise<Record<string, string>[]> => {
      const response = await call('GET', `/v1/inquiry/company/${no}${query}`, await bearer('fleet', { companyNo: no }), undefined, { accept: 'text/csv' });
      expect(response.statusCode).toBe(200);
      const [header, ...rows] = parseCsv(response.body.replace(/^\ufeff/, ''));
      return rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i]])));
    };
    /** The fine numbers of a company's CSV download, in its order. */
    const csvFines = async (no: string, query = '?status=ALL'): Promise<string[]> => (await csvRecords(no, query)).map((r) => r.fineNumber);
    const pageFines = async (no: string, query = '?status=ALL'): Promise<string[]> =>
      (await company(no, `${query}&pageSize=500`)).fines.map((f) => f.fineNumber);
    const registerTruck = async (owner: string) => {
      const vehicle = aVehicle(owner, { owner: { type: 'COMPANY', id: owner }, plateType: 'TRUCK' });
      expect((await call('POST', '/v1/vehicles', clerk, vehicle)).statusCode).toBe(201);
      await eventually(
        async () =>
          (await sut.dataSource('violations').query('SELECT 1 FROM plate_ownership WHERE plate_number = $1 AND owner_id = $2', [vehicle.plateNumber, owner]))
            .length > 0,
        30000,
        'the truck in the ownership read model',
      );
      return vehicle.plateNumber;
    };

    beforeAll(async () => {
      for (const no of [companyNo, buyerNo]) {
        expect((await call('POST', '/v1/companies', clerk, { companyNo: no, nameAr: 'شركة الصفوة', nameEn: 'Safwa Co.', language: 'en' })).statusCode).toBe(
          201,
        );
      }
      fleet = await bearer('fleet', { companyNo });
      // Four trucks: three fines, one, two (one of them cancelled), and none.
      for (let i = 0; i < 4; i++) plates.push(await registerTruck(companyNo));
      plates = [...plates].sort();
      const record = async (plate: string, minutesAgo: number, overrides: Record<string, unknown> = {}) => {
        const occurredAt = new Date(Date.now() - minutesAgo * 60_000).toISOString();
        const fine = await recordFine(plate, { plateType: 'TRUCK', violationCode: 'OVERLOAD', occurredAt, ...overrides });
        expected.set(fine.fineNumber, { fineNumber: fine.fineNumber, plate, occurredAt });
        return fine;
      };
      await record(plates[0], 30);
      await record(plates[0], 10, { location: { textAr: '=HYPERLINK("http://x","y")', textEn: 'Gulf Road, "Block 4"' } });
      await record(plates[0], 20);
      await record(plates[1], 5);
      await record(plates[2], 50);
      const cancelled = await record(plates[2], 40);
      expect((await call('POST', `/v1/fines/${cancelled.fineNumber}/cancellation`, officer, { reason: 'Duplicate capture' })).statusCode).toBe(200);
      expected.delete(cancelled.fineNumber);
    });

    it('pages list the fines plate by plate, newest first, each once, with the vehicles of the page and totals over every page', async () => {
      const inOrder = [...expected.values()].sort((a, b) => a.plate.localeCompare(b.plate) || b.occurredAt.localeCompare(a.occurredAt));
      const seen: string[] = [];
      for (let page = 1; page <= 3; page++) {
        const answer = await company(companyNo, `?page=${page}&pageSize=2`);
        expect(answer).toMatchObject({ totalItems: 5, vehiclesTotal: 3, totals: { count: 5, outstanding: { amount: '250.000', currency: 'KWD' } } });
        seen.push(...answer.fines.map((f) => f.fineNumber));
        // The page's vehicles are the plates of its fines, each with its count and outstanding over all its unpaid fines.
        expect(answer.vehicles.map((v) => v.plateNumber)).toEqual([...new Set(answer.fines.map((f) => f.plate.plateNumber))]);
        for (const v of answer.vehicles) {
          const count = inOrder.filter((f) => f.plate === v.plateNumber).length;
          expect(v).toMatchObject({ fineCount: count, outstanding: { amount: `${count * 50}.000`, currency: 'KWD' }, make: 'Toyota' });
        }
      }
      expect(seen).toEqual(inOrder.map((f) => f.fineNumber));
      expect(await company(companyNo, '?page=4&pageSize=2')).toMatchObject({ fines: [], vehicles: [], totalItems: 5, vehiclesTotal: 3 });
      expect(await company(companyNo, '?status=ALL&pageSize=50')).toMatchObject({
        totalItems: 6,
        vehiclesTotal: 3,
        totals: { outstanding: { amount: '250.000' } },
      });
      expect(await company(companyNo, '?status=PAID')).toMatchObject({
        fines: [],
        totalItems: 0,
        vehiclesTotal: 0,
        totals: { outstanding: { amount: '0.000' } },
      });
      const onePlate = await company(companyNo, `?plateNumber=${plates[0]}`);
      expect(onePlate).toMatchObject({ totalItems: 3, vehiclesTotal: 1 });
      expect(onePlate.fines.map((f) => f.fineNumber)).toEqual(inOrder.filter((f) => f.plate === plates[0]).map((f) => f.fineNumber));
    });

    it('the CSV holds the same fines in the same order as the pages, with the same times and amounts, and quotes and defuses free text', async () => {
      const pages = await company(companyNo, '?status=ALL&pageSize=50');
      const response = await call('GET', `/v1/inquiry/company/${companyNo}?status=ALL`, fleet, undefined, { accept: 'text/csv' });
      expect(response.statusCode).toBe(200);
      const [header, ...rows] = parseCsv(response.body.replace(/^\ufeff/, ''));
      const at = (name: string) => header.indexOf(name);
      expect(rows.map((r) => r[at('fineNumber')])).toEqual(pages.fines.map((f) => f.fineNumber));
      for (const [i, fine] of pages.fines.entries()) {
        const row = rows[i];
        expect([row[at('status')], row[at('occurredAt')], row[at('issuedAt')], row[at('amount')], row[at('currency')]]).toEqual([
          fine.status,
          fine.occurredAt,
          fine.issuedAt,
          fine.amount.amount,
          'KWD',
        ]);
      }
      const tricky = rows.find((r) => r[at('locationEn')] === 'Gulf Road, "Block 4"');
      expect(tricky?.[at('locationAr')]).toBe(`'=HYPERLINK("http://x","y")`);
      expect(response.body).toContain(`,"'=HYPERLINK(""http://x"",""y"")","Gulf Road, ""Block 4""",`);
    });

    it('the CSV is the same across chunk boundaries: one plate per query, or all of them in one', async () => {
      const inquiry = sut.app.get(InquiryService);
      const whole = await csvFines(companyNo);
      expect(whole.length).toBeGreaterThan(3);
      try {
        for (const plates of [1, 2, 3]) {
          inquiry.csvPlatesPerChunk = plates;
          expect(await csvFines(companyNo)).toEqual(whole);
          expect(await csvFines(companyNo, '?status=UNPAID')).toEqual(await pageFines(companyNo, '?status=UNPAID'));
        }
      } finally {
        inquiry.csvPlatesPerChunk = CSV_PLATES_PER_CHUNK;
      }
    });

    it('the counts follow every change to the fines: payment pending, paid, released, and a plate sold to another company', async () => {
      const fines = (await company(companyNo, '?pageSize=50')).fines;
      const db = sut.dataSource('violations');
      const [pending, paid] = [fines[0].fineNumber, fines[1].fineNumber];
      // The statements payments make through their events, several fines in one statement.
      await db.query(`UPDATE fine SET status = 'PAYMENT_PENDING', pending_payment_number = 'P-TEST' WHERE fine_number = ANY($1)`, [[pending, paid]]);
      expect(await company(companyNo)).toMatchObject({ totalItems: 5, totals: { outstanding: { amount: '250.000' } } });
      expect(await company(companyNo, '?status=PAID')).toMatchObject({ totalItems: 0 });
      await db.query(`UPDATE fine SET status = 'PAID', paid_at = now(), payment_number = 'P-TEST', pending_payment_number = NULL WHERE fine_number = $1`, [
        paid,
      ]);
      await db.query(`UPDATE fine SET status = 'UNPAID', pending_payment_number = NULL WHERE fine_number = $1`, [pending]);
      expect(await company(companyNo)).toMatchObject({ totalItems: 4, vehiclesTotal: 3, totals: { outstanding: { amount: '200.000' } } });
      expect(await company(companyNo, '?status=PAID')).toMatchObject({ totalItems: 1, vehiclesTotal: 1, fines: [{ fineNumber: paid, status: 'PAID' }] });
      expect(await summaryDrift()).toBe(0);

      // Once plates[2] owes nothing it may be sold, and its fines go with it.
      const [left] = (await company(companyNo, `?plateNumber=${plates[2]}`)).fines;
      expect((await call('POST', `/v1/fines/${left.fineNumber}/cancellation`, officer, { reason: 'Appeal accepted' })).statusCode).toBe(200);
      await eventually(
        async () => (await sut.dataSource('vehicle-registry').query('SELECT 1 FROM outstanding_fine WHERE plate_number = $1', [plates[2]])).length === 0,
        30000,
        'the registry to clear the fines',
      );
      const sold = await call('POST', `/v1/vehicles/TRUCK/${plates[2]}/transfers`, clerk, { newOwner: { type: 'COMPANY', id: buyerNo } });
      expect(sold.statusCode).toBe(200);
      await eventually(async () => (await company(buyerNo, '?status=ALL')).totalItems === 2, 30000, 'the buyer to see the fines of the plate');
      expect(await company(companyNo, '?status=ALL')).toMatchObject({ totalItems: 4, vehiclesTotal: 2 });
      expect(await summaryDrift()).toBe(0);
      // The downloads follow the sale too: the plate's fines leave the seller's CSV for the buyer's.
      expect(await csvFines(buyerNo)).toEqual(await pageFines(buyerNo));
      expect(await csvFines(buyerNo)).toHaveLength(2);
      expect(await csvFines(companyNo)).toEqual(await pageFines(companyNo));
      // The line written with the fine follows its payment: status, paid time and payment number.
      const [line, ...none] = await csvRecords(companyNo, '?status=PAID');
      expect(none).toEqual([]);
      expect([line.fineNumber, line.status, line.paymentNumber]).toEqual([paid, 'PAID', 'P-TEST']);
      expect(line.paidAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    });

    it('a company’s totals count a change at once, and the same once it is folded into the company’s row', async () => {
      const own = '770023';
      expect((await call('POST', '/v1/companies', clerk, { companyNo: own, nameAr: 'شركة الريان', language: 'ar' })).statusCode).toBe(201);
      const truck = await registerTruck(own);
      const fold = sut.app.get(CompanyTotalsFold);
      const deltas = async (): Promise<number> =>
        (await sut.dataSource('violations').query<{ n: number }[]>(`SELECT count(*)::int AS n FROM company_fine_delta WHERE company_no = $1`, [own]))[0].n;
      await fold.beforeApplicationShutdown(); // no background fold while the deltas are counted
      try {
        await fold.foldAll();
        expect(await company(own, '?status=ALL')).toMatchObject({ totalItems: 0, vehiclesTotal: 0, totals: { outstanding: { amount: '0.000' } } });
        await recordFine(truck, { plateType: 'TRUCK', violationCode: 'OVERLOAD' });
        await recordFine(truck, { plateType: 'TRUCK', violationCode: 'OVERLOAD' });
        expect(await deltas()).toBe(2);
        const counted = await company(own, '?status=ALL');
        expect(counted).toMatchObject({ totalItems: 2, vehiclesTotal: 1, totals: { count: 2, outstanding: { amount: '100.000' } } });
        expect(await fold.foldAll()).toBeGreaterThanOrEqual(2);
        expect(await deltas()).toBe(0);
        expect(await company(own, '?status=ALL')).toEqual(counted);
        expect(await summaryDrift()).toBe(0);
      } finally {
        fold.onApplicationBootstrap();
      }
    });

    it('fines recorded before their plate is registered count for its owner once it is', async () => {
      const early = aVehicle(buyerNo, { owner: { type: 'COMPANY', id: buyerNo }, plateType: 'TRUCK' });
      await recordFine(early.plateNumber, { plateType: 'TRUCK', violationCode: 'OVERLOAD' });
      const before = (await company(buyerNo)).totalItems;
      expect((await call('POST', '/v1/vehicles', clerk, early)).statusCode).toBe(201);
      await eventually(async () => (await company(buyerNo)).totalItems === before + 1, 30000, 'the early fine to count for the company');
      expect(await summaryDrift()).toBe(0);
      expect(await csvFines(buyerNo, `?plateNumber=${early.plateNumber}`)).toHaveLength(1);
    });

    it('the migrations fill the read model and the fines’ owners from the fines already there', async () => {
      const runner = sut.dataSource('violations').createQueryRunner();
      try {
        const [summary, owners, totals, covering] = [
          new InquiryReadModel1763800600000(),
          new FinesByOwner1763800700000(),
          new CompanyFineTotals1763800800000(),
          new CoveringOwnerIndexes1763800900000(),
        ];
        // As the services run them: each migration in its own transaction.
        const steps = [
          () => covering.down(runner),
          () => totals.down(runner),
          () => owners.down(runner),
          () => summary.down(runner),
          () => summary.up(runner),
          () => owners.up(runner),
          () => totals.up(runner),
          () => covering.up(runner),
        ];
        for (const step of steps) {
          await runner.startTransaction();
          await step();
          await runner.commitTransaction();
        }
      } finally {
        await runner.release();
      }
      expect(await summaryDrift()).toBe(0);
      expect(await company(companyNo, '?status=ALL')).toMatchObject({ totalItems: 4, vehiclesTotal: 2 });
      expect(await csvFines(companyNo)).toEqual(await pageFines(companyNo));
      expect(await csvFines(companyNo)).toHaveLength(4);
      const indexes = await sut
        .dataSource('violations')
        .query<{ indexdef: string }[]>(`SELECT indexdef FROM pg_indexes WHERE indexname IN ('owner_name_pkey', 'plate_ownership_owner') ORDER BY indexname`);
      expect(indexes.map((i) => i.indexdef)).toEqual([expect.stringContaining('INCLUDE (name_ar, name_en)'), expect.stringContaining('INCLUDE (make, model)')]);
    });
  });

  describe('transfers wait for fines', () => {
    it('a plate with unpaid fines cannot be transferred; once they are cancelled it can', async () => {
      const owner = await anOwnerWithVehicle();
      const buyer = aPerson();
      await call('POST', '/v1/persons', clerk, buyer);
      const fines = [await recordFine(owner.plateNumber, { violationCode: 'NO-PARK' }), await recordFine(owner.plateNumber, { violationCode: 'SEAT-BELT' })];
      await eventually(
        async () =>
          (await sut.dataSource('vehicle-registry').query('SELECT 1 FROM outstanding_fine WHERE plate_number = $1', [owner.plateNumber])).length === 2,
        30000,
        'the registry to learn the fines',
      );

      const refused = await call(
        'POST',
        `/v1/vehicles/PRIVATE/${owner.plateNumber}/transfers`,
        clerk,
        { newOwner: { type: 'PERSON', id: buyer.civilId } },
        { 'accept-language': 'ar' },
      );
      expect(refused.statusCode).toBe(409);
      expect(refused.json()).toMatchObject({ code: 'registry.unpaid-fines', unpaidFines: { count: 2, outstanding: { amount: '45.000', currency: 'KWD' } } });
      expect(refused.json().detail).toContain('45.000 د.ك');

      for (const fine of fines) await call('POST', `/v1/fines/${fine.fineNumber}/cancellation`, officer, { reason: 'Appeal accepted' });
      await eventually(
        async () =>
          (await sut.dataSource('vehicle-registry').query('SELECT 1 FROM outstanding_fine WHERE plate_number = $1', [owner.plateNumber])).length === 0,
        30000,
        'the registry to clear the fines',
      );
      expect(
        (await call('POST', `/v1/vehicles/PRIVATE/${owner.plateNumber}/transfers`, clerk, { newOwner: { type: 'PERSON', id: buyer.civilId } })).statusCode,
      ).toBe(200);

      // The plate's inquiry follows its new owner: the buyer reads it, the seller no longer does.
      const buyerToken = await bearer('driver', { civilId: buyer.civilId });
      const byPlate = (token: string) => call('GET', `/v1/inquiry/plate/PRIVATE/${owner.plateNumber}?status=ALL`, token);
      await eventually(async () => (await byPlate(buyerToken)).statusCode === 200, 30000, 'the buyer to read the plate');
      expect((await byPlate(buyerToken)).json().totals.count).toBe(2);
      expect((await byPlate(owner.driver)).statusCode).toBe(403);
      // So does each of its fines: the fine carries its plate's owner now.
      expect((await call('GET', `/v1/fines/${fines[0].fineNumber}`, buyerToken)).json()).toMatchObject({
        fineNumber: fines[0].fineNumber,
        status: 'CANCELLED',
      });
      expect((await call('GET', `/v1/fines/${fines[0].fineNumber}`, owner.driver)).statusCode).toBe(403);
    });
  });

  it('a fine is readable by its plate’s owner and staff, not by others', async () => {
    const owner = await anOwnerWithVehicle();
    const fine = await recordFine(owner.plateNumber);
    expect((await call('GET', `/v1/fines/${fine.fineNumber}`, owner.driver)).statusCode).toBe(200);
    expect((await call('GET', `/v1/fines/${fine.fineNumber}`, officer)).statusCode).toBe(200);
    expect((await call('GET', `/v1/fines/${fine.fineNumber}`, await bearer('driver', { civilId: aCivilId() }))).statusCode).toBe(403);
    expect((await call('GET', `/v1/fines/${fine.fineNumber}`, await bearer('fleet', { companyNo: owner.civilId }))).statusCode).toBe(403);
    expect((await call('GET', '/v1/fines/99000000001', officer)).statusCode).toBe(404);

    // The driver of someone else's plate reads that fine too, and not the owner's others.
    const driver = aCivilId();
    const driven = await recordFine(owner.plateNumber, { driverCivilId: driver });
    expect((await call('GET', `/v1/fines/${driven.fineNumber}`, await bearer('driver', { civilId: driver }))).json()).toMatchObject({
      fineNumber: driven.fineNumber,
      driverCivilId: driver,
    });
    expect((await call('GET', `/v1/fines/${fine.fineNumber}`, await bearer('driver', { civilId: driver }))).statusCode).toBe(403);
  });
});
