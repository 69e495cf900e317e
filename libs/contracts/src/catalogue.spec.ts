import { EVENTS, EventContractError, allTopics, parseEnvelope } from './catalogue';
import { createEnvelope } from './envelope';

const valid = () =>
  createEnvelope({
    type: EVENTS.vehicleRegistered.type,
    version: 1,
    producer: 'vehicle-registry',
    aggregateId: 'PRIVATE:12345',
    traceId: 'a'.repeat(32),
    payload: {
      plateType: 'PRIVATE',
      plateNumber: '12345',
      owner: { type: 'PERSON', id: '288020122596' },
      vehicle: { make: 'Kia', model: 'Rio', year: 2019, color: 'Red' },
    },
  });

describe('event contracts', () => {
  it('accepts an envelope whose payload keeps its contract', () => {
    const parsed = parseEnvelope(JSON.stringify(valid()));
    expect(parsed.type).toBe('registry.vehicle.registered');
  });

  it('refuses an unknown event type', () => {
    expect(() => parseEnvelope({ ...valid(), type: 'registry.vehicle.painted' })).toThrow(EventContractError);
  });

  it('refuses another version of a known event', () => {
    expect(() => parseEnvelope({ ...valid(), version: 2 })).toThrow(/version 2/);
  });

  it('names the payload field that breaks the contract', () => {
    const broken = valid();
    broken.payload.vehicle.year = 1800;
    expect(() => parseEnvelope(broken)).toThrow(/vehicle\.year: min/);
  });

  it('puts every topic name under a version', () => {
    for (const topic of allTopics()) expect(topic).toMatch(/\.v\d+$/);
  });
});
