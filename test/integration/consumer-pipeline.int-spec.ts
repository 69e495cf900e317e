import { randomUUID } from 'node:crypto';
import { EVENTS, VehicleRegistered, createEnvelope } from '@app/contracts';
import { ConsumerPipeline, ConsumerRegistry } from '@app/messaging';
import { transactionHostToken } from '@app/persistence';
import { EmbeddedTestApp, startEmbedded } from '../support/embedded-app';
import { aCivilId, aPlateNumber } from '../support/factories';

function vehicleRegistered(plateNumber: string, eventId = randomUUID()) {
  const payload: VehicleRegistered = {
    plateType: 'PRIVATE',
    plateNumber,
    owner: { type: 'PERSON', id: aCivilId() },
    vehicle: { make: 'Nissan', model: 'Patrol', year: 2020, color: 'Black' },
  };
  const envelope = createEnvelope({
    type: EVENTS.vehicleRegistered.type,
    version: 1,
    producer: 'test',
    aggregateId: `PRIVATE:${plateNumber}`,
    traceId: 'f'.repeat(32),
    payload,
    eventId,
  });
  return { topic: EVENTS.vehicleRegistered.topic, value: JSON.stringify(envelope), envelope };
}

describe('the consumer pipeline (in-process transport, PGlite)', () => {
  let sut: EmbeddedTestApp;
  let pipeline: ConsumerPipeline;

  beforeAll(async () => {
    sut = await startEmbedded({ CONSUMER_MAX_ATTEMPTS: '3', CONSUMER_RETRY_BASE_MS: '5' });
    pipeline = sut.app.get(ConsumerPipeline);
  });

  afterAll(async () => {
    await sut.close();
  });

  const changes = async (plateNumber: string) =>
    Number((await sut.dataSource('violations').query('SELECT count(*) FROM plate_ownership_change WHERE plate_number = $1', [plateNumber]))[0].count);

  it('the same event delivered twice changes the read model once', async () => {
    const plate = aPlateNumber();
    const message = vehicleRegistered(plate);

    await pipeline.handleBatch('violations', [message, message]);
    await pipeline.handleBatch('violations', [message]);

    expect(await changes(plate)).toBe(1);
    const inbox = await sut.dataSource('violations').query('SELECT outcome FROM inbox_message WHERE event_id = $1', [message.envelope.eventId]);
    expect(inbox).toEqual([{ outcome: 'HANDLED' }]);
  });

  it('a redelivered batch applies only the events it had not applied', async () => {
    const first = vehicleRegistered(aPlateNumber());
    const second = vehicleRegistered(aPlateNumber());
    await pipeline.handleBatch('violations', [first]);
    await pipeline.handleBatch('violations', [first, second]);
    expect(await changes(first.envelope.payload.plateNumber)).toBe(1);
    expect(await changes(second.envelope.payload.plateNumber)).toBe(1);
  });

  it('an error thrown by a service’s own handler reaches the dead letter as thrown', async () => {
    const plateNumber = aPlateNumber();
    const transfer = createEnvelope({
      type: EVENTS.vehicleOwnershipTransferred.type,
      version: 1,
      producer: 'test',
      aggregateId: `PRIVATE:${plateNumber}`,
      traceId: 'e'.repeat(32),
      payload: {
        plateType: 'PRIVATE',
        plateNumber,
        previousOwner: { type: 'PERSON', id: aCivilId() },
        newOwner: { type: 'PERSON', id: aCivilId() },
        transferredAt: new Date().toISOString(),
      },
    });
    await pipeline.handleBatch('violations', [{ topic: EVENTS.vehicleOwnershipTransferred.topic, value: JSON.stringify(transfer) }]);
    const rows = await sut.dataSource('violations').query('SELECT error, attempts FROM dead_letter WHERE event_id = $1', [transfer.eventId]);
    expect(rows).toEqual([{ error: `Error: transfer of PRIVATE:${plateNumber} before its registration`, attempts: 3 }]);
  });

  describe('with a handler that always throws for one plate', () => {
    const poisonPlate = '9999999';
    let attempts = 0;

    beforeAll(() => {
      const registry = sut.app.get(ConsumerRegistry);
      registry.registerDatabase('flaky', sut.app.get(transactionHostToken('violations')));
      registry.registerHandler('flaky', EVENTS.vehicleRegistered.type, (event) => {
        const { payload } = event as { payload: VehicleRegistered };
        if (payload.plateNumber === poisonPlate) {
          attempts++;
          return Promise.reject(new Error('the read model refuses this plate'));
        }
        return Promise.resolve();
      });
    });

    it('parks the event on the dead-letter queue after its retries, and the events behind it get through', async () => {
      const poison = vehicleRegistered(poisonPlate);
      const behind = [vehicleRegistered(aPlateNumber()), vehicleRegistered(aPlateNumber())];

      await pipeline.handleBatch('flaky', [poison, ...behind]);

      expect(attempts).toBe(3);
      const [dead] = await sut.dataSource('violations').query('SELECT event_id, error, attempts FROM dead_letter WHERE consumer = $1', ['flaky']);
      expect(dead).toEqual({ event_id: poison.envelope.eventId, error: 'Error: the read model refuses this plate', attempts: 3 });
      const handled = await sut
        .dataSource('violations')
        .query(`SELECT event_id FROM inbox_message WHERE consumer = 'flaky' AND outcome = 'HANDLED' ORDER BY event_id`);
      expect(handled.map((r: { event_id: string }) => r.event_id).sort()).toEqual(behind.map((b) => b.envelope.eventId).sort());

      // Delivered again (a restart before the offset commit), it is not retried or parked twice.
      await pipeline.handleBatch('flaky', [poison]);
      expect(attempts).toBe(3);
      const parked = await sut.dataSource('violations').query(`SELECT count(*) FROM dead_letter WHERE consumer = 'flaky'`);
      expect(Number(parked[0].count)).toBe(1);
    });

    it('batches of several partitions applied together: a poison event fails only its own batch, parked after its retries; the other batches apply whole', async () => {
      const before = attempts;
      const poison = vehicleRegistered(poisonPlate);
      const beside = [vehicleRegistered(aPlateNumber()), vehicleRegistered(aPlateNumber())];
      const behind = vehicleRegistered(aPlateNumber());
      const heartbeat = () => Promise.resolve();

      await pipeline.handleBatches('flaky', [
        { messages: [beside[0]], heartbeat },
        { messages: [poison, behind], heartbeat },
        { messages: [beside[1]], heartbeat },
      ]);

      expect(attempts - before).toBe(3);
      const dead = await sut
        .dataSource('violations')
        .query('SELECT attempts FROM dead_letter WHERE consumer = $1 AND event_id = $2', ['flaky', poison.envelope.eventId]);
      expect(dead).toEqual([{ attempts: 3 }]);
      const ids = [...beside, behind].map((m) => m.envelope.eventId);
      const handled = await sut
        .dataSource('violations')
        .query(`SELECT event_id FROM inbox_message WHERE consumer = 'flaky' AND outcome = 'HANDLED' AND event_id = ANY($1::uuid[])`, [ids]);
      expect(handled.map((r: { event_id: string }) => r.event_id).sort()).toEqual(ids.sort());
    });

    it('an event that breaks its contract is dead-lettered at once, without calling the handler', async () => {
      const broken = vehicleRegistered('12ab');
      const before = attempts;
      await pipeline.handleBatch('flaky', [broken]);
      expect(attempts).toBe(before);
      const rows = await sut
        .dataSource('violations')
        .query(`SELECT error, attempts FROM dead_letter WHERE consumer = 'flaky' AND event_id = $1`, [broken.envelope.eventId]);
      expect(rows).toEqual([{ error: expect.stringContaining('plateNumber: isPlateNumber'), attempts: 0 }]);
    });

    it('a message that is not JSON is dead-lettered with what was received', async () => {
      await pipeline.handleBatch('flaky', [{ topic: EVENTS.vehicleRegistered.topic, value: 'not json' }]);
      const rows = await sut.dataSource('violations').query(`SELECT message, error FROM dead_letter WHERE consumer = 'flaky' AND event_id IS NULL`);
      expect(rows).toEqual([{ message: 'not json', error: 'EventContractError: the message is not JSON' }]);
    });
  });
});
