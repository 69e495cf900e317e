import { randomUUID } from 'node:crypto';
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo, connect } from 'node:net';
import { EVENTS, EventEnvelope, FineIssued } from '@app/contracts';
import { ConsumerPipeline } from '@app/messaging';
import { transactionHostToken, TransactionHost } from '@app/persistence';
import { SIM_BANK_SECRET, signBody } from '@app/platform';
import { FineAlertsService } from '../../apps/notification/src/alerts/fine-alerts.service';
import { verifyWebhook } from '../../apps/notification/src/channels/webhook-signature';
import { SmtpSink } from '../../apps/notification/src/simulators/smtp-sink';
import { EmbeddedTestApp, eventually, startEmbedded } from '../support/embedded-app';
import { aCivilId, aFine, aPerson, aVehicle } from '../support/factories';
import { bearer } from '../support/tokens';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A local HTTP endpoint that records what it receives and answers what `status` says. */
async function anEndpoint(status: (received: Received) => number = () => 200): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      const code = status(r);
      if (code >= 200 && code < 300) received.push(r);
      res.writeHead(code, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

interface Notification {
  channel: string;
  recipient: string;
  template: string;
  language: string;
  status: string;
  attempts: number;
  lastError: string | null;
  subject: string | null;
  text: string;
  fineNumbers: string[];
  paymentNumber: string | null;
}

describe('notifications on the embedded default (simulators)', () => {
  const PORT = 3000 + 900 + (process.pid % 90);
  let sut: EmbeddedTestApp;
  let clerk: string;
  let officer: string;
  let admin: string;

  beforeAll(async () => {
    sut = await startEmbedded({ PORT: String(PORT), NOTIFY_RETRY_BASE_MS: '50', NOTIFY_RETRY_MAX_MS: '200', NOTIFY_POLL_INTERVAL_MS: '100' }, { listen: true });
    [clerk, officer, admin] = await Promise.all([bearer('clerk'), bearer('officer'), bearer('admin')]);
  });

  afterAll(async () => {
    await sut.close();
  });

  const inject = (
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    authorization?: string,
    payload?: object | string,
    headers: Record<string, string> = {},
  ) => sut.app.inject({ method, url, payload, headers: { ...(authorization ? { authorization } : {}), ...headers } });
  const notifications = async (query: string): Promise<Notification[]> => (await inject('GET', `/v1/notifications?${query}`, admin)).json().items;
  const sentFor = async (query: string, count: number, what: string) =>
    eventually(
      async () => {
        const items = await notifications(query);
        return items.length >= count && items.every((n) => n.status === 'SENT') && items;
      },
      30000,
      what,
    );

  async function anOwnerWithVehicle(overrides: Record<string, unknown> = {}) {
    const person = aPerson({ mobile: '99112233', email: `owner-${randomUUID().slice(0, 8)}@example.com`, ...overrides });
    expect((await inject('POST', '/v1/persons', clerk, person)).statusCode).toBe(201);
    const vehicle = aVehicle(person.civilId);
    expect((await inject('POST', '/v1/vehicles', clerk, vehicle)).statusCode).toBe(201);
    await eventually(
      async () =>
        (await sut.dataSource('violations').query('SELECT 1 FROM plate_ownership WHERE plate_number = $1', [vehicle.plateNumber])).length === 1 &&
        (await sut.dataSource('notification').query('SELECT 1 FROM plate_owner WHERE plate_number = $1', [vehicle.plateNumber])).length === 1,
      30000,
      'plate owner known',
    );
    return { person, vehicle };
  }

  const recordFine = async (plateNumber: string, overrides: Record<string, unknown> = {}) => {
    const response = await inject('POST', '/v1/fines', officer, aFine(plateNumber, { occurredAt: '2026-11-22T17:42:00.000Z', ...overrides }));
    expect(response.statusCode).toBe(201);
    return response.json().fineNumber as string;
  };

  it('a new fine reaches its owner by SMS (through the SMS simulator) and by email (through the SMTP sink), in Arabic', async () => {
    const { person, vehicle } = await anOwnerWithVehicle();
    const fineNumber = await recordFine(vehicle.plateNumber);
    const sent = await sentFor(`fineNumber=${fineNumber}`, 2, 'alert sent');
    const sms = sent.find((n) => n.channel === 'SMS')!;
    const email = sent.find((n) => n.channel === 'EMAIL')!;
    expect(sms).toMatchObject({ recipient: '+96599112233', template: 'fine-issued', language: 'ar', attempts: 1 });
    // The fullest wording (with "جديدة" and the time) would take three segments: the one with the day only fits in two.
    expect(sms.text).toBe(
      `سُجّلت على مركبتك ${vehicle.plateNumber} (خصوصي) المخالفة رقم ${fineNumber}: تجاوز الإشارة الضوئية الحمراء، بقيمة 150.000 د.ك، في 22\u200f/11\u200f/2026.`,
    );
    expect(email).toMatchObject({ recipient: person.email, subject: `مخالفة مرورية جديدة رقم ${fineNumber}` });
    expect(email.text).toContain('المكان: شارع الخليج العربي، الشرق');

    const simulated = (await inject('GET', '/sms-sim/messages', admin)).json<{ request: { to: string; text: string; from: string } }[]>();
    expect(simulated.find((m) => m.request.text === sms.text)?.request).toMatchObject({ to: '+96599112233', from: 'MOI' });
    const mails = (await inject('GET', '/smtp-sink/messages', admin)).json<{ to: string[]; subject: string }[]>();
    expect(mails.find((m) => m.subject === email.subject)?.to).toEqual([person.email]);
  });

  it('the development SMTP sink survives clients that reset in the middle of a mail, and keeps delivering', async () => {
    const sink = new URL(sut.app.get(SmtpSink).url!);
    const resetMidMail = () =>
      new Promise<void>((resolve, reject) => {
        const socket = connect({ host: sink.hostname, port: Number(sink.port) });
        const lines = ['EHLO test.example\r\n', 'MAIL FROM:<reset@example.com>\r\n'];
        socket.on('data', () => {
          const next = lines.shift();
          if (next) socket.write(next);
          else socket.resetAndDestroy();
        });
        socket.on('close', () => resolve());
        socket.on('error', reject);
      });
    await resetMidMail();
    await resetMidMail();
    // Outside Jest an 'error' event with no listener ends the process (Jest only prints it): the sink must keep one.
    const sinkServer = sut.app.get<SmtpSink, { server: { listenerCount(event: string): number } }>(SmtpSink).server;
    expect(sinkServer.listenerCount('error')).toBeGreaterThan(0);
    const { vehicle } = await anOwnerWithVehicle();
    const fineNumber = await recordFine(vehicle.plateNumber);
    expect((await sentFor(`fineNumber=${fineNumber}`, 2, 'alert sent after the resets')).map((n) => n.channel).sort()).toEqual(['EMAIL', 'SMS']);
  });

  it('a changed contact is used from the next message on: new mobile, new email, English', async () => {
    const { person, vehicle } = await anOwnerWithVehicle();
    await recordFine(vehicle.plateNumber);
    const patched = await inject('PATCH', `/v1/persons/${person.civilId}/contact`, clerk, {
      mobile: '+96566554433',
      email: 'new-address@example.com',
      language: 'en',
    });
    expect(patched.statusCode).toBe(200);
    await eventually(
      async () =>
        (await sut.dataSource('notification').query(`SELECT 1 FROM contact WHERE owner_id = $1 AND mobile = '+96566554433'`, [person.civilId])).length === 1,
      30000,
      'contact updated',
    );
    const fineNumber = await recordFine(vehicle.plateNumber, { violationCode: 'PHONE' });
    const sent = await sentFor(`fineNumber=${fineNumber}`, 2, 'alert sent');
    expect(sent.map((n) => [n.channel, n.recipient, n.language]).sort()).toEqual([
      ['EMAIL', 'new-address@example.com', 'en'],
      ['SMS', '+96566554433', 'en'],
    ]);
    expect(sent.find((n) => n.channel === 'SMS')!.text).toBe(
      `New traffic fine ${fineNumber} on your vehicle ${vehicle.plateNumber} (Private): Using a hand-held phone while driving, KWD 75.000, 22 Nov 2026, 8:42 pm.`,
    );
  });

  it('a duplicate event sends nothing twice, through the inbox or around it', async () => {
    const { vehicle } = await anOwnerWithVehicle();
    const fineNumber = await recordFine(vehicle.plateNumber);
    await sentFor(`fineNumber=${fineNumber}`, 2, 'alert sent');
    const [{ envelope }] = await sut
      .dataSource('violations')
      .query(`SELECT envelope FROM outbox_message WHERE event_type = $1 AND envelope->'payload'->>'fineNumber' = $2`, [EVENTS.fineIssued.type, fineNumber]);
    const message = { topic: EVENTS.fineIssued.topic, value: JSON.stringify(envelope) };
    await sut.app.get(ConsumerPipeline).handleBatch('notification', [message, message]);
    // Around the inbox: the handler itself, run again in a transaction, adds nothing either.
    const tx = sut.app.get<TransactionHost>(transactionHostToken('notification'));
    await tx.run(() => sut.app.get(FineAlertsService).alertNewFines([envelope as EventEnvelope<FineIssued>]));
    await new Promise((r) => setTimeout(r, 300));
    const rows = await sut.dataSource('notification').query(`SELECT channel, status FROM delivery WHERE $1 = ANY(fine_numbers) ORDER BY channel`, [fineNumber]);
    expect(rows).toEqual([
      { channel: 'EMAIL', status: 'SENT' },
      { channel: 'SMS', status: 'SENT' },
    ]);
  });

  it('a payer who gave no email with the payment gets the receipt at the email on record', async () => {
    const { person, vehicle } = await anOwnerWithVehicle();
    const fineNumber = await recordFine(vehicle.plateNumber, { violationCode: 'NO-PARK' });
    await eventually(
      async () => (await sut.dataSource('payment-gateway').query('SELECT 1 FROM payable_fine WHERE fine_number = $1', [fineNumber])).length === 1,
      30000,
      'payable',
    );
    const driver = await bearer('driver', { civilId: person.civilId });
    const body = { fineNumbers: [fineNumber], payer: { idType: 'CIVIL_ID', idNumber: person.civilId }, mobile: '99001122' };
    const payment = (await inject('POST', '/v1/payments', driver, body, { 'idempotency-key': randomUUID() })).json<{ paymentNumber: string }>();
    const raw = JSON.stringify({
      paymentNumber: payment.paymentNumber,
      bankReference: 'SIMNOEMAIL1',
      result: 'CAPTURED',
      amount: '15.000',
      currency: 'KWD',
      occurredAt: new Date().toISOString(),
    });
    const answer = await inject('POST', '/v1/bank-callbacks/sim', undefined, raw, {
      'content-type': 'application/json',
      'x-bank-signature': signBody(SIM_BANK_SECRET, raw),
    });
    expect(answer.statusCode).toBe(200);
    const receipt = await sentFor(`paymentNumber=${payment.paymentNumber}`, 2, 'receipt');
    expect(receipt.find((n) => n.channel === 'EMAIL')).toMatchObject({ recipient: person.email, template: 'payment-receipt' });
  });

  it('a fine on a plate nobody is known to own is not dropped unseen: the delivery log shows it FAILED with the reason', async () => {
    const fineNumber = await recordFine(aVehicle(aCivilId()).plateNumber);
    const [logged] = await eventually(
      async () => {
        const items = (await inject('GET', `/v1/notifications?fineNumber=${fineNumber}`, admin)).json<{ items: Notification[] }>().items;
        return items.length > 0 && items;
      },
      30000,
      'the unsendable alert logged',
    );
    expect(logged).toMatchObject({ status: 'FAILED', template: 'fine-issued', attempts: 0 });
    expect(logged.lastError).toMatch(/^no owner known for the plate \(PRIVATE \d+\) when the fine arrived$/);
  });

  it('seeded fines (the demo data) alert nobody', async () => {
    const { vehicle } = await anOwnerWithVehicle();
    const [{ envelope }] = await sut
      .dataSource('violations')
      .query(`SELECT envelope FROM outbox_message WHERE event_type = $1 LIMIT 1`, [EVENTS.fineIssued.type]);
    const seeded = {
      ...envelope,
      eventId: randomUUID(),
      payload: { ...envelope.payload, fineNumber: '99000000001', plateNumber: vehicle.plateNumber, plateType: 'PRIVATE', seeded: true },
    };
    await sut.app.get(ConsumerPipeline).handleBatch('notification', [{ topic: EVENTS.fineIssued.topic, value: JSON.stringify(seeded) }]);
    expect(await sut.dataSource('notification').query(`SELECT 1 FROM fine_fact WHERE fine_number = '99000000001'`)).toHaveLength(1);
    expect(await notifications('fineNumber=99000000001')).toEqual([]);
  });

  it('a paid payment sends the payer a receipt; a declined one says the fines are unpaid again; a cancelled fine is told', async () => {
    const { person, vehicle } = await anOwnerWithVehicle();
    const fines = [await recordFine(vehicle.plateNumber), await recordFine(vehicle.plateNumber, { violationCode: 'NO-PARK' })];
    await eventually(
      async () => (await sut.dataSource('payment-gateway').query('SELECT 1 FROM payable_fine WHERE fine_number = ANY($1)', [fines])).length === 2,
      30000,
      'payable',
    );
    const driver = await bearer('driver', { civilId: person.civilId });
    const pay = async (fineNumbers: string[]) =>
      (
        await inject(
          'POST',
          '/v1/payments',
          driver,
          { fineNumbers, payer: { idType: 'CIVIL_ID', idNumber: person.civilId }, mobile: '99001122', email: 'payer@example.com', language: 'ar' },
          { 'idempotency-key': randomUUID() },
        )
      ).json();
    const callback = (paymentNumber: string, amount: string, result: string, bankReference = 'SIM0A1B2C3D4E5F') => {
      const raw = JSON.stringify({ paymentNumber, bankReference, result, amount, currency: 'KWD', occurredAt: new Date().toISOString() });
      return inject('POST', '/v1/bank-callbacks/sim', undefined, raw, {
        'content-type': 'application/json',
        'x-bank-signature': signBody(SIM_BANK_SECRET, raw),
      });
    };

    const declined = await pay(fines);
    expect((await callback(declined.paymentNumber, '165.000', 'DECLINED')).statusCode).toBe(200);
    const notice = await sentFor(`paymentNumber=${declined.paymentNumber}`, 2, 'failure notice');
    expect(notice.find((n) => n.channel === 'SMS')).toMatchObject({
      recipient: '+96599001122',
      template: 'payment-failed',
      text: `رفض البنك عملية الدفع رقم ${declined.paymentNumber}. ما زالت المخالفتان بقيمة 165.000 د.ك غير مدفوعتين، ويمكنك محاولة الدفع مجددًا.`,
    });
    // The notice's email goes to the address on record; the payment's address is for receipts.
    expect(notice.find((n) => n.channel === 'EMAIL')?.recipient).toBe(person.email);

    await eventually(
      async () => (await sut.dataSource('payment-gateway').query(`SELECT 1 FROM payment_item WHERE fine_number = ANY($1) AND reserved`, [fines])).length === 0,
      30000,
      'released',
    );
    const paid = await pay(fines);
    expect((await callback(paid.paymentNumber, '165.000', 'CAPTURED')).statusCode).toBe(200);
    const receipt = await sentFor(`paymentNumber=${paid.paymentNumber}`, 2, 'receipt');
    const [a, b] = [...fines].sort();
    expect(receipt.find((n) => n.channel === 'SMS')).toMatchObject({
      template: 'payment-receipt',
      text: `تم استلام دفعتك بنجاح: 165.000 د.ك عن المخالفتين ${fines[0]} و${fines[1]}. رقم عملية الدفع ${paid.paymentNumber}، مرجع البنك SIM0A1B2C3D4E5F.`,
    });
    const email = receipt.find((n) => n.channel === 'EMAIL')!;
    expect(email.recipient).toBe('payer@example.com');
    expect(email.subject).toBe(`إيصال دفع المخالفات المرورية - عملية رقم ${paid.paymentNumber}`);
    expect(email.text).toContain(`- ${a} (`);
    expect(email.text).toContain(`- ${b} (`);
    expect(email.text).toContain('المبلغ الإجمالي: 165.000 د.ك');

    const third = await recordFine(vehicle.plateNumber, { violationCode: 'SEAT-BELT' });
    expect((await inject('POST', `/v1/fines/${third}/cancellation`, officer, { reason: 'Appeal accepted' })).statusCode).toBe(200);
    const cancelled = await sentFor(`fineNumber=${third}`, 4, 'alert and cancel notice');
    const sms = cancelled.find((n) => n.template === 'fine-cancelled' && n.channel === 'SMS');
    expect(
      cancelled
        .filter((n) => n.template === 'fine-cancelled')
        .map((n) => n.channel)
        .sort(),
    ).toEqual(['EMAIL', 'SMS']);
    expect(sms?.text).toBe(`أُلغيت المخالفة رقم ${third} المسجلة على مركبتك ${vehicle.plateNumber} (خصوصي) بقيمة 30.000 د.ك، ولا يلزمك دفعها.`);
  });

  describe('fleet webhooks', () => {
    const companyNo = '771100';
    let fleet: string;
    let truck: ReturnType<typeof aVehicle>;

    beforeAll(async () => {
      fleet = await bearer('fleet', { companyNo });
      await inject('POST', '/v1/companies', clerk, {
        companyNo,
        nameAr: 'شركة النقل السريع',
        nameEn: 'Rapid Transport Co.',
        mobile: '65001122',
        language: 'en',
      });
      truck = aVehicle(companyNo, { plateType: 'TRUCK', owner: { type: 'COMPANY', id: companyNo } });
      await inject('POST', '/v1/vehicles', clerk, truck);
      await eventually(
        async () =>
          (await sut.dataSource('violations').query('SELECT 1 FROM plate_ownership WHERE plate_number = $1', [truck.plateNumber])).length === 1 &&
          (await sut.dataSource('notification').query('SELECT 1 FROM plate_owner WHERE plate_number = $1', [truck.plateNumber])).length === 1,
        30000,
        'truck owner',
      );
    });

    it('only the company itself or an admin registers its webhook; another company, a driver or no token are refused', async () => {
      const body = { url: 'https://fleet.example.kw/hooks/fines', secret: 'a-secret-of-sixteen-or-more' };
      const url = `/v1/companies/${companyNo}/webhook`;
      expect((await inject('PUT', url, await bearer('fleet', { companyNo: '771101' }), body)).statusCode).toBe(403);
      expect((await inject('PUT', url, await bearer('driver', { civilId: aCivilId() }), body)).statusCode).toBe(403);
      expect((await inject('PUT', url, officer, body)).statusCode).toBe(403);
      expect((await inject('PUT', url, undefined, body)).statusCode).toBe(401);
      expect((await inject('DELETE', url, await bearer('fleet', { companyNo: '771101' }))).statusCode).toBe(403);
      const put = await inject('PUT', `/v1/companies/٧٧١١٠٠/webhook`, admin, body);
      expect(put.statusCode).toBe(200);
      expect(put.json()).toEqual({ companyNo, url: body.url, updatedAt: expect.any(String) });
      expect(JSON.stringify(put.json())).not.toContain(body.secret);
      expect((await inject('GET', url, fleet)).json().url).toBe(body.url);
      expect((await inject('DELETE', url, fleet)).statusCode).toBe(204);
      expect((await inject('GET', url, fleet)).statusCode).toBe(404);
    });

    it('a webhook must be HTTPS (loopback HTTP outside production) and have a real secret; bad input gets problem+json in Arabic', async () => {
      const url = `/v1/companies/${companyNo}/webhook`;
      const plain = await inject(
        'PUT',
        url,
        fleet,
        { url: 'http://fleet.example.kw/hook', secret: 'a-secret-of-sixteen-or-more' },
        { 'accept-language': 'ar' },
      );
      expect(plain.statusCode).toBe(422);
      expect(plain.headers['content-type']).toContain('application/problem+json');
      expect(plain.json().title).toBe('عنوان الربط غير مقبول');
      const short = await inject('PUT', url, fleet, { url: 'https://fleet.example.kw/hook', secret: 'short' });
      expect(short.statusCode).toBe(400);
      expect(short.json().errors.map((e: { field: string }) => e.field)).toContain('secret');
    });

    it('each new fine on a company plate is posted to its webhook, signed so the fleet system can verify it', async () => {
      const endpoint = await anEndpoint();
      try {
        const secret = 'fleet-secret-0123456789abcdef';
        expect((await inject('PUT', `/v1/companies/${companyNo}/webhook`, fleet, { url: `${endpoint.url}/hooks/fines`, secret })).statusCode).toBe(200);
        const fineNumber = await recordFine(truck.plateNumber, { plateType: 'TRUCK', violationCode: 'OVERLOAD' });
        const post = await eventually(() => Promise.resolve(endpoint.received.find((r) => r.body.includes(fineNumber))), 30000, 'webhook post');
        expect(post.path).toBe('/hooks/fines');
        expect(verifyWebhook(post.headers['x-signature'] as string, post.body, secret)).toBe(true);
        expect(verifyWebhook(post.headers['x-signature'] as string, post.body, 'another-secret-entirely')).toBe(false);
        expect(JSON.parse(post.body)).toMatchObject({
          type: 'fine.issued',
          companyNo,
          fine: { fineNumber, plate: { plateNumber: truck.plateNumber, plateType: 'TRUCK' }, amount: { amount: '50.000', currency: 'KWD' } },
        });
        const sent = await sentFor(`fineNumber=${fineNumber}`, 2, 'webhook and sms');
        expect(sent.map((n) => n.channel).sort()).toEqual(['SMS', 'WEBHOOK']);
        expect(sent.find((n) => n.channel === 'SMS')?.text).toContain('(Truck): Overloading the vehicle beyond its permitted load, KWD 50.000');
      } finally {
        await endpoint.close();
      }
    });

    it('a post that is still being retried goes to the endpoint the company moved to, signed with its new secret', async () => {
      const old = await anEndpoint(() => 503);
      const moved = await anEndpoint();
      try {
        expect(
          (await inject('PUT', `/v1/companies/${companyNo}/webhook`, fleet, { url: `${old.url}/hooks`, secret: 'old-secret-0123456789abcdef' })).statusCode,
        ).toBe(200);
        const fineNumber = await recordFine(truck.plateNumber, { plateType: 'TRUCK', violationCode: 'OVERLOAD' });
        await eventually(async () => (await webhookOf(fineNumber))?.lastError === 'webhook answered 503', 30000, 'a refused first post');
        const secret = 'new-secret-0123456789abcdef';
        expect((await inject('PUT', `/v1/companies/${companyNo}/webhook`, fleet, { url: `${moved.url}/v2/hooks`, secret })).statusCode).toBe(200);
        const post = await eventually(() => Promise.resolve(moved.received.find((r) => r.body.includes(fineNumber))), 30000, 'the post at the new endpoint');
        expect(post.path).toBe('/v2/hooks');
        expect(verifyWebhook(post.headers['x-signature'] as string, post.body, secret)).toBe(true);
        await eventually(async () => (await webhookOf(fineNumber))?.status === 'SENT', 30000, 'the webhook delivery SENT');
      } finally {
        await Promise.all([old.close(), moved.close()]);
      }
    });

    const webhookOf = async (fineNumber: string) =>
      (await inject('GET', `/v1/notifications?fineNumber=${fineNumber}`, admin)).json<{ items: Notification[] }>().items.find((n) => n.channel === 'WEBHOOK');
  });

  it('the delivery log is for admins only', async () => {
    const others = [await bearer('driver', { civilId: aCivilId() }), await bearer('fleet', { companyNo: '771100' }), officer, clerk];
    for (const token of others) expect((await inject('GET', '/v1/notifications', token)).statusCode).toBe(403);
    expect((await inject('GET', '/v1/notifications')).statusCode).toBe(401);
    expect((await inject('GET', '/v1/notifications?limit=9999', admin)).statusCode).toBe(400);
  });
});

describe('notifications when the SMS provider fails', () => {
  let sut: EmbeddedTestApp;
  let provider: Awaited<ReturnType<typeof anEndpoint>>;
  let clerk: string;
  let officer: string;
  let admin: string;
  const failures = new Map<string, number>();
  /** Status codes the provider answers a number, in turn, before it accepts. */
  const answers = new Map<string, number[]>();

  beforeAll(async () => {
    // +96550000000 is always refused with 503; other numbers fail as often as `failures` says, then succeed.
    provider = await anEndpoint((r) => {
      const { to } = JSON.parse(r.body) as { to: string };
      if (to === '+96550000000') return 503;
      const scripted = answers.get(to);
      if (scripted?.length) return scripted.shift()!;
      const left = failures.get(to) ?? 0;
      failures.set(to, left - 1);
      return left > 0 ? 503 : 200;
    });
    sut = await startEmbedded({
      SMS_PROVIDER_URL: `${provider.url}/api/sms`,
      SMS_PROVIDER_BODY: '{"messages":[{"destination":"{{to}}","content":"{{text}}"}],"to":"{{to}}","sender":"{{sender}}"}',
      SMS_PROVIDER_AUTH_HEADER: 'x-api-key',
      SMS_PROVIDER_AUTH: 'test-provider-key',
      NOTIFY_MAX_ATTEMPTS: '4',
      NOTIFY_RETRY_BASE_MS: '50',
      NOTIFY_RETRY_MAX_MS: '200',
      NOTIFY_POLL_INTERVAL_MS: '50',
    });
    [clerk, officer, admin] = await Promise.all([bearer('clerk'), bearer('officer'), bearer('admin')]);
  });

  afterAll(async () => {
    await sut.close();
    await provider.close();
  });

  async function aFineFor(mobile: string): Promise<string> {
    const person = aPerson({ mobile, email: undefined });
    delete (person as { email?: string }).email;
    await sut.app.inject({ method: 'POST', url: '/v1/persons', payload: person, headers: { authorization: clerk } });
    const vehicle = aVehicle(person.civilId);
    await sut.app.inject({ method: 'POST', url: '/v1/vehicles', payload: vehicle, headers: { authorization: clerk } });
    await eventually(
      async () =>
        (await sut.dataSource('violations').query('SELECT 1 FROM plate_ownership WHERE plate_number = $1', [vehicle.plateNumber])).length === 1 &&
        (await sut.dataSource('notification').query('SELECT 1 FROM plate_owner WHERE plate_number = $1', [vehicle.plateNumber])).length === 1,
      30000,
      'plate owner',
    );
    return (await sut.app.inject({ method: 'POST', url: '/v1/fines', payload: aFine(vehicle.plateNumber), headers: { authorization: officer } })).json()
      .fineNumber;
  }
  const log = async (fineNumber: string) =>
    (await sut.app.inject({ method: 'GET', url: `/v1/notifications?fineNumber=${fineNumber}`, headers: { authorization: admin } })).json()
      .items as Notification[];

  it('a provider answering 503 is retried with back-off until it accepts: the SMS arrives once, in the configured body shape', async () => {
    failures.set('+96560001122', 2);
    const fineNumber = await aFineFor('60001122');
    const [sms] = await eventually(
      async () => {
        const items = await log(fineNumber);
        return items[0]?.status === 'SENT' && items;
      },
      30000,
      'SMS sent after retries',
    );
    expect(sms).toMatchObject({ channel: 'SMS', attempts: 3, lastError: null });
    const arrived = provider.received.filter((r) => r.body.includes(fineNumber));
    expect(arrived).toHaveLength(1);
    expect(arrived[0].path).toBe('/api/sms');
    expect(arrived[0].headers['x-api-key']).toBe('test-provider-key');
    expect(JSON.parse(arrived[0].body)).toEqual({ messages: [{ destination: '+96560001122', content: sms.text }], to: '+96560001122', sender: 'MOI' });
  });

  it('a provider refusing its own credentials (401) is retried, as it refuses every message; a 400 about this message is final', async () => {
    answers.set('+96560003344', [401, 401]);
    const retried = await aFineFor('60003344');
    await eventually(async () => (await log(retried))[0]?.status === 'SENT', 30000, 'SMS sent after two 401s');
    expect((await log(retried))[0]).toMatchObject({ attempts: 3, lastError: null });

    answers.set('+96560005566', [400]);
    const refused = await aFineFor('60005566');
    const [sms] = await eventually(async () => (await log(refused))[0]?.status === 'FAILED' && log(refused), 30000, 'SMS failed at once');
    expect(sms.attempts).toBe(1);
    expect(sms.lastError).toContain('400');
  });

  it('after the last attempt the message is FAILED, with its error, for people to see', async () => {
    const fineNumber = await aFineFor('50000000');
    const [sms] = await eventually(
      async () => {
        const items = await log(fineNumber);
        return items[0]?.status === 'FAILED' && items;
      },
      30000,
      'SMS failed',
    );
    expect(sms).toMatchObject({ channel: 'SMS', recipient: '+96550000000', attempts: 4, status: 'FAILED' });
    expect(sms.lastError).toContain('503');
    const failed = (
      await sut.app.inject({ method: 'GET', url: '/v1/notifications?status=FAILED&recipient=5000 0000', headers: { authorization: admin } })
    ).json().items;
    expect(failed.map((n: Notification) => n.fineNumbers[0])).toContain(fineNumber);
  });
});
