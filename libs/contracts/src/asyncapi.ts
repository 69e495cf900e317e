import { getMetadataStorage } from 'class-validator';
import { allEventDefinitions } from './catalogue';

/** An AsyncAPI 3 document of the event contracts, generated from the catalogue itself. */
export function buildAsyncApiDocument(): Record<string, unknown> {
  const storage = getMetadataStorage();
  const channels: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  for (const def of allEventDefinitions()) {
    const fields = storage.getTargetValidationMetadatas(def.payload, '', true, false);
    const properties = Object.fromEntries([...new Set(fields.map((f) => f.propertyName))].map((p) => [p, {}]));
    messages[def.type] = {
      name: def.type,
      summary: def.summary,
      headers: { type: 'object', properties: { 'x-event-type': { const: def.type }, 'x-trace-id': { type: 'string' } } },
      payload: {
        type: 'object',
        required: ['eventId', 'type', 'version', 'occurredAt', 'producer', 'aggregateId', 'traceId', 'payload'],
        properties: {
          eventId: { type: 'string', format: 'uuid' },
          type: { const: def.type },
          version: { const: def.version },
          occurredAt: { type: 'string', format: 'date-time' },
          producer: { type: 'string' },
          aggregateId: { type: 'string', description: 'Kafka message key' },
          traceId: { type: 'string' },
          payload: { type: 'object', title: def.payload.name, properties },
        },
      },
    };
    const channel = (channels[def.topic] ??= { address: def.topic, messages: {} }) as { messages: Record<string, unknown> };
    channel.messages[def.type] = { $ref: `#/components/messages/${def.type}` };
  }
  return {
    asyncapi: '3.0.0',
    info: { title: 'Traffic fines events', version: '1.0.0' },
    defaultContentType: 'application/json',
    channels,
    components: { messages },
  };
}
