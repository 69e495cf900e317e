import { randomUUID } from 'node:crypto';
import { Producer } from 'kafkajs';
import { TOPICS, deadLetterTopic } from '@app/contracts';
import { aCivilId, aPerson, aPlateNumber, aVehicle } from '../support/factories';
import { bearer } from '../support/tokens';
import { connectProducer, produce, readTopic, resetBroker, transferEvent, vehicleRegisteredEvent } from './support/kafka';
import { ServiceProcess, countOf, eventually, query, recreateDatabases } from './support/stack';

/**
 * The event backbone on a real Kafka broker and real PostgreSQL, with vehicle-registry and
 * violations running as their own processes.
 */
describe('the event backbone on Kafka and PostgreSQL', () => {
  const registry = new ServiceProcess('vehicle-registry');
  const violations = new ServiceProcess('violations');
  let producer: Producer;
  let clerk: Record<string, string>;

  const changesOf = (plate: string) => countOf('violations', 'SELECT count(*) FROM plate_ownership_change WHERE plate_number = $1', [plate]);
  const ownedBy = async (plate: string) =>
    (await query<{ owner_id: string }>('violations', 'SELECT owner_id FROM plate_ownership WHERE plate_number = $1', [plate]))[0]?.owner_id;

  beforeAll(async () => {
    recreateDatabases();
    await resetBroker();
    await Promise.all([registry.startReady(), violations.startReady()]);
    producer = await connectProducer();
    clerk = { authorization: await bearer('clerk') };
  });

  afterAll(async () => {
    await producer?.disconnect();
    await Promise.all([registry.stop(), violations.stop()]);
  });

  async function registerVehicle(): Promise<{ civilId: string; plateNumber: string }> {
    const person = aPerson();
    expect((await registry.request('POST', '/v1/persons', person, clerk)).status).toBe(201);
    const vehicle = aVehicle(person.civilId);
    expect((await registry.request('POST', '/v1/vehicles', vehicle, clerk)).status).toBe(201);
    return { civilId: person.civilId, plateNumber: vehicle.plateNumber };
  }

  it('a vehicle registered over HTTP appears in violations’ read model', async () => {
    const { civilId, plateNumber } = await registerVehicle();
    expect(await eventually(() => ownedBy(plateNumber), 30000, 'the plate in the read model')).toBe(civilId);
    // The trace id of the HTTP request travels in the envelope.
    const [outbox] = await query<{ envelope: { traceId: string } }>(
      'vehicle-registry',
      `SELECT envelope FROM outbox_message WHERE envelope->'payload'->>'plateNumber' = $1`,
      [plateNumber],
    );
    expect(outbox.envelope.traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('the same event delivered twice changes the read model once', async () => {
    const { plateNumber } = await registerVehicle();
    await eventually(async () => (await changesOf(plateNumber)) === 1, 30000, 'the first delivery');
    const [row] = await query<{ envelope: object; message_key: string }>(
      'vehicle-registry',
      `SELECT envelope, message_key FROM outbox_message WHERE envelope->'payload'->>'plateNumber' = $1`,
      [plateNumber],
    );

    // Deliver it again, then a marker on the same partition: once the marker is applied, so is the duplicate.
    const marker = vehicleRegisteredEvent(aPlateNumber(), aCivilId(), row.message_key);
    await produce(producer, TOPICS.registryVehicles, [
      { key: row.message_key, value: JSON.stringify(row.envelope) },
      { key: row.message_key, value: JSON.stringify(marker) },
    ]);
    await eventually(async () => (await changesOf(marker.payload.plateNumber)) === 1, 30000, 'the marker');

    expect(await changesOf(plateNumber)).toBe(1);
    expect(await countOf('violations', 'SELECT count(*) FROM dead_letter')).toBe(0);
  });

  it('a handler that keeps failing ends on the dead-letter topic with its error, and the events behind it get through', async () => {
    const key = `PRIVATE:poison-${randomUUID()}`;
    const poison = transferEvent(aPlateNumber(), key); // a transfer of a plate violations never saw registered
    const behind = [vehicleRegisteredEvent(aPlateNumber(), aCivilId(), key), vehicleRegisteredEvent(aPlateNumber(), aCivilId(), key)];
    await produce(
      producer,
      TOPICS.registryVehicles,
      [poison, ...behind].map((e) => ({ key, value: JSON.stringify(e) })),
    );

    for (const event of behind) await eventually(async () => (await changesOf(event.payload.plateNumber)) === 1, 30000, 'the events behind the poison');
    const parked = await readTopic(deadLetterTopic('violations'), (seen) => seen.some((m) => m.value.includes(poison.eventId)));
    const dead = parked.find((m) => m.value.includes(poison.eventId));
    expect(dead?.headers['x-dlq-error']).toContain('before its registration');
    expect(dead?.headers['x-dlq-attempts']).toBe('3');
    expect(dead?.headers['x-dlq-original-topic']).toBe(TOPICS.registryVehicles);
    const [row] = await query('violations', 'SELECT attempts, error FROM dead_letter WHERE event_id = $1', [poison.eventId]);
    expect(row).toEqual({ attempts: 3, error: expect.stringContaining('before its registration') });
  });

  it('a consumer killed with SIGKILL in the middle of a batch and restarted loses nothing and duplicates nothing', async () => {
    await violations.stop();
    const events = Array.from({ length: 10000 }, () => vehicleRegisteredEvent(aPlateNumber(), aCivilId()));
    for (let i = 0; i < events.length; i += 1000) {
      await produce(
        producer,
        TOPICS.registryVehicles,
        events.slice(i, i + 1000).map((e) => ({ key: e.aggregateId, value: JSON.stringify(e) })),
      );
    }
    const ids = events.map((e) => e.eventId);
    const applied = () => countOf('violations', 'SELECT count(*) FROM plate_ownership_change WHERE event_id = ANY($1::uuid[])', [ids]);

    violations.start();
    const before = await eventually(
      async () => {
        const n = await applied();
        return n > 0 ? n : undefined;
      },
      60000,
      'the consumer to start applying',
    );
    await violations.kill();
    const atKill = await applied();
    expect(atKill).toBeGreaterThanOrEqual(before);
    expect(atKill).toBeLessThan(events.length);

    await violations.startReady();
    await eventually(async () => (await applied()) === events.length, 90000, 'every event applied after the restart');
    expect(await countOf('violations', 'SELECT count(*) FROM inbox_message WHERE event_id = ANY($1::uuid[])', [ids])).toBe(events.length);
    expect(await countOf('violations', 'SELECT count(*) FROM dead_letter WHERE event_id = ANY($1::uuid[])', [ids])).toBe(0);
  });

  it('a relay killed after publishing and before marking publishes again, and the inbox absorbs the duplicate', async () => {
    const person = aPerson();
    expect((await registry.request('POST', '/v1/persons', person, clerk)).status).toBe(201);
    const unpublished = () => countOf('vehicle-registry', 'SELECT count(*) FROM outbox_message WHERE published_at IS NULL');
    await eventually(async () => (await unpublished()) === 0, 30000, 'the outbox to drain');
    await registry.stop();

    const faulty = new ServiceProcess('vehicle-registry', { OUTBOX_FAULT: 'exit-after-publish' });
    await faulty.startReady();
    const vehicle = aVehicle(person.civilId);
    await faulty.request('POST', '/v1/vehicles', vehicle, clerk).catch(() => undefined); // it may die before it answers
    expect(await faulty.waitForExit()).toBeNull(); // killed by SIGKILL, no exit code
    const key = `PRIVATE:${vehicle.plateNumber}`;
    const [row] = await query<{ event_id: string; published_at: Date | null }>(
      'vehicle-registry',
      'SELECT event_id, published_at FROM outbox_message WHERE message_key = $1',
      [key],
    );
    expect(row.published_at).toBeNull();

    await registry.startReady();
    await eventually(async () => (await unpublished()) === 0, 30000, 'the restarted relay to publish and mark');
    const copies = await readTopic(TOPICS.registryVehicles, (seen) => seen.filter((m) => m.headers['x-event-id'] === row.event_id).length >= 2);
    expect(copies.filter((m) => m.headers['x-event-id'] === row.event_id)).toHaveLength(2);

    // A marker behind both copies on the same partition: once it is applied, both copies were consumed.
    const marker = vehicleRegisteredEvent(aPlateNumber(), aCivilId(), key);
    await produce(producer, TOPICS.registryVehicles, [{ key, value: JSON.stringify(marker) }]);
    await eventually(async () => (await changesOf(marker.payload.plateNumber)) === 1, 30000, 'the marker');
    expect(await changesOf(vehicle.plateNumber)).toBe(1);
    expect(await countOf('violations', 'SELECT count(*) FROM inbox_message WHERE event_id = $1', [row.event_id])).toBe(1);
  });
});
