import { aFine, aPerson, aVehicle } from '../support/factories';
import { bearer } from '../support/tokens';
import { useFreshStack } from './support/kafka';
import { ServiceProcess, countOf, eventually } from './support/stack';

/** A driver's story across vehicle-registry and violations, on Kafka and PostgreSQL. */
describe('fines inquiry across services', () => {
  const registry = new ServiceProcess('vehicle-registry');
  const violations = new ServiceProcess('violations');
  const payments = new ServiceProcess('payment-gateway');

  useFreshStack(registry, violations, payments);

  it('three fines hold back a transfer and show in the inquiry with the right totals; paid through the bank simulator, they end PAID and the transfer goes through', async () => {
    const clerk = { authorization: await bearer('clerk') };
    const officer = { authorization: await bearer('officer') };
    const person = aPerson();
    const buyer = aPerson();
    const vehicle = aVehicle(person.civilId);
    expect((await registry.request('POST', '/v1/persons', person, clerk)).status).toBe(201);
    expect((await registry.request('POST', '/v1/persons', buyer, clerk)).status).toBe(201);
    expect((await registry.request('POST', '/v1/vehicles', vehicle, clerk)).status).toBe(201);
    await eventually(
      async () => (await countOf('violations', 'SELECT count(*) FROM plate_ownership WHERE plate_number = $1', [vehicle.plateNumber])) === 1,
      30000,
      'ownership in violations',
    );

    for (const violationCode of ['RED-LIGHT', 'PHONE', 'NO-PARK']) {
      expect((await violations.request('POST', '/v1/fines', aFine(vehicle.plateNumber, { violationCode }), officer)).status).toBe(201);
    }
    await eventually(
      async () => (await countOf('vehicle-registry', 'SELECT count(*) FROM outstanding_fine WHERE plate_number = $1', [vehicle.plateNumber])) === 3,
      30000,
      'the registry to learn the fines',
    );

    const transfer = await registry.request(
      'POST',
      `/v1/vehicles/PRIVATE/${vehicle.plateNumber}/transfers`,
      { newOwner: { type: 'PERSON', id: buyer.civilId } },
      clerk,
    );
    expect(transfer.status).toBe(409);
    expect(transfer.body.unpaidFines).toEqual({ count: 3, outstanding: { amount: '240.000', currency: 'KWD' } });

    const driver = { authorization: await bearer('driver', { civilId: person.civilId }) };
    const byCivilId = await violations.request('GET', `/v1/inquiry/civil-id/${person.civilId}`, undefined, driver);
    expect(byCivilId.status).toBe(200);
    expect(byCivilId.body.totals).toEqual({ count: 3, outstanding: { amount: '240.000', currency: 'KWD' } });
    expect(byCivilId.body.subject.nameAr).toBe(person.nameAr);

    const byPlate = await violations.request('GET', `/v1/inquiry/plate/PRIVATE/${vehicle.plateNumber}`, undefined, driver);
    expect(byPlate.status).toBe(200);
    expect(byPlate.body.fines.map((f: { violation: { code: string } }) => f.violation.code).sort()).toEqual(['NO-PARK', 'PHONE', 'RED-LIGHT']);
    expect(byPlate.body.totals.outstanding.amount).toBe('240.000');

    // Pay all three through the bank simulator: the fines end PAID and the transfer goes through.
    const fineNumbers: string[] = byPlate.body.fines.map((f: { fineNumber: string }) => f.fineNumber);
    await eventually(
      async () => (await countOf('payment-gateway', 'SELECT count(*) FROM payable_fine WHERE fine_number = ANY($1)', [fineNumbers])) === 3,
      30000,
      'payable fines',
    );
    const payment = await payments.request(
      'POST',
      '/v1/payments',
      { fineNumbers, payer: { idType: 'CIVIL_ID', idNumber: person.civilId }, mobile: person.mobile, returnUrl: 'https://portal.example/done' },
      { ...driver, 'idempotency-key': `e2e-${person.civilId}` },
    );
    expect(payment.status).toBe(201);
    expect(payment.body.total).toEqual({ amount: '240.000', currency: 'KWD' });
    const approve = await fetch(`${payments.url}/bank-sim/${payment.body.paymentNumber}/approve`, { method: 'POST', redirect: 'manual' });
    expect(approve.status).toBe(303);
    expect(approve.headers.get('location')).toContain('result=CAPTURED');

    await eventually(
      async () => (await violations.request('GET', `/v1/inquiry/plate/PRIVATE/${vehicle.plateNumber}?status=PAID`, undefined, driver)).body.totals.count === 3,
      30000,
      'the fines PAID',
    );
    const paid = await violations.request('GET', `/v1/inquiry/civil-id/${person.civilId}?status=ALL`, undefined, driver);
    expect(paid.body.fines.every((f: { status: string; paymentNumber: string }) => f.status === 'PAID' && f.paymentNumber === payment.body.paymentNumber)).toBe(
      true,
    );
    expect(paid.body.totals.outstanding.amount).toBe('0.000');
    await eventually(
      async () => (await countOf('vehicle-registry', 'SELECT count(*) FROM outstanding_fine WHERE plate_number = $1', [vehicle.plateNumber])) === 0,
      30000,
      'the registry to learn of the payment',
    );
    const allowed = await registry.request(
      'POST',
      `/v1/vehicles/PRIVATE/${vehicle.plateNumber}/transfers`,
      { newOwner: { type: 'PERSON', id: buyer.civilId } },
      clerk,
    );
    expect(allowed.status).toBe(200);
  });
});
