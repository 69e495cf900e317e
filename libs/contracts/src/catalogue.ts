import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';
import { EventEnvelope } from './envelope';
import { OwnerContactUpdated, OwnerRegistered, VehicleOwnershipTransferred, VehicleRegistered } from './events/registry.events';
import { PaymentEnded, PaymentInitiated, PaymentSucceeded } from './events/payment.events';
import { FineCancelled, FineIssued, FineSettled } from './events/violations.events';
import { TOPICS, Topic } from './topics';

type PayloadClass = new () => object;

export interface EventDefinition<T extends PayloadClass = PayloadClass> {
  type: string;
  version: number;
  topic: Topic;
  payload: T;
  summary: string;
}

function define<T extends PayloadClass>(def: EventDefinition<T>): EventDefinition<T> {
  return def;
}

/** Every event the system publishes: its name, version, topic and payload contract. */
export const EVENTS = {
  ownerRegistered: define({
    type: 'registry.owner.registered',
    version: 1,
    topic: TOPICS.registryOwners,
    payload: OwnerRegistered,
    summary: 'A person or company was registered with its contact details.',
  }),
  ownerContactUpdated: define({
    type: 'registry.owner.contact-updated',
    version: 1,
    topic: TOPICS.registryOwners,
    payload: OwnerContactUpdated,
    summary: "An owner's mobile, email or preferred language changed.",
  }),
  vehicleRegistered: define({
    type: 'registry.vehicle.registered',
    version: 1,
    topic: TOPICS.registryVehicles,
    payload: VehicleRegistered,
    summary: 'A vehicle was registered to an owner.',
  }),
  vehicleOwnershipTransferred: define({
    type: 'registry.vehicle.ownership-transferred',
    version: 1,
    topic: TOPICS.registryVehicles,
    payload: VehicleOwnershipTransferred,
    summary: 'A vehicle passed from one owner to another.',
  }),
  fineIssued: define({
    type: 'violations.fine.issued',
    version: 1,
    topic: TOPICS.violationsFines,
    payload: FineIssued,
    summary: 'A fine was recorded on a plate by an officer or a camera.',
  }),
  fineCancelled: define({
    type: 'violations.fine.cancelled',
    version: 1,
    topic: TOPICS.violationsFines,
    payload: FineCancelled,
    summary: 'A fine was cancelled and no longer has to be paid.',
  }),
  fineSettled: define({
    type: 'violations.fine.settled',
    version: 1,
    topic: TOPICS.violationsFines,
    payload: FineSettled,
    summary: 'A fine was paid.',
  }),
  paymentInitiated: define({
    type: 'payments.payment.initiated',
    version: 1,
    topic: TOPICS.payments,
    payload: PaymentInitiated,
    summary: 'A payer chose fines to pay; they are reserved for this payment until it ends.',
  }),
  paymentSucceeded: define({
    type: 'payments.payment.succeeded',
    version: 1,
    topic: TOPICS.payments,
    payload: PaymentSucceeded,
    summary: 'The bank captured a payment; its fines are settled.',
  }),
  paymentEnded: define({
    type: 'payments.payment.ended',
    version: 1,
    topic: TOPICS.payments,
    payload: PaymentEnded,
    summary: 'A payment failed, was cancelled or expired; its fines are unpaid again.',
  }),
} as const;

export type EventName = keyof typeof EVENTS;
export type PayloadOf<N extends EventName> = InstanceType<(typeof EVENTS)[N]['payload']>;

const BY_TYPE = new Map<string, EventDefinition>(Object.values(EVENTS).map((d) => [d.type, d]));

export function eventDefinition(type: string): EventDefinition | undefined {
  return BY_TYPE.get(type);
}

export function allEventDefinitions(): EventDefinition[] {
  return [...BY_TYPE.values()];
}

export function allTopics(): Topic[] {
  return [...new Set(allEventDefinitions().map((d) => d.topic))];
}

/** An event that cannot be trusted: malformed JSON, an unknown type or a payload off contract. */
export class EventContractError extends Error {
  override readonly name = 'EventContractError';
}

function flatten(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.keys(e.constraints ?? {}).map((k) => `${path}: ${k}`);
    return [...own, ...flatten(e.children ?? [], path)];
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Parses raw bytes or an object into an envelope whose payload is checked against its contract. */
export function parseEnvelope(raw: Buffer | string | object): EventEnvelope<object> {
  let value: unknown = raw;
  if (typeof raw === 'string' || Buffer.isBuffer(raw)) {
    try {
      value = JSON.parse(raw.toString());
    } catch {
      throw new EventContractError('the message is not JSON');
    }
  }
  if (typeof value !== 'object' || value === null) throw new EventContractError('the message is not an object');
  const env = value as Partial<EventEnvelope>;
  if (typeof env.eventId !== 'string' || !UUID.test(env.eventId)) throw new EventContractError('eventId is not a UUID');
  if (typeof env.type !== 'string') throw new EventContractError('type is missing');
  const def = eventDefinition(env.type);
  if (!def) throw new EventContractError(`unknown event type ${env.type}`);
  if (env.version !== def.version) throw new EventContractError(`${env.type} version ${String(env.version)} is not ${def.version}`);
  for (const field of ['occurredAt', 'producer', 'aggregateId', 'traceId'] as const) {
    if (typeof env[field] !== 'string') throw new EventContractError(`${field} is missing`);
  }
  const payload = plainToInstance(def.payload, env.payload ?? {});
  const errors = validateSync(payload, { forbidUnknownValues: true });
  if (errors.length > 0) throw new EventContractError(`${env.type} payload: ${flatten(errors).join('; ')}`);
  // PostgreSQL answers uuids in lower case; the inbox compares them as strings.
  return { ...(env as EventEnvelope), eventId: env.eventId.toLowerCase(), payload };
}
