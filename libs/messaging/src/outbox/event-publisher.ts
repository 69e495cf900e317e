import { EVENTS, EventEnvelope, EventName, PayloadOf, createEnvelope } from '@app/contracts';
import { TransactionHost } from '@app/persistence';
import { currentTraceId, newTraceId } from '@app/platform';
import { OutboxRelay } from './outbox-relay';

/**
 * Records a service's events in its outbox, inside the caller's transaction: the state change and
 * its events commit together or not at all. The relay is woken the moment the transaction commits.
 */
export class EventPublisher {
  constructor(
    private readonly producer: string,
    private readonly tx: TransactionHost,
    private readonly relay: OutboxRelay,
  ) {}

  async publish<N extends EventName>(name: N, aggregateId: string, payload: PayloadOf<N>): Promise<EventEnvelope<PayloadOf<N>>> {
    const [envelope] = await this.publishAll([{ name, aggregateId, payload }]);
    return envelope as EventEnvelope<PayloadOf<N>>;
  }

  /**
   * Many events in one statement (bulk loads, batch handlers), in the order given. Each carries its
   * own `traceId` when given (a batch handler passes on the trace of the event that caused it),
   * else the current one.
   */
  async publishAll(events: { name: EventName; aggregateId: string; payload: object; traceId?: string }[]): Promise<EventEnvelope<object>[]> {
    if (events.length === 0) return [];
    const current = currentTraceId() ?? newTraceId();
    const envelopes = events.map(({ name, aggregateId, payload, traceId }) =>
      createEnvelope({ type: EVENTS[name].type, version: EVENTS[name].version, producer: this.producer, aggregateId, traceId: traceId ?? current, payload }),
    );
    await this.tx.manager.query(
      `INSERT INTO outbox_message (event_id, event_type, topic, message_key, envelope)
       SELECT id, type, topic, key, envelope::jsonb FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS e(id, type, topic, key, envelope, ord)
        ORDER BY ord`,
      [
        envelopes.map((e) => e.eventId),
        envelopes.map((e) => e.type),
        events.map((e) => EVENTS[e.name].topic),
        envelopes.map((e) => e.aggregateId),
        envelopes.map((e) => JSON.stringify(e)),
      ],
    );
    this.tx.afterCommit(() => this.relay.wake());
    return envelopes;
  }
}
