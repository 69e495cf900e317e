import { EmbeddedTestApp, eventually, startEmbedded } from '../support/embedded-app';
import { bearer } from '../support/tokens';

const count = async (sut: EmbeddedTestApp, service: 'vehicle-registry' | 'violations', sql: string) =>
  Number((await sut.dataSource(service).query(sql))[0].count);

describe('the demo data of the embedded default', () => {
  let sut: EmbeddedTestApp;

  beforeAll(async () => {
    sut = await startEmbedded({ DEMO_DATA: 'true' });
    await eventually(async () => (await count(sut, 'violations', 'SELECT count(*) FROM fine')) === 20000, 170000, 'the demo fines');
  }, 240000);

  afterAll(async () => {
    await sut.close();
  });

  it('has 1,000 persons, 50 companies, 3,000 vehicles of which 2,000 belong to one fleet', async () => {
    expect(await count(sut, 'vehicle-registry', 'SELECT count(*) FROM person')).toBe(1000);
    expect(await count(sut, 'vehicle-registry', 'SELECT count(*) FROM company')).toBe(50);
    expect(await count(sut, 'vehicle-registry', 'SELECT count(*) FROM vehicle')).toBe(3000);
    expect(await count(sut, 'vehicle-registry', `SELECT count(*) FROM vehicle WHERE owner_type = 'COMPANY' AND owner_id = '100001'`)).toBe(2000);
  });

  it('keeps the read models consistent with it: ownership in violations, outstanding fines in the registry', async () => {
    expect(await count(sut, 'violations', 'SELECT count(*) FROM plate_ownership')).toBe(3000);
    const unpaid = await count(sut, 'violations', `SELECT count(*) FROM fine WHERE status IN ('UNPAID', 'PAYMENT_PENDING')`);
    expect(unpaid).toBeGreaterThan(1000);
    await eventually(async () => (await count(sut, 'vehicle-registry', 'SELECT count(*) FROM outstanding_fine')) === unpaid, 150000, 'the outstanding fines');
  });

  it('is the same on every machine: the README’s civil ID shows its fines', async () => {
    const driver = await bearer('driver', { civilId: '268091801395' });
    const answer = (await sut.app.inject({ method: 'GET', url: '/v1/inquiry/civil-id/268091801395', headers: { authorization: driver } })).json();
    expect(answer.subject.nameEn).toBe('Alanoud Salem Al-Bahar');
    expect(answer.vehicles.map((v: { plateNumber: string }) => v.plateNumber).sort()).toEqual(['149507', '368044', '635796']);
    expect(answer.totals.count).toBeGreaterThan(0);
  });
});
