import { EmbeddedTestApp, eventually, startEmbedded } from '../support/embedded-app';
import { aCivilId, aPerson, aVehicle } from '../support/factories';
import { bearer } from '../support/tokens';

describe('registry to violations on the embedded default', () => {
  let sut: EmbeddedTestApp;
  let clerk: string;

  beforeAll(async () => {
    sut = await startEmbedded();
    clerk = await bearer('clerk');
  });

  afterAll(async () => {
    await sut.close();
  });

  async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
    return sut.app.inject({ method: 'POST', url, payload: body as object, headers: { authorization: clerk, ...headers } });
  }

  async function count(service: 'vehicle-registry' | 'violations', sql: string, params: unknown[] = []): Promise<number> {
    const [row] = await sut.dataSource(service).query(sql, params);
    return Number(row.count);
  }

  it('a vehicle registered over HTTP appears in violations’ ownership read model', async () => {
    const person = aPerson();
    expect((await post('/v1/persons', person)).statusCode).toBe(201);
    const vehicle = aVehicle(person.civilId);
    const created = await post('/v1/vehicles', vehicle);
    expect(created.statusCode).toBe(201);

    const [owned] = await eventually(
      async () => {
        const rows = await sut
          .dataSource('violations')
          .query('SELECT owner_type, owner_id, make FROM plate_ownership WHERE plate_type = $1 AND plate_number = $2', ['PRIVATE', vehicle.plateNumber]);
        return rows.length ? rows : undefined;
      },
      30000,
      'the read model row',
    );
    expect(owned).toEqual({ owner_type: 'PERSON', owner_id: person.civilId, make: 'Toyota' });
  });

  it('an ownership transfer moves the plate in the read model and keeps its history', async () => {
    const seller = aPerson();
    const buyer = aPerson();
    await post('/v1/persons', seller);
    await post('/v1/persons', buyer);
    const vehicle = aVehicle(seller.civilId);
    await post('/v1/vehicles', vehicle);

    const transfer = await post(`/v1/vehicles/PRIVATE/${vehicle.plateNumber}/transfers`, { newOwner: { type: 'PERSON', id: buyer.civilId } });
    expect(transfer.statusCode).toBe(200);
    expect(transfer.json().owner).toEqual({ type: 'PERSON', id: buyer.civilId });

    await eventually(
      async () => (await count('violations', `SELECT count(*) FROM plate_ownership_change WHERE plate_number = $1`, [vehicle.plateNumber])) === 2,
      30000,
      'two ownership changes',
    );
    const [owner] = await sut.dataSource('violations').query('SELECT owner_id FROM plate_ownership WHERE plate_number = $1', [vehicle.plateNumber]);
    expect(owner.owner_id).toBe(buyer.civilId);
  });

  it('identifiers typed with Arabic-Indic digits, spaces and dashes are stored normalized', async () => {
    const civilId = aCivilId();
    const arabic = civilId.replace(/\d/g, (d) => String.fromCharCode(0x0660 + Number(d)));
    const typed = `${arabic.slice(0, 4)} ${arabic.slice(4, 8)}-${arabic.slice(8)}`;
    const response = await post('/v1/persons', aPerson({ civilId: typed, mobile: '٩٩٠٠ ١١٢٢' }));
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ civilId, mobile: '+96599001122' });

    const plate = await post('/v1/vehicles', aVehicle(civilId, { plateNumber: '۱۲-۳۴۵۶' }));
    expect(plate.statusCode).toBe(201);
    expect(plate.json().plateNumber).toBe('123456');

    const listed = await sut.app.inject({
      method: 'GET',
      url: `/v1/vehicles?ownerType=PERSON&ownerId=${encodeURIComponent(typed)}`,
      headers: { authorization: clerk },
    });
    expect(listed.statusCode).toBe(200);
    expect(listed.json()).toHaveLength(1);
  });

  it('a civil ID with a wrong check digit is refused in Arabic, and nothing is written', async () => {
    const before = await count('vehicle-registry', 'SELECT count(*) FROM person');
    const outboxBefore = await count('vehicle-registry', 'SELECT count(*) FROM outbox_message');
    const valid = aCivilId();
    const wrongCheck = `${valid.slice(0, 11)}${(Number(valid[11]) + 1) % 10}`;

    const response = await post('/v1/persons', aPerson({ civilId: wrongCheck }), { 'accept-language': 'ar' });

    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({
      status: 400,
      title: 'بيانات غير صحيحة',
      errors: [{ field: 'civilId', message: expect.stringContaining('الرقم المدني') }],
    });
    expect(await count('vehicle-registry', 'SELECT count(*) FROM person')).toBe(before);
    expect(await count('vehicle-registry', 'SELECT count(*) FROM outbox_message')).toBe(outboxBefore);
  });

  it('bad input is answered in English by default, naming each field', async () => {
    const response = await post('/v1/vehicles', { plateNumber: '12345678', plateType: 'CAR', owner: { type: 'PERSON', id: '123' }, year: 1800 });
    expect(response.statusCode).toBe(400);
    const fields = response
      .json()
      .errors.map((e: { field: string }) => e.field)
      .sort();
    expect(fields).toEqual(['color', 'make', 'model', 'owner.id', 'plateNumber', 'plateType', 'year']);
    expect(response.json().title).toBe('Invalid request');
  });

  it('a body that is not JSON gets a problem, not a 500', async () => {
    const response = await sut.app.inject({
      method: 'POST',
      url: '/v1/persons',
      payload: '{"civilId":',
      headers: { authorization: clerk, 'content-type': 'application/json' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'malformed-json' });
  });

  it('a vehicle for an owner who is not registered is refused with 422 and not written', async () => {
    const before = await count('vehicle-registry', 'SELECT count(*) FROM vehicle');
    const response = await post('/v1/vehicles', aVehicle(aCivilId()));
    expect(response.statusCode).toBe(422);
    expect(response.json().code).toBe('registry.owner-not-found');
    expect(await count('vehicle-registry', 'SELECT count(*) FROM vehicle')).toBe(before);
  });

  it('registering the same civil ID twice answers 409', async () => {
    const person = aPerson();
    await post('/v1/persons', person);
    const again = await post('/v1/persons', person, { 'accept-language': 'en-GB,ar;q=0.5' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'registry.person-exists', title: 'Person already registered' });
  });

  it('registering the same plate twice answers 409', async () => {
    const person = aPerson();
    await post('/v1/persons', person);
    const vehicle = aVehicle(person.civilId);
    expect((await post('/v1/vehicles', vehicle)).statusCode).toBe(201);
    expect((await post('/v1/vehicles', vehicle)).statusCode).toBe(409);
  });

  describe('who may do what', () => {
    it('a request without a token is refused with 401', async () => {
      const response = await sut.app.inject({ method: 'POST', url: '/v1/persons', payload: aPerson() });
      expect(response.statusCode).toBe(401);
      expect(response.headers['content-type']).toContain('application/problem+json');
    });

    it('a token signed with another key is refused with 401', async () => {
      const forged = await bearer('clerk', {}, 'x'.repeat(40));
      const response = await sut.app.inject({ method: 'POST', url: '/v1/persons', payload: aPerson(), headers: { authorization: forged } });
      expect(response.statusCode).toBe(401);
    });

    it('a driver cannot register persons', async () => {
      const driver = await bearer('driver', { civilId: aCivilId() });
      const response = await sut.app.inject({ method: 'POST', url: '/v1/persons', payload: aPerson(), headers: { authorization: driver } });
      expect(response.statusCode).toBe(403);
    });

    it('an admin can do what a clerk does', async () => {
      const admin = await bearer('admin');
      const response = await sut.app.inject({ method: 'POST', url: '/v1/persons', payload: aPerson(), headers: { authorization: admin } });
      expect(response.statusCode).toBe(201);
    });

    it('a driver updates their own contact details but not someone else’s', async () => {
      const person = aPerson();
      await post('/v1/persons', person);
      const self = await bearer('driver', { civilId: person.civilId });
      const own = await sut.app.inject({
        method: 'PATCH',
        url: `/v1/persons/${person.civilId}/contact`,
        payload: { mobile: '66001122', language: 'en' },
        headers: { authorization: self },
      });
      expect(own.statusCode).toBe(200);
      expect(own.json()).toMatchObject({ mobile: '+96566001122', language: 'en' });

      const other = aPerson();
      await post('/v1/persons', other);
      const theirs = await sut.app.inject({
        method: 'PATCH',
        url: `/v1/persons/${other.civilId}/contact`,
        payload: { language: 'en' },
        headers: { authorization: self },
      });
      expect(theirs.statusCode).toBe(403);
    });

    it('a driver lists their own vehicles, a fleet its company’s, and neither anyone else’s', async () => {
      const person = aPerson();
      await post('/v1/persons', person);
      await post('/v1/vehicles', aVehicle(person.civilId));
      const self = await bearer('driver', { civilId: person.civilId });
      const mine = await sut.app.inject({ method: 'GET', url: `/v1/vehicles?ownerType=PERSON&ownerId=${person.civilId}`, headers: { authorization: self } });
      expect(mine.statusCode).toBe(200);
      expect(mine.json()).toHaveLength(1);

      const stranger = await bearer('driver', { civilId: aCivilId() });
      const theirs = await sut.app.inject({
        method: 'GET',
        url: `/v1/vehicles?ownerType=PERSON&ownerId=${person.civilId}`,
        headers: { authorization: stranger },
      });
      expect(theirs.statusCode).toBe(403);

      await post('/v1/companies', { companyNo: '700100', nameAr: 'شركة الاختبار', language: 'ar' });
      const fleet = await bearer('fleet', { companyNo: '700100' });
      expect(
        (await sut.app.inject({ method: 'GET', url: '/v1/vehicles?ownerType=COMPANY&ownerId=700100', headers: { authorization: fleet } })).statusCode,
      ).toBe(200);
      expect(
        (await sut.app.inject({ method: 'GET', url: '/v1/vehicles?ownerType=COMPANY&ownerId=700101', headers: { authorization: fleet } })).statusCode,
      ).toBe(403);
    });
  });

  describe('the operational surface', () => {
    it('answers ready when every database answers', async () => {
      const response = await sut.app.inject({ method: 'GET', url: '/health/ready' });
      expect(response.statusCode).toBe(200);
      expect(Object.keys(response.json().details).sort()).toEqual([
        'database:notification',
        'database:payment-gateway',
        'database:vehicle-registry',
        'database:violations',
      ]);
    });

    it('serves the OpenAPI document with every registry route and the AsyncAPI document', async () => {
      const openapi = (await sut.app.inject({ method: 'GET', url: '/docs-json' })).json();
      expect(Object.keys(openapi.paths)).toEqual(
        expect.arrayContaining([
          '/v1/persons',
          '/v1/persons/{civilId}/contact',
          '/v1/companies',
          '/v1/vehicles',
          '/v1/vehicles/{plateType}/{plateNumber}/transfers',
        ]),
      );
      const asyncapi = (await sut.app.inject({ method: 'GET', url: '/docs/asyncapi.json' })).json();
      expect(Object.keys(asyncapi.channels)).toEqual(expect.arrayContaining(['registry.owners.v1', 'registry.vehicles.v1']));
    });

    it('exposes Prometheus metrics, including events handled', async () => {
      const response = await sut.app.inject({ method: 'GET', url: '/metrics' });
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('events_handled_total{consumer="violations",type="registry.vehicle.registered",outcome="handled"}');
      expect(response.body).toContain('http_request_duration_seconds_bucket');
    });

    it('echoes the caller’s trace id', async () => {
      const traceId = 'a'.repeat(32);
      const response = await sut.app.inject({ method: 'GET', url: '/health/live', headers: { 'x-trace-id': traceId } });
      expect(response.headers['x-trace-id']).toBe(traceId);
    });
  });
});
