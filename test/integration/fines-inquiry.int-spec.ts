import { EmbeddedTestApp, eventually, startEmbedded } from '../support/embedded-app';
import { aCivilId, aFine, aPerson, aVehicle } from '../support/factories';
import { bearer } from '../support/tokens';

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

  it('a driver cannot read another person’s fines, and an officer cannot use the civil ID inquiry', async () => {
    const owner = await anOwnerWithVehicle();
    const stranger = await bearer('driver', { civilId: aCivilId() });
    expect((await call('GET', `/v1/inquiry/civil-id/${owner.civilId}`, stranger)).statusCode).toBe(403);
    expect((await call('GET', `/v1/inquiry/civil-id/${owner.civilId}`, officer)).statusCode).toBe(403);
    expect((await call('GET', `/v1/inquiry/civil-id/${owner.civilId}`, admin)).statusCode).toBe(200);
  });

  it('the plate inquiry answers the owner and admin, and 403 to anyone else', async () => {
    const owner = await anOwnerWithVehicle();
    await recordFine(owner.plateNumber);
    const arabicPlate = owner.plateNumber.replace(/\d/g, (d) => String.fromCharCode(0x0660 + Number(d)));
    const mine = await call('GET', `/v1/inquiry/plate/PRIVATE/${encodeURIComponent(arabicPlate)}`, owner.driver);
    expect(mine.statusCode).toBe(200);
    expect(mine.json().totals.count).toBe(1);
    expect((await call('GET', `/v1/inquiry/plate/PRIVATE/${owner.plateNumber}`, admin)).statusCode).toBe(200);
    const stranger = await bearer('driver', { civilId: aCivilId() });
    expect((await call('GET', `/v1/inquiry/plate/PRIVATE/${owner.plateNumber}`, stranger)).statusCode).toBe(403);
    expect((await call('GET', `/v1/inquiry/plate/PRIVATE/${owner.plateNumber}`, await bearer('fleet', { companyNo: '1' }))).statusCode).toBe(403);
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
    });
  });

  it('a fine is readable by its plate’s owner and staff, not by others', async () => {
    const owner = await anOwnerWithVehicle();
    const fine = await recordFine(owner.plateNumber);
    expect((await call('GET', `/v1/fines/${fine.fineNumber}`, owner.driver)).statusCode).toBe(200);
    expect((await call('GET', `/v1/fines/${fine.fineNumber}`, officer)).statusCode).toBe(200);
    expect((await call('GET', `/v1/fines/${fine.fineNumber}`, await bearer('driver', { civilId: aCivilId() }))).statusCode).toBe(403);
    expect((await call('GET', '/v1/fines/99000000001', officer)).statusCode).toBe(404);
  });
});
