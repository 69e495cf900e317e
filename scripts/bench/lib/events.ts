import { randomBytes } from 'node:crypto';
import { EVENTS, EventEnvelope, VehicleRegistered, createEnvelope, plateKey } from '@app/contracts';

export const EVENT_TYPE = EVENTS.vehicleRegistered.type;
export const EVENT_TOPIC: string = EVENTS.vehicleRegistered.topic;

const OWNER_ID = '288020122596'; // a valid civil ID (check digit), as in the e2e suite
const FIRST_PLATE = 1000000;

/** Distinct 7-digit plates across the whole run: event `seq` registers plate 1000000 + seq. */
export function plateOf(seq: number): string {
  return String(FIRST_PLATE + seq);
}

/** The envelope the registry's EventPublisher writes for POST /v1/vehicles: registry.vehicle.registered. */
export function vehicleRegistered(seq: number, occurredAt = new Date()): EventEnvelope<VehicleRegistered> {
  const plateNumber = plateOf(seq);
  return createEnvelope({
    type: EVENTS.vehicleRegistered.type,
    version: EVENTS.vehicleRegistered.version,
    producer: 'vehicle-registry',
    aggregateId: plateKey('PRIVATE', plateNumber),
    traceId: randomBytes(16).toString('hex'),
    occurredAt,
    payload: {
      plateType: 'PRIVATE',
      plateNumber,
      owner: { type: 'PERSON', id: OWNER_ID },
      vehicle: { make: 'GMC', model: 'Yukon', year: 2023, color: 'Silver' },
    },
  });
}
