import { SIM_BANK_SECRET, SeededRandom } from '@app/platform';
import { aFine, aPerson, aVehicle } from '../support/factories';
import { CallbackBody, deliverCallback, inPool } from '../support/payment-traffic';
import { bearer } from '../support/tokens';
import { useFreshStack } from './support/kafka';
import { ServiceProcess, countOf, eventually, query } from './support/stack';

const OWNERS = 50;
const PLATES_PER_OWNER = 2;
const FINES_PER_PLATE = 20;
/** Each owner's 40 fines paid in 20 payments of 1, 2, 3 and 2 fines: 1,000 payments in all. */
const PAYMENT_SIZES = [1, 2, 3, 2];
const CODES = ['NO-PARK', 'SPD-10', 'SEAT-BELT', 'BARRIER', 'PHONE', 'WRONG-DIR', 'RED-LIGHT'];
const CONCURRENCY = 8;

interface Payment {
  paymentNumber: string;
  fineNumbers: string[];
  totalMinor: number;
  body: CallbackBody;
}

const minorOf = (amount: string) => Number(amount.replace('.', ''));

/**
 * Money under failure, on real Kafka and PostgreSQL: 1,000 payments, their bank callbacks posted
 * in random order with 30% duplicates while payment-gateway and then violations are SIGKILLed and
 * restarted. Every captured payment's fines end PAID exactly once, every declined payment's fines
 * end UNPAID, and the money settled is the money captured.
 */
