import { randomUUID } from 'node:crypto';

/**
 * Every event travels in this envelope. It is keyed by `aggregateId` on the broker so that one
 * aggregate's events stay in order on one partition.
 */
export interface EventEnvelope<TPayload = unknown> {
  eventId: string;
  type: string;
  version: number;
  occurredAt: string;
  producer: string;
  aggregateId: string;
  traceId: string;
  payload: TPayload;
}

export function createEnvelope<TPayload>(fields: {
  type: string;
  version: number;
  producer: string;
  aggregateId: string;
  traceId: string;
  payload: TPayload;
  occurredAt?: Date;
  eventId?: string;
}): EventEnvelope<TPayload> {
  return {
    eventId: fields.eventId ?? randomUUID(),
    type: fields.type,
    version: fields.version,
    occurredAt: (fields.occurredAt ?? new Date()).toISOString(),
    producer: fields.producer,
    aggregateId: fields.aggregateId,
    traceId: fields.traceId,
    payload: fields.payload,
  };
}
