import { randomUUID } from 'node:crypto';
import { SettlementService } from '../../apps/payment-gateway/src/bank-callbacks/settlement.service';
import { PaymentExpiryJob } from '../../apps/payment-gateway/src/expiry/payment-expiry.job';
import { encryptTrandata } from '../../apps/payment-gateway/src/bank-callbacks/knet.adapter';
import { KNET_SIM_RESOURCE_KEY, SIM_BANK_SECRET, signBody } from '@app/platform';
import { EmbeddedTestApp, eventually, startEmbedded } from '../support/embedded-app';
import { aFine, aPerson, aVehicle } from '../support/factories';
import { bearer } from '../support/tokens';

const PORT = 3000 + 400 + (process.pid % 500);

describe('payments on the embedded default', () => {
  let sut: EmbeddedTestApp;
  let clerk: string;
  let officer: string;

  beforeAll(async () => {
    sut = await startEmbedded({ PORT: String(PORT) }, { listen: true });
    [clerk, officer] = await Promise.all([bearer('clerk'), bearer('officer')]);
  });

  afterAll(async () => {
    await sut.close();
  });

  const inject = (method: 'GET' | 'POST', url: string, authorization?: string, payload?: object | string, headers: Record<string, string> = {}) =>
    sut.app.inject({ method, url, payload, headers: { ...(authorization ? { authorization } : {}), ...headers } });
  const query = (service: 'violations' | 'payment-gateway' | 'vehicle-registry', sql: string, params: unknown[] = []) =>
    sut.dataSource(service).query(sql, params);

  /** A driver with a vehicle and fines, known to payment-gateway's read models. */
  async function aDriverWithFines(codes = ['RED-LIGHT', 'PHONE', 'NO-PARK']) {
    const person = aPerson();
    await inject('POST', '/v1/persons', clerk, person);
    const vehicle = aVehicle(person.civilId);
    await inject('POST', '/v1/vehicles', clerk, vehicle);
    await eventually(
      async () => (await query('payment-gateway', 'SELECT 1 FROM plate_owner WHERE plate_number = $1', [vehicle.plateNumber])).length === 1,
      30000,
      'plate owner',
    );
    const fineNumbers: string[] = [];
    for (const violationCode of codes)
      fineNumbers.push((await inject('POST', '/v1/fines', officer, aFine(vehicle.plateNumber, { violationCode }))).json().fineNumber);
    await eventually(
      async () => (await query('payment-gateway', 'SELECT 1 FROM payable_fine WHERE fine_number = ANY($1)', [fineNumbers])).length === codes.length,
      30000,
      'payable fines',
    );
    const driver = await bearer('driver', { civilId: person.civilId });
    return { civilId: person.civilId, plateNumber: vehicle.plateNumber, fineNumbers, driver };
  }

  const payBody = (civilId: string, fineNumbers: string[], extra: object = {}) => ({
    fineNumbers,
    payer: { idType: 'CIVIL_ID', idNumber: civilId },
    mobile: '99001122',
    language: 'ar',
    ...extra,
  });
  const pay = (driver: string, body: object, key = randomUUID()) => inject('POST', '/v1/payments', driver, body, { 'idempotency-key': key });

  function callback(body: object, options: { secret?: string; at?: number; tamper?: boolean; header?: string | null } = {}) {
    const raw = JSON.stringify(body);
    const signature = options.header === null ? undefined : (options.header ?? signBody(options.secret ?? SIM_BANK_SECRET, raw, options.at));
    const sent = options.tamper ? raw.replace('"CAPTURED"', '"DECLINED"') : raw;
    return inject('POST', '/v1/bank-callbacks/sim', undefined, sent, {
      'content-type': 'application/json',
      ...(signature ? { 'x-bank-signature': signature } : {}),
    });
  }

  const captured = (paymentNumber: string, amount: string, extra: object = {}) => ({
    paymentNumber,
    bankReference: `REF${randomUUID().slice(0, 8)}`,
    result: 'CAPTURED',
    amount,
    currency: 'KWD',
    occurredAt: new Date().toISOString(),
    ...extra,
  });
  const fineStatuses = async (fineNumbers: string[]): Promise<string[]> =>
    (await query('violations', 'SELECT status FROM fine WHERE fine_number = ANY($1) ORDER BY fine_number', [fineNumbers])).map(
      (r: { status: string }) => r.status,
    );

  it('a payment reserves its fines, prices them and points to the bank; the fines show PAYMENT_PENDING', async () => {
    const { civilId, fineNumbers, driver } = await aDriverWithFines();
    const response = await pay(driver, payBody(civilId, fineNumbers, { returnUrl: 'https://portal.example/done' }));
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ status: 'PENDING', total: { amount: '240.000', currency: 'KWD' } });
    expect(response.json().paymentNumber).toMatch(/^\d{13}$/);
    expect(response.json().bankRedirectUrl).toContain(`/bank-sim/${response.json().paymentNumber}`);
    await eventually(async () => (await fineStatuses(fineNumbers)).every((s) => s === 'PAYMENT_PENDING'), 30000, 'PAYMENT_PENDING');
  });

  it('Idempotency-Key: required; the same key and body replay the payment; another body is refused with 422', async () => {
    const { civilId, fineNumbers, driver } = await aDriverWithFines(['SEAT-BELT']);
    expect((await inject('POST', '/v1/payments', driver, payBody(civilId, fineNumbers))).statusCode).toBe(400);
    const key = randomUUID();
    const first = await pay(driver, payBody(civilId, fineNumbers), key);
    const again = await pay(driver, payBody(civilId, fineNumbers), key);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    expect((await pay(driver, payBody(civilId, fineNumbers, { mobile: '66001122' }), key)).statusCode).toBe(422);
    expect(await query('payment-gateway', 'SELECT count(*)::int AS n FROM payment WHERE payer_id = $1', [civilId])).toEqual([{ n: 1 }]);
  });

  it('a fine in a pending payment cannot go into another; two payments racing for one fine, one wins', async () => {
    const { civilId, fineNumbers, driver } = await aDriverWithFines(['PHONE', 'NO-PARK']);
    const [a, b] = await Promise.all([pay(driver, payBody(civilId, fineNumbers)), pay(driver, payBody(civilId, [fineNumbers[0]]))]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409]);
    const loser = a.statusCode === 409 ? a : b;
    expect(loser.json().fines).toEqual(expect.arrayContaining([{ fineNumber: fineNumbers[0], reason: 'RESERVED' }]));
    const reserved = await query('payment-gateway', 'SELECT count(*)::int AS n FROM payment_item WHERE fine_number = $1 AND reserved', [fineNumbers[0]]);
    expect(reserved).toEqual([{ n: 1 }]);
  });

  it('fines out of the payer’s scope, unknown or for another payer are refused', async () => {
    const mine = await aDriverWithFines(['NO-PARK']);
    const theirs = await aDriverWithFines(['NO-PARK']);
    const response = await pay(mine.driver, payBody(mine.civilId, [...mine.fineNumbers, theirs.fineNumbers[0], '99999999999']), randomUUID());
    expect(response.statusCode).toBe(409);
    expect(response.json().fines).toEqual([
      { fineNumber: theirs.fineNumbers[0], reason: 'OUT_OF_SCOPE' },
      { fineNumber: '99999999999', reason: 'UNKNOWN' },
    ]);
    expect((await pay(mine.driver, payBody(theirs.civilId, theirs.fineNumbers))).statusCode).toBe(403);
  });

  describe('bank callbacks', () => {
    it('missing, malformed, stale, wrongly keyed or tampered signatures get 401 and change nothing', async () => {
      const { civilId, fineNumbers, driver } = await aDriverWithFines(['NO-PARK']);
      const payment = (await pay(driver, payBody(civilId, fineNumbers))).json();
      const body = captured(payment.paymentNumber, '15.000');
      expect((await callback(body, { header: null })).statusCode).toBe(401);
      expect((await callback(body, { header: 't=abc,v1=zz' })).statusCode).toBe(401);
      expect((await callback(body, { at: Math.floor(Date.now() / 1000) - 301 })).statusCode).toBe(401);
      expect((await callback(body, { secret: 'another-bank-secret-of-some-length' })).statusCode).toBe(401);
      expect((await callback(body, { tamper: true })).statusCode).toBe(401);
      const [row] = await query('payment-gateway', 'SELECT status FROM payment WHERE payment_number = $1', [payment.paymentNumber]);
      expect(row.status).toBe('PENDING');
      const stored = await query('payment-gateway', `SELECT outcome FROM bank_callback WHERE raw_body LIKE $1 ORDER BY id`, [`%${payment.paymentNumber}%`]);
      expect(stored.map((r: { outcome: string }) => r.outcome)).toEqual([
        'signature-missing',
        'signature-malformed',
        'signature-stale',
        'signature-mismatch',
        'signature-mismatch',
      ]);
    });

    it('a capture settles the fines once: violations shows them PAID, the registry drops them, duplicates change nothing', async () => {
      const { civilId, fineNumbers, driver } = await aDriverWithFines();
      const payment = (await pay(driver, payBody(civilId, fineNumbers))).json();
      const body = captured(payment.paymentNumber, '240.000');
      const first = await callback(body);
      expect(first.statusCode).toBe(200);
      expect(first.json()).toEqual({ status: 'accepted' });
      expect((await callback(body)).statusCode).toBe(200);
      await eventually(async () => (await fineStatuses(fineNumbers)).every((s) => s === 'PAID'), 30000, 'fines PAID');
      await eventually(
        async () => (await query('vehicle-registry', 'SELECT 1 FROM outstanding_fine WHERE fine_number = ANY($1)', [fineNumbers])).length === 0,
        30000,
        'registry cleared',
      );
      const view = (await inject('GET', `/v1/payments/${payment.paymentNumber}`, driver)).json();
      expect(view).toMatchObject({ status: 'PAID', bankReference: body.bankReference, total: { amount: '240.000' } });
      const settledEvents = await query(
        'violations',
        `SELECT count(*)::int AS n FROM outbox_message WHERE event_type = 'violations.fine.settled' AND envelope->'payload'->>'paymentNumber' = $1`,
        [payment.paymentNumber],
      );
      expect(settledEvents).toEqual([{ n: 3 }]);
    });

    it('a declined payment releases its fines to UNPAID', async () => {
      const { civilId, fineNumbers, driver } = await aDriverWithFines(['PHONE']);
      const payment = (await pay(driver, payBody(civilId, fineNumbers))).json();
      await eventually(async () => (await fineStatuses(fineNumbers))[0] === 'PAYMENT_PENDING', 30000, 'pending');
      expect((await callback(captured(payment.paymentNumber, '75.000', { result: 'DECLINED' }))).statusCode).toBe(200);
      await eventually(async () => (await fineStatuses(fineNumbers))[0] === 'UNPAID', 30000, 'released');
      expect((await pay(driver, payBody(civilId, fineNumbers))).statusCode).toBe(201);
    });

    it('an amount mismatch is refused with 409 and recorded; an unknown payment gets 404; a body that does not parse gets 400', async () => {
      const { civilId, fineNumbers, driver } = await aDriverWithFines(['PHONE']);
      const payment = (await pay(driver, payBody(civilId, fineNumbers))).json();
      expect((await callback(captured(payment.paymentNumber, '74.000'))).statusCode).toBe(409);
      expect((await query('payment-gateway', 'SELECT status FROM payment WHERE payment_number = $1', [payment.paymentNumber]))[0].status).toBe('PENDING');
      expect((await callback(captured('9999999999999', '1.000'))).statusCode).toBe(404);
      expect((await callback({ paymentNumber: payment.paymentNumber, result: 'MAYBE' })).statusCode).toBe(400);
    });

    it('a capture after expiry still settles the unpaid fines; a fine paid meanwhile by another payment makes it REFUND_REQUIRED', async () => {
      const { civilId, fineNumbers, driver } = await aDriverWithFines(['PHONE', 'NO-PARK']);
      const late = (await pay(driver, payBody(civilId, fineNumbers))).json();
      await query('payment-gateway', `UPDATE payment SET expires_at = now() - interval '1 minute' WHERE payment_number = $1`, [late.paymentNumber]);
      expect(await sut.app.get(PaymentExpiryJob).expireDue()).toBeGreaterThanOrEqual(1);
      await eventually(async () => (await fineStatuses(fineNumbers)).every((s) => s === 'UNPAID'), 30000, 'released on expiry');

      const other = (await pay(driver, payBody(civilId, [fineNumbers[0]]))).json();
      expect((await callback(captured(other.paymentNumber, '75.000'))).statusCode).toBe(200);
      expect((await callback(captured(late.paymentNumber, '90.000'))).statusCode).toBe(200);

      const [row] = await query('payment-gateway', 'SELECT status FROM payment WHERE payment_number = $1', [late.paymentNumber]);
      expect(row.status).toBe('REFUND_REQUIRED');
      await eventually(async () => (await fineStatuses(fineNumbers)).every((s) => s === 'PAID'), 30000, 'both fines paid');
      const paidBy = await query('violations', 'SELECT payment_number FROM fine WHERE fine_number = ANY($1) ORDER BY fine_number', [fineNumbers]);
      expect(paidBy.map((r: { payment_number: string }) => r.payment_number).sort()).toEqual([late.paymentNumber, other.paymentNumber].sort());
    });
    it('a fine cancelled while its payment was pending is not settled by the capture: the payment is REFUND_REQUIRED', async () => {
      const { civilId, fineNumbers, driver } = await aDriverWithFines(['PHONE', 'NO-PARK']);
      const payment = (await pay(driver, payBody(civilId, fineNumbers))).json();
      await eventually(async () => (await fineStatuses(fineNumbers)).every((s) => s === 'PAYMENT_PENDING'), 30000, 'reserved');
      // The race this stands for: the officer's cancellation reached the fine before the reservation did.
      await query('violations', `UPDATE fine SET status = 'UNPAID', pending_payment_number = NULL WHERE fine_number = $1`, [fineNumbers[0]]);
      expect((await inject('POST', `/v1/fines/${fineNumbers[0]}/cancellation`, officer, { reason: 'Appeal accepted' })).statusCode).toBe(200);
      await eventually(
        async () => (await query('payment-gateway', 'SELECT status FROM payable_fine WHERE fine_number = $1', [fineNumbers[0]]))[0].status === 'CANCELLED',
        30000,
        'the cancellation in payment-gateway',
      );
      expect((await callback(captured(payment.paymentNumber, '90.000'))).statusCode).toBe(200);
      expect((await query('payment-gateway', 'SELECT status FROM payment WHERE payment_number = $1', [payment.paymentNumber]))[0].status).toBe(
        'REFUND_REQUIRED',
      );
      await eventually(async () => (await fineStatuses([fineNumbers[1]]))[0] === 'PAID', 30000, 'the other fine PAID');
      expect(await fineStatuses([fineNumbers[0]])).toEqual(['CANCELLED']);
    });
  });

  describe('a KNET-style bank', () => {
    const knet = (fields: Record<string, string>, key = KNET_SIM_RESOURCE_KEY) =>
      inject(
        'POST',
        '/v1/bank-callbacks/knet-sim',
        undefined,
        `trandata=${encryptTrandata({ paymentid: '1', postdate: '1122', tranid: 'T1', auth: 'A1', ref: 'R1', amt: '0', trackid: '', result: 'CAPTURED', ...fields }, key)}`,
        {
          'content-type': 'application/x-www-form-urlencoded',
        },
      );

    it('settles a capture and acknowledges with REDIRECT to the result page; a duplicate changes nothing', async () => {
      const { civilId, fineNumbers, driver } = await aDriverWithFines(['NO-PARK', 'SEAT-BELT']);
      const payment = (await pay(driver, payBody(civilId, fineNumbers))).json();
      const fields = { trackid: payment.paymentNumber, amt: '45.000', ref: 'KNET-REF-1' };
      const first = await knet(fields);
      expect(first.statusCode).toBe(200);
      expect(first.headers['content-type']).toContain('text/plain');
      expect(first.body).toBe(`REDIRECT=http://localhost:${PORT}/payment-result?paymentNumber=${payment.paymentNumber}`);
      expect((await knet(fields)).statusCode).toBe(200);
      const view = (await inject('GET', `/v1/payments/${payment.paymentNumber}`, driver)).json();
      expect(view).toMatchObject({ status: 'PAID', bankReference: 'KNET-REF-1' });
      await eventually(async () => (await fineStatuses(fineNumbers)).every((s) => s === 'PAID'), 30000, 'fines PAID');
    });

    it('refuses a message under another key (401) and an amount that differs (409), settling nothing', async () => {
      const { civilId, fineNumbers, driver } = await aDriverWithFines(['NO-PARK']);
      const payment = (await pay(driver, payBody(civilId, fineNumbers))).json();
      expect((await knet({ trackid: payment.paymentNumber, amt: '15.000' }, 'someoneElsesKey1')).statusCode).toBe(401);
      expect((await knet({ trackid: payment.paymentNumber, amt: '14.000' })).statusCode).toBe(409);
      expect((await query('payment-gateway', 'SELECT status FROM payment WHERE payment_number = $1', [payment.paymentNumber]))[0].status).toBe('PENDING');
    });
  });

  it('reconciliation compares the bank’s settlement file with what was settled here and stores the report', async () => {
    const admin = await bearer('admin');
    const settle = async (codes: string[], amount: string) => {
      const { civilId, fineNumbers, driver } = await aDriverWithFines(codes);
      const payment = (await pay(driver, payBody(civilId, fineNumbers))).json();
      const body = captured(payment.paymentNumber, amount);
      expect((await callback(body)).statusCode).toBe(200);
      return { paymentNumber: payment.paymentNumber as string, bankReference: body.bankReference };
    };
    const matched = await settle(['NO-PARK'], '15.000');
    const mismatched = await settle(['SEAT-BELT'], '30.000');
    const absentFromFile = await settle(['PHONE'], '75.000');
    const { civilId, fineNumbers, driver } = await aDriverWithFines(['NO-PARK']);
    const pending = (await pay(driver, payBody(civilId, fineNumbers))).json();
    const now = new Date().toISOString();
    const csv = [
      'bankReference,paymentNumber,amount,currency,time',
      `${matched.bankReference},${matched.paymentNumber},15.000,KWD,${now}`,
      `${mismatched.bankReference},${mismatched.paymentNumber},31.000,KWD,${now}`,
      `REF-X,9999999999999,10.000,KWD,${now}`,
      `REF-Y,${pending.paymentNumber},15.000,KWD,${now}`,
    ].join('\n');

    const response = await inject('POST', '/v1/reconciliation/sim', admin, csv, { 'content-type': 'text/csv' });
    expect(response.statusCode).toBe(200);
    const report = response.json();
    expect(report.matched.map((m: { paymentNumber: string }) => m.paymentNumber)).toContain(matched.paymentNumber);
    expect(report.amountMismatches).toEqual([
      { line: 3, paymentNumber: mismatched.paymentNumber, atBank: { amount: '31.000', currency: 'KWD' }, here: { amount: '30.000', currency: 'KWD' } },
    ]);
    expect(report.unknownHere).toEqual([{ line: 4, paymentNumber: '9999999999999', bankReference: 'REF-X', amount: { amount: '10.000', currency: 'KWD' } }]);
    expect(report.unsettledHere).toEqual([
      { line: 5, paymentNumber: pending.paymentNumber, statusHere: 'PENDING', amount: { amount: '15.000', currency: 'KWD' } },
    ]);
    expect(report.missingAtBank.map((m: { paymentNumber: string }) => m.paymentNumber)).toContain(absentFromFile.paymentNumber);

    const stored = await inject('GET', `/v1/reconciliation/sim/${report.id}`, admin);
    expect(stored.statusCode).toBe(200);
    expect(stored.json().counts).toEqual(report.counts);
    expect((await inject('POST', '/v1/reconciliation/sim', driver, csv, { 'content-type': 'text/csv' })).statusCode).toBe(403);
    const broken = await inject('POST', '/v1/reconciliation/sim', admin, 'a,b\nREF,1,abc,KWD,yesterday', { 'content-type': 'text/csv' });
    expect(broken.statusCode).toBe(400);
  });

  it('the bank simulator shows a page and its Approve posts a signed callback, then returns the browser', async () => {
    const { civilId, fineNumbers, driver } = await aDriverWithFines(['NO-PARK']);
    const payment = (await pay(driver, payBody(civilId, fineNumbers, { returnUrl: 'https://portal.example/done' }))).json();
    const page = await inject('GET', `/bank-sim/${payment.paymentNumber}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('15.000');
    const approve = await inject('POST', `/bank-sim/${payment.paymentNumber}/approve`);
    expect(approve.statusCode).toBe(303);
    expect(approve.headers.location).toBe(`https://portal.example/done?paymentNumber=${payment.paymentNumber}&result=CAPTURED`);
    expect((await query('payment-gateway', 'SELECT status FROM payment WHERE payment_number = $1', [payment.paymentNumber]))[0].status).toBe('PAID');
  });

  it('without a returnUrl the simulator sends the browser to the payment result page; Decline leaves the fines unpaid', async () => {
    const { civilId, fineNumbers, driver } = await aDriverWithFines(['NO-PARK', 'SEAT-BELT']);
    const payment = (await pay(driver, payBody(civilId, fineNumbers))).json();
    expect((await inject('GET', `/bank-sim/${payment.paymentNumber}`)).body).toContain('مخالفتان / 2 fines');
    const decline = await inject('POST', `/bank-sim/${payment.paymentNumber}/decline`);
    expect(decline.statusCode).toBe(303);
    expect(decline.headers.location).toBe(`/payment-result?paymentNumber=${payment.paymentNumber}&result=DECLINED`);
    expect((await inject('GET', decline.headers.location as string)).statusCode).toBe(200);
    await eventually(async () => (await fineStatuses(fineNumbers)).every((s) => s === 'UNPAID'), 30000, 'released');
  });

  it('the same capture five times at once settles once, and each is recorded, all five in one transaction', async () => {
    const { civilId, fineNumbers, driver } = await aDriverWithFines(['SEAT-BELT']);
    const payment = (await pay(driver, payBody(civilId, fineNumbers))).json();
    const outcome = {
      bankCode: 'sim',
      paymentNumber: payment.paymentNumber,
      bankReference: 'DUP1',
      result: 'CAPTURED' as const,
      amountMinor: 30000,
      currency: 'KWD',
      occurredAt: new Date().toISOString(),
    };
    const settlement = sut.app.get(SettlementService);
    const received = { bankCode: 'sim', signature: null, raw: '{}', said: { paymentNumber: payment.paymentNumber, bankReference: 'DUP1', result: 'CAPTURED' } };
    const results = await Promise.all(Array.from({ length: 5 }, () => settlement.settle(outcome, received)));
    expect(results.sort()).toEqual(['DUPLICATE', 'DUPLICATE', 'DUPLICATE', 'DUPLICATE', 'SETTLED']);
    const records = await query('payment-gateway', 'SELECT http_status, outcome FROM bank_callback WHERE payment_number = $1 ORDER BY outcome', [
      payment.paymentNumber,
    ]);
    expect(records).toEqual([...Array.from({ length: 4 }, () => ({ http_status: 200, outcome: 'duplicate' })), { http_status: 200, outcome: 'settled' }]);
    // Callbacks arriving together wait for each other (the batch's linger) and are written by one transaction.
    const writers = await query('payment-gateway', 'SELECT count(DISTINCT xmin::text)::int AS n FROM bank_callback WHERE payment_number = $1', [
      payment.paymentNumber,
    ]);
    expect(writers).toEqual([{ n: 1 }]);
    const events = await query(
      'payment-gateway',
      `SELECT count(*)::int AS n FROM outbox_message WHERE event_type = 'payments.payment.succeeded' AND message_key = $1`,
      [payment.paymentNumber],
    );
    expect(events).toEqual([{ n: 1 }]);
  });
});