describe('payments lose nothing and settle nothing twice', () => {
  const seed = Number(process.env.E2E_SEED ?? Date.now() % 1_000_000);
  const random = new SeededRandom(seed);
  const registry = new ServiceProcess('vehicle-registry');
  const violations = new ServiceProcess('violations');
  const payments = new ServiceProcess('payment-gateway', { PAYMENT_EXPIRY_MINUTES: '60' });
  const log = (msg: string) => process.stdout.write(`[payments-loss seed=${seed}] ${msg}\n`);

  useFreshStack(registry, violations, payments);

  it('1,000 payments, 30% duplicate callbacks in random order, payment-gateway and violations SIGKILLed mid-run: captured fines PAID exactly once, declined UNPAID, sums equal', async () => {
    // The registry's people, their plates and fines, through the public routes.
    const clerk = { authorization: await bearer('clerk') };
    const officer = { authorization: await bearer('officer') };
    const owners = Array.from({ length: OWNERS }, () => aPerson());
    await inPool(owners, CONCURRENCY, async (p) => expect((await registry.request('POST', '/v1/persons', p, clerk)).status).toBe(201));
    const plates = owners.flatMap((p) => Array.from({ length: PLATES_PER_OWNER }, () => ({ owner: p.civilId, vehicle: aVehicle(p.civilId) })));
    await inPool(plates, CONCURRENCY, async ({ vehicle }) => expect((await registry.request('POST', '/v1/vehicles', vehicle, clerk)).status).toBe(201));
    await eventually(async () => (await countOf('payment-gateway', 'SELECT count(*) FROM plate_owner')) === plates.length, 60000, 'plate owners in payments');

    const fineRequests = plates.flatMap(({ owner, vehicle }) =>
      Array.from({ length: FINES_PER_PLATE }, (_, i) => ({ owner, fine: aFine(vehicle.plateNumber, { violationCode: CODES[i % CODES.length] }) })),
    );
    const finesByOwner = new Map<string, string[]>();
    await inPool(fineRequests, CONCURRENCY, async ({ owner, fine }) => {
      const response = await violations.request('POST', '/v1/fines', fine, officer);
      expect(response.status).toBe(201);
      finesByOwner.set(owner, [...(finesByOwner.get(owner) ?? []), response.body.fineNumber]);
    });
    await eventually(async () => (await countOf('payment-gateway', 'SELECT count(*) FROM payable_fine')) === fineRequests.length, 60000, 'payable fines');

    // 1,000 payments, each by the fines' owner with their own token.
    const orders = owners.flatMap((p) => {
      const fines = [...finesByOwner.get(p.civilId)!].sort();
      const groups: string[][] = [];
      for (let at = 0, i = 0; at < fines.length; i++) groups.push(fines.slice(at, (at += PAYMENT_SIZES[i % PAYMENT_SIZES.length])));
      return groups.map((fineNumbers) => ({ payer: p, fineNumbers }));
    });
    expect(orders).toHaveLength(1000);
    const tokens = new Map(await Promise.all(owners.map(async (p) => [p.civilId, await bearer('driver', { civilId: p.civilId })] as const)));
    const created: Payment[] = await inPool(orders, CONCURRENCY, async ({ payer, fineNumbers }, i) => {
      const response = await payments.request(
        'POST',
        '/v1/payments',
        { fineNumbers, payer: { idType: 'CIVIL_ID', idNumber: payer.civilId }, mobile: payer.mobile },
        { authorization: tokens.get(payer.civilId)!, 'idempotency-key': `loss-${seed}-${i}` },
      );
      expect(response.status).toBe(201);
      const result = random.next() < 0.7 ? 'CAPTURED' : 'DECLINED';
      const { paymentNumber, total } = response.body;
      return {
        paymentNumber,
        fineNumbers,
        totalMinor: minorOf(total.amount),
        body: { paymentNumber, bankReference: `NBK${paymentNumber}`, result, amount: total.amount, currency: 'KWD', occurredAt: new Date().toISOString() },
      };
    });
    const captured = created.filter((p) => p.body.result === 'CAPTURED');
    const declined = created.filter((p) => p.body.result === 'DECLINED');
    log(`${created.length} payments: ${captured.length} to capture, ${declined.length} to decline`);

    // The bank: every callback once, 30% of them twice, all in random order.
    const duplicates = random.shuffle([...created]).slice(0, 300);
    const callbacks = random.shuffle([...created, ...duplicates].map((p) => p.body));
    // payment-gateway dies after 30% of the callbacks were answered, violations after 60%: each
    // while callbacks are arriving and settlements are flowing over Kafka.
    let answered = 0;
    const kills: Promise<void>[] = [];
    const killAndRestart = async (service: ServiceProcess) => {
      const paid = await countOf('violations', `SELECT count(*) FROM fine WHERE status = 'PAID'`);
      log(`SIGKILL ${service.service} after ${answered} callbacks answered (${paid} fines PAID so far)`);
      await service.kill();
      await service.startReady();
      log(`${service.service} is back`);
    };
    const deliveries = await inPool(callbacks, CONCURRENCY, async (body) => {
      const delivery = await deliverCallback(() => payments.url, 'sim', SIM_BANK_SECRET, body);
      if (++answered === Math.floor(callbacks.length * 0.3)) kills.push(killAndRestart(payments));
      if (answered === Math.floor(callbacks.length * 0.6)) kills.push(killAndRestart(violations));
      return delivery;
    });
    await Promise.all(kills);
    expect(deliveries.filter((d) => d.status !== 200)).toEqual([]);
    log(`${callbacks.length} callbacks answered 200, ${deliveries.reduce((n, d) => n + d.retries, 0)} retries while a service was down`);

    // Settled: every captured fine PAID by its payment, every declined fine UNPAID.
    const capturedFines = captured.flatMap((p) => p.fineNumbers);
    const declinedFines = declined.flatMap((p) => p.fineNumbers);
    await eventually(
      async () => {
        const [row] = await query<{ paid: string; unpaid: string }>(
          'violations',
          `SELECT count(*) FILTER (WHERE status = 'PAID' AND fine_number = ANY($1)) AS paid,
                  count(*) FILTER (WHERE status = 'UNPAID' AND fine_number = ANY($2)) AS unpaid FROM fine`,
          [capturedFines, declinedFines],
        );
        return Number(row.paid) === capturedFines.length && Number(row.unpaid) === declinedFines.length;
      },
      120000,
      'violations to settle and release every fine',
    );
    const fines = await query<{
      fine_number: string;
      status: string;
      payment_number: string | null;
      pending_payment_number: string | null;
      amount_minor: number;
    }>('violations', 'SELECT fine_number, status, payment_number, pending_payment_number, amount_minor FROM fine');
    const fineByNumber = new Map(fines.map((f) => [f.fine_number, f]));
    for (const p of captured)
      for (const n of p.fineNumbers)
        expect(fineByNumber.get(n)).toMatchObject({ status: 'PAID', payment_number: p.paymentNumber, pending_payment_number: null });
    for (const p of declined)
      for (const n of p.fineNumbers) expect(fineByNumber.get(n)).toMatchObject({ status: 'UNPAID', payment_number: null, pending_payment_number: null });

    // Exactly once: one fine.settled per paid fine, one payment event per payment, nothing dead-lettered.
    const settledTwice = await query(
      'violations',
      `SELECT envelope->'payload'->>'fineNumber' AS fine FROM outbox_message WHERE event_type = 'violations.fine.settled' GROUP BY 1 HAVING count(*) > 1`,
    );
    expect(settledTwice).toEqual([]);
    expect(await countOf('violations', `SELECT count(*) FROM outbox_message WHERE event_type = 'violations.fine.settled'`)).toBe(capturedFines.length);
    const paymentEvents = await query<{ event_type: string; count: string }>(
      'payment-gateway',
      `SELECT event_type, count(*) FROM outbox_message WHERE event_type IN ('payments.payment.succeeded', 'payments.payment.ended') GROUP BY 1`,
    );
    expect(Object.fromEntries(paymentEvents.map((e) => [e.event_type, Number(e.count)]))).toEqual({
      'payments.payment.succeeded': captured.length,
      'payments.payment.ended': declined.length,
    });
    for (const service of ['vehicle-registry', 'violations', 'payment-gateway'] as const)
      expect(await countOf(service, 'SELECT count(*) FROM dead_letter')).toBe(0);

    // The money: settled in violations = captured by the bank = PAID in payment-gateway.
    const capturedMinor = captured.reduce((sum, p) => sum + p.totalMinor, 0);
    const settledMinor = fines.filter((f) => f.status === 'PAID').reduce((sum, f) => sum + Number(f.amount_minor), 0);
    expect(settledMinor).toBe(capturedMinor);
    const [gateway] = await query<{ paid: string; paid_minor: string; failed: string }>(
      'payment-gateway',
      `SELECT count(*) FILTER (WHERE status = 'PAID') AS paid, coalesce(sum(total_minor) FILTER (WHERE status = 'PAID'), 0) AS paid_minor,
              count(*) FILTER (WHERE status = 'FAILED') AS failed FROM payment`,
    );
    expect({ paid: Number(gateway.paid), paidMinor: Number(gateway.paid_minor), failed: Number(gateway.failed) }).toEqual({
      paid: captured.length,
      paidMinor: capturedMinor,
      failed: declined.length,
    });
    // Every callback is stored as received, whatever its fate: at least one row per post answered.
    expect(await countOf('payment-gateway', 'SELECT count(*) FROM bank_callback WHERE http_status = 200')).toBeGreaterThanOrEqual(callbacks.length);

    // The registry's outstanding fines followed: declined ones still block a transfer, paid ones are gone.
    await eventually(
      async () => (await countOf('vehicle-registry', 'SELECT count(*) FROM outstanding_fine')) === declinedFines.length,
      60000,
      'the registry to drop the paid fines',
    );
    expect(await countOf('vehicle-registry', 'SELECT count(*) FROM outstanding_fine WHERE fine_number = ANY($1)', [capturedFines])).toBe(0);
    log(`settled ${capturedFines.length} fines, ${capturedMinor} fils; released ${declinedFines.length}`);
  });
});
