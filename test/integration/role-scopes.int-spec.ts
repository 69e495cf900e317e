import { EmbeddedTestApp, eventually, startEmbedded } from '../support/embedded-app';
import { aCivilId, aFine, aPerson, aPlateNumber, aVehicle } from '../support/factories';
import { bearer } from '../support/tokens';

type Caller = 'driverSelf' | 'driverOther' | 'fleetSelf' | 'fleetOther' | 'officer' | 'clerk' | 'admin';
const CALLERS: Caller[] = ['driverSelf', 'driverOther', 'fleetSelf', 'fleetOther', 'officer', 'clerk', 'admin'];

interface Fixture {
  civilId: string;
  plateNumber: string;
  companyNo: string;
  companyPlate: string;
  fineNumber: string;
}

interface Route {
  route: string;
  method: 'GET' | 'POST' | 'PATCH';
  url: (f: Fixture) => string;
  body?: (f: Fixture) => object;
  allowed: Caller[];
}

/** Who may call what, route by route, as API.md says: everyone else gets 403. */
const ROUTES: Route[] = [
  { route: 'POST /v1/persons', method: 'POST', url: () => '/v1/persons', body: () => aPerson(), allowed: ['clerk', 'admin'] },
  {
    route: 'PATCH /v1/persons/{civilId}/contact',
    method: 'PATCH',
    url: (f) => `/v1/persons/${f.civilId}/contact`,
    body: () => ({ language: 'en' }),
    allowed: ['driverSelf', 'clerk', 'admin'],
  },
  {
    route: 'POST /v1/companies',
    method: 'POST',
    url: () => '/v1/companies',
    body: () => ({ companyNo: String(800000 + Math.floor(Math.random() * 99999)), nameAr: 'شركة', language: 'ar' }),
    allowed: ['clerk', 'admin'],
  },
  { route: 'POST /v1/vehicles', method: 'POST', url: () => '/v1/vehicles', body: (f) => aVehicle(f.civilId), allowed: ['clerk', 'admin'] },
  {
    route: 'POST /v1/vehicles/{plateType}/{plateNumber}/transfers',
    method: 'POST',
    url: (f) => `/v1/vehicles/PRIVATE/${f.plateNumber}/transfers`,
    body: () => ({ newOwner: { type: 'PERSON', id: aCivilId() } }),
    allowed: ['clerk', 'admin'],
  },
  {
    route: 'GET /v1/vehicles (a person)',
    method: 'GET',
    url: (f) => `/v1/vehicles?ownerType=PERSON&ownerId=${f.civilId}`,
    allowed: ['driverSelf', 'clerk', 'admin'],
  },
  {
    route: 'GET /v1/vehicles (a company)',
    method: 'GET',
    url: (f) => `/v1/vehicles?ownerType=COMPANY&ownerId=${f.companyNo}`,
    allowed: ['fleetSelf', 'clerk', 'admin'],
  },
  { route: 'GET /v1/violation-types', method: 'GET', url: () => '/v1/violation-types', allowed: CALLERS },
  { route: 'POST /v1/fines', method: 'POST', url: () => '/v1/fines', body: () => aFine(aPlateNumber()), allowed: ['officer', 'admin'] },
  {
    route: 'POST /v1/fines/{fineNumber}/cancellation',
    method: 'POST',
    url: (f) => `/v1/fines/${f.fineNumber}/cancellation`,
    body: () => ({ reason: 'Scope check' }),
    allowed: ['officer', 'admin'],
  },
  { route: 'GET /v1/fines/{fineNumber}', method: 'GET', url: (f) => `/v1/fines/${f.fineNumber}`, allowed: ['driverSelf', 'officer', 'clerk', 'admin'] },
  { route: 'GET /v1/inquiry/civil-id/{civilId}', method: 'GET', url: (f) => `/v1/inquiry/civil-id/${f.civilId}`, allowed: ['driverSelf', 'admin'] },
  {
    route: 'GET /v1/inquiry/plate (a person’s plate)',
    method: 'GET',
    url: (f) => `/v1/inquiry/plate/PRIVATE/${f.plateNumber}`,
    allowed: ['driverSelf', 'admin'],
  },
  {
    route: 'GET /v1/inquiry/plate (a company’s plate)',
    method: 'GET',
    url: (f) => `/v1/inquiry/plate/TRUCK/${f.companyPlate}`,
    allowed: ['fleetSelf', 'admin'],
  },
  { route: 'GET /v1/inquiry/company/{companyNo}', method: 'GET', url: (f) => `/v1/inquiry/company/${f.companyNo}`, allowed: ['fleetSelf', 'admin'] },
];

describe('role scopes, route by route', () => {
  let sut: EmbeddedTestApp;
  let fixture: Fixture;
  const tokens = {} as Record<Caller, string>;

  beforeAll(async () => {
    sut = await startEmbedded();
    const clerk = await bearer('clerk');
    const inject = (method: 'POST', url: string, payload: object, authorization: string) =>
      sut.app.inject({ method, url, payload, headers: { authorization } });
    const person = aPerson();
    await inject('POST', '/v1/persons', person, clerk);
    const vehicle = aVehicle(person.civilId);
    await inject('POST', '/v1/vehicles', vehicle, clerk);
    const companyNo = '990011';
    await inject('POST', '/v1/companies', { companyNo, nameAr: 'شركة النطاق', language: 'ar' }, clerk);
    const truck = aVehicle(companyNo, { plateType: 'TRUCK', owner: { type: 'COMPANY', id: companyNo } });
    await inject('POST', '/v1/vehicles', truck, clerk);
    await eventually(
      async () =>
        (await sut.dataSource('violations').query('SELECT 1 FROM plate_ownership WHERE plate_number IN ($1, $2)', [vehicle.plateNumber, truck.plateNumber]))
          .length === 2,
      30000,
      'ownership',
    );
    const fine = (await inject('POST', '/v1/fines', aFine(vehicle.plateNumber), await bearer('officer'))).json();
    fixture = { civilId: person.civilId, plateNumber: vehicle.plateNumber, companyNo, companyPlate: truck.plateNumber, fineNumber: fine.fineNumber };
    Object.assign(tokens, {
      driverSelf: await bearer('driver', { civilId: person.civilId }),
      driverOther: await bearer('driver', { civilId: aCivilId() }),
      fleetSelf: await bearer('fleet', { companyNo }),
      fleetOther: await bearer('fleet', { companyNo: '990012' }),
      officer: await bearer('officer'),
      clerk,
      admin: await bearer('admin'),
    });
  });

  afterAll(async () => {
    await sut.close();
  });

  const cases = ROUTES.flatMap((r) => CALLERS.map((caller) => ({ ...r, caller, allowedHere: r.allowed.includes(caller) })));

  it.each(cases)('$route: $caller is allowed: $allowedHere', async ({ method, url, body, caller, allowedHere }) => {
    const response = await sut.app.inject({ method, url: url(fixture), payload: body?.(fixture), headers: { authorization: tokens[caller] } });
    if (allowedHere) expect([401, 403]).not.toContain(response.statusCode);
    else expect(response.statusCode).toBe(403);
    expect(response.statusCode).toBeLessThan(500);
  });

  it.each(ROUTES)('$route without a token answers 401', async ({ method, url, body }) => {
    const response = await sut.app.inject({ method, url: url(fixture), payload: body?.(fixture) });
    expect(response.statusCode).toBe(401);
  });
});
