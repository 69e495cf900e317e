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
    const definition = EVENTS[name];
    const envelope = createEnvelope({
      type: definition.type,
      version: definition.version,
      producer: this.producer,
      aggregateId,
      traceId: currentTraceId() ?? newTraceId(),
      payload,
    });
    await this.tx.manager.query(`INSERT INTO outbox_message (event_id, event_type, topic, message_key, envelope) VALUES ($1, $2, $3, $4, $5)`, [
      envelope.eventId,
      envelope.type,
      definition.topic,
      aggregateId,
      JSON.stringify(envelope),
    ]);
    this.tx.afterCommit(() => this.relay.wake());
    return envelope;
  }
}
