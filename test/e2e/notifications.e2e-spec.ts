import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { verifyWebhook } from '../../apps/notification/src/channels/webhook-signature';
import { headerOf } from '../../apps/notification/src/simulators/smtp-sink';
import { aFine, aPerson, aVehicle } from '../support/factories';
import { bearer } from '../support/tokens';
import { resetBroker } from './support/kafka';
import { ServiceProcess, countOf, eventually, query, recreateDatabases, sleep } from './support/stack';

interface Post {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

interface Mail {
  to: string[];
  subject: string | null;
  notificationId: string | null;
  raw: string;
}

/** A real HTTP endpoint: the SMS provider and the fleet system. `answer` decides the status of each post. */
async function httpEndpoint(answer: (post: Post) => number): Promise<{ url: string; accepted: Post[]; refused: number; close(): Promise<void> }> {
  const state = { accepted: [] as Post[], refused: 0 };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const post = { path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      const status = answer(post);
      if (status >= 200 && status < 300) state.accepted.push(post);
      else state.refused++;
      res.writeHead(status, { 'content-type': 'application/json' }).end(status < 300 ? '{"status":"accepted"}' : '{"error":"unavailable"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    accepted: state.accepted,
    get refused() {
      return state.refused;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A real SMTP server (smtp-server), keeping every message it accepts. */
async function smtpServer(): Promise<{ url: string; mails: Mail[]; close(): Promise<void> }> {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        mails.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: headerOf(raw, 'subject'),
          notificationId: headerOf(raw, 'x-notification-id'),
          raw,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
    mails,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Polls a condition on what the test's own servers received. */
const soon = <T>(probe: () => T | undefined | null | false, what: string): Promise<T> => eventually(() => Promise.resolve(probe()), 30000, what);

/** A driver's and a fleet's story on Kafka and PostgreSQL, with a real SMS endpoint, SMTP server and fleet endpoint. */
describe('notifications across services', () => {
  let smsDown = false;
  let sms: Awaited<ReturnType<typeof httpEndpoint>>;
  let fleetSystem: Awaited<ReturnType<typeof httpEndpoint>>;
  let smtp: Awaited<ReturnType<typeof smtpServer>>;
  const registry = new ServiceProcess('vehicle-registry');
  const violations = new ServiceProcess('violations');
  const payments = new ServiceProcess('payment-gateway');
  let notification: ServiceProcess;

  beforeAll(async () => {
    recreateDatabases();
    await resetBroker();
    sms = await httpEndpoint(() => (smsDown ? 503 : 200));
    fleetSystem = await httpEndpoint(() => 200);
    smtp = await smtpServer();
    notification = new ServiceProcess('notification', {
      SMS_PROVIDER_URL: `${sms.url}/v1/messages`,
      SMS_PROVIDER_AUTH_HEADER: 'x-api-key',
      SMS_PROVIDER_AUTH: 'e2e-provider-key',
      SMTP_URL: smtp.url,
      NOTIFY_MAX_ATTEMPTS: '40',
      NOTIFY_RETRY_BASE_MS: '100',
      NOTIFY_RETRY_MAX_MS: '800',
      NOTIFY_POLL_INTERVAL_MS: '100',
    });
    await Promise.all([registry.startReady(), violations.startReady(), payments.startReady(), notification.startReady()]);
  });

  afterAll(async () => {
    await Promise.all([registry.stop(), violations.stop(), payments.stop(), notification?.stop()]);
    await Promise.all([sms?.close(), fleetSystem?.close(), smtp?.close()]);
  });

  const smsTo = (mobile: string) => sms.accepted.map((p) => JSON.parse(p.body) as { to: string; text: string }).filter((m) => m.to === mobile);

  it('a fine reaches the owner by SMS and email, a payment sends the receipt, a fleet webhook gets a signed post, and an SMS outage loses nothing and repeats nothing', async () => {
    const clerk = { authorization: await bearer('clerk') };
    const officer = { authorization: await bearer('officer') };
    const person = aPerson({ mobile: '99887766', email: 'e2e.owner@example.com', language: 'ar' });
    const vehicle = aVehicle(person.civilId);
    const companyNo = '880011';
    const truck = aVehicle(companyNo, { plateType: 'TRUCK', owner: { type: 'COMPANY', id: companyNo } });
    expect((await registry.request('POST', '/v1/persons', person, clerk)).status).toBe(201);
    expect(
      (await registry.request('POST', '/v1/companies', { companyNo, nameAr: 'شركة الأسطول', nameEn: 'Fleet Co.', mobile: '66112200', language: 'en' }, clerk))
        .status,
    ).toBe(201);
    expect((await registry.request('POST', '/v1/vehicles', vehicle, clerk)).status).toBe(201);
    expect((await registry.request('POST', '/v1/vehicles', truck, clerk)).status).toBe(201);
    await eventually(
      async () =>
        (await countOf('violations', 'SELECT count(*) FROM plate_ownership WHERE plate_number IN ($1, $2)', [vehicle.plateNumber, truck.plateNumber])) === 2 &&
        (await countOf('notification', 'SELECT count(*) FROM plate_owner WHERE plate_number IN ($1, $2)', [vehicle.plateNumber, truck.plateNumber])) === 2,
      30000,
      'plate owners in violations and notification',
    );

    // 1. A fine: the owner's SMS (Arabic) and email arrive.
    const fine = await violations.request('POST', '/v1/fines', aFine(vehicle.plateNumber, { violationCode: 'RED-LIGHT' }), officer);
    expect(fine.status).toBe(201);
    const fineNumber: string = fine.body.fineNumber;
    const alert = await soon(() => smsTo('+96599887766').find((m) => m.text.includes(fineNumber)), 'the fine alert SMS');
    expect(alert.text).toContain(`على مركبتك ${vehicle.plateNumber} (خصوصي)`);
    expect(alert.text).toContain('تجاوز الإشارة الضوئية الحمراء');
    const alertMail = await soon(() => smtp.mails.find((m) => m.subject === `مخالفة مرورية جديدة رقم ${fineNumber}`), 'the fine alert email');
    expect(alertMail.to).toEqual(['e2e.owner@example.com']);
    expect(sms.accepted[0].headers['x-api-key']).toBe('e2e-provider-key');

    // 2. Pay it through the bank simulator: the receipt arrives by SMS and email.
    await eventually(
      async () => (await countOf('payment-gateway', 'SELECT count(*) FROM payable_fine WHERE fine_number = $1', [fineNumber])) === 1,
      30000,
      'payable',
    );
    const driver = { authorization: await bearer('driver', { civilId: person.civilId }) };
    const payment = await payments.request(
      'POST',
      '/v1/payments',
      {
        fineNumbers: [fineNumber],
        payer: { idType: 'CIVIL_ID', idNumber: person.civilId },
        mobile: person.mobile,
        email: 'e2e.payer@example.com',
        language: 'en',
      },
      { ...driver, 'idempotency-key': `e2e-notify-${person.civilId}` },
    );
    expect(payment.status).toBe(201);
    const paymentNumber: string = payment.body.paymentNumber;
    const approve = await fetch(`${payments.url}/bank-sim/${paymentNumber}/approve`, { method: 'POST', redirect: 'manual' });
    expect(approve.status).toBe(303);
    const receipt = await soon(() => smsTo('+96599887766').find((m) => m.text.startsWith('Payment received')), 'the receipt SMS');
    expect(receipt.text).toMatch(
      new RegExp(`^Payment received: KWD 150\\.000 for fine ${fineNumber}\\. Payment number ${paymentNumber}, bank reference SIM[0-9A-F]{12}\\. Thank you\\.$`),
    );
    const receiptMail = await soon(() => smtp.mails.find((m) => m.subject === `Traffic fines payment receipt - payment ${paymentNumber}`), 'the receipt email');
    expect(receiptMail.to).toEqual(['e2e.payer@example.com']);

    // 3. The fleet subscribes; a fine on its truck is posted to it, signed with its secret.
    const secret = 'fleet-e2e-secret-0123456789';
    const fleet = { authorization: await bearer('fleet', { companyNo }) };
    expect((await notification.request('PUT', `/v1/companies/${companyNo}/webhook`, { url: `${fleetSystem.url}/hooks/fines`, secret }, fleet)).status).toBe(
      200,
    );
    const truckFine = await violations.request('POST', '/v1/fines', aFine(truck.plateNumber, { plateType: 'TRUCK', violationCode: 'OVERLOAD' }), officer);
    expect(truckFine.status).toBe(201);
    const post = await soon(() => fleetSystem.accepted.find((p) => p.body.includes(truckFine.body.fineNumber)), 'the fleet webhook post');
    expect(post.path).toBe('/hooks/fines');
    expect(verifyWebhook(post.headers['x-signature'] as string, post.body, secret)).toBe(true);
    expect(JSON.parse(post.body)).toMatchObject({
      type: 'fine.issued',
      companyNo,
      fine: { fineNumber: truckFine.body.fineNumber, amount: { amount: '50.000', currency: 'KWD' } },
    });

    // 4. The SMS provider answers 503 for a while: messages wait, retried with back-off, and each arrives once when it is back.
    smsDown = true;
    const refusedBefore = sms.refused;
    const during: string[] = [];
    for (const violationCode of ['PHONE', 'SEAT-BELT', 'NO-PARK']) {
      const r = await violations.request('POST', '/v1/fines', aFine(vehicle.plateNumber, { violationCode }), officer);
      expect(r.status).toBe(201);
      during.push(r.body.fineNumber);
    }
    await soon(() => sms.refused - refusedBefore >= 9, 'the provider to refuse several attempts');
    const waiting = await query<{ status: string; attempts: number }>(
      'notification',
      `SELECT status, attempts FROM delivery WHERE channel = 'SMS' AND fine_numbers && $1::text[]`,
      [during],
    );
    expect(waiting).toHaveLength(3);
    expect(waiting.every((w) => w.status === 'PENDING')).toBe(true);
    expect(waiting.reduce((sum, w) => sum + w.attempts, 0)).toBeGreaterThanOrEqual(6);
    // Email is another provider: it does not wait for SMS.
    await soon(() => during.every((n) => smtp.mails.some((m) => m.subject?.includes(n))), 'emails during the SMS outage');
    await sleep(1500);
    smsDown = false;
    await soon(() => during.every((n) => smsTo('+96599887766').some((m) => m.text.includes(n))), 'the SMS after the outage');
    await sleep(1500); // anything sent twice would show by now

    const allSms = sms.accepted.map((p) => JSON.parse(p.body) as { to: string; text: string; reference: string });
    expect(new Set(allSms.map((m) => m.reference)).size).toBe(allSms.length);
    for (const n of [fineNumber, ...during]) expect(allSms.filter((m) => m.text.includes(n) && !m.text.startsWith('Payment'))).toHaveLength(1);
    expect(allSms.filter((m) => m.text.startsWith('Payment received'))).toHaveLength(1);
    const ids = smtp.mails.map((m) => m.notificationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(fleetSystem.accepted).toHaveLength(1);
    const states = await query<{ status: string; n: string }>('notification', `SELECT status, count(*) AS n FROM delivery GROUP BY status`);
    expect(states).toEqual([{ status: 'SENT', n: expect.any(String) }]);

    // The delivery log, as an admin reads it.
    const admin = { authorization: await bearer('admin') };
    const logged = await notification.request('GET', `/v1/notifications?fineNumber=${during[0]}`, undefined, admin);
    expect(logged.status).toBe(200);
    const smsRow = logged.body.items.find((n: { channel: string }) => n.channel === 'SMS');
    expect(smsRow).toMatchObject({ status: 'SENT', recipient: '+96599887766', lastError: null });
    expect(smsRow.attempts).toBeGreaterThan(1);
  });
});
