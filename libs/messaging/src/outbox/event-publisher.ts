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
  async publishAll(events: OutboxEvent[]): Promise<EventEnvelope<object>[]> {
    if (events.length === 0) return [];
    const insert = this.insert(events, 1);
    await this.tx.manager.query(insert.sql, insert.params);
    this.tx.afterCommit(() => this.relay.wake());
    return insert.envelopes;
  }

  /**
   * publishAll as an INSERT for the caller's own statement (a data-modifying CTE), its parameters
   * numbered from `$first`: one round trip fewer for a caller that writes its changes in one
   * statement, inside its transaction. The relay is woken when that transaction commits.
   */
  stage(events: OutboxEvent[], first: number): StagedInsert {
    const insert = this.insert(events, first);
    this.tx.afterCommit(() => this.relay.wake());
    return insert;
  }

  private insert(events: OutboxEvent[], first: number): StagedInsert {
    const current = currentTraceId() ?? newTraceId();
    const envelopes = events.map(({ name, aggregateId, payload, traceId }) =>
      createEnvelope({ type: EVENTS[name].type, version: EVENTS[name].version, producer: this.producer, aggregateId, traceId: traceId ?? current, payload }),
    );
    const [ids, types, topics, keys, bodies] = [0, 1, 2, 3, 4].map((i) => `$${first + i}`);
    return {
      sql: `INSERT INTO outbox_message (event_id, event_type, topic, message_key, envelope)
       SELECT id, type, topic, key, envelope::jsonb
         FROM unnest(${ids}::uuid[], ${types}::text[], ${topics}::text[], ${keys}::text[], ${bodies}::text[]) WITH ORDINALITY AS e(id, type, topic, key, envelope, ord)
        ORDER BY ord`,
      params: [
        envelopes.map((e) => e.eventId),
        envelopes.map((e) => e.type),
        events.map((e) => EVENTS[e.name].topic),
        envelopes.map((e) => e.aggregateId),
        envelopes.map((e) => JSON.stringify(e)),
      ],
      envelopes,
    };
  }
}

/** An event to record: its name, the aggregate it keys on, its payload and, optionally, the trace it belongs to. */
export interface OutboxEvent {
  name: EventName;
  aggregateId: string;
  payload: object;
  traceId?: string;
}

export interface StagedInsert {
  sql: string;
  params: unknown[];
  envelopes: EventEnvelope<object>[];
}
