/** An event on its way out of an outbox: the envelope as JSON, keyed by its aggregate. */
export interface OutboundMessage {
  topic: string;
  key: string;
  eventId: string;
  eventType: string;
  traceId: string;
  value: string;
}

/** An event as a consumer receives it, before it is trusted. */
export interface InboundMessage {
  topic: string;
  value: Buffer | string;
  partition?: number;
  offset?: string;
}

/** The publishing half of a transport: Kafka, or the in-process bus of the embedded default. */
export interface EventTransport {
  /** Resolves once every message is durably accepted (Kafka: acknowledged by the broker). */
  publish(messages: OutboundMessage[]): Promise<void>;
  /** Parks a message a consumer gave up on where operators can see and replay it. */
  deadLetter(consumer: string, message: InboundMessage, error: string, attempts: number): Promise<void>;
}

export const EVENT_TRANSPORT = Symbol('EVENT_TRANSPORT');

export const HANDLER_SEPARATOR = '::';

const BATCH_MARK = 'batch';

export function handlerPattern(consumer: string, eventType: string, batch = false): string {
  return [consumer, eventType, ...(batch ? [BATCH_MARK] : [])].join(HANDLER_SEPARATOR);
}

export function parseHandlerPattern(pattern: string): { consumer: string; eventType: string; batch: boolean } | undefined {
  const [consumer, eventType, mode, ...rest] = pattern.split(HANDLER_SEPARATOR);
  if (!consumer || !eventType || rest.length > 0 || (mode !== undefined && mode !== BATCH_MARK)) return undefined;
  return { consumer, eventType, batch: mode === BATCH_MARK };
}
