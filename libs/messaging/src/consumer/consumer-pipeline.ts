import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EventContractError, EventEnvelope, parseEnvelope } from '@app/contracts';
import { isTransientFault } from '@app/persistence';
import { Metrics, PLATFORM_CONFIG, PlatformConfig, runWithTrace } from '@app/platform';
import { EVENT_TRANSPORT, EventTransport, InboundMessage } from '../transport';
import { ConsumerRegistry } from './consumer-registry';

interface Parsed {
  message: InboundMessage;
  envelope?: EventEnvelope<object>;
  contractError?: string;
  /** What identifies a message that broke its contract, when it can be read at all. */
  rawId?: { eventId: string; type: string };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function readRawId(value: Buffer | string): Parsed['rawId'] {
  try {
    const raw = JSON.parse(value.toString()) as { eventId?: unknown; type?: unknown };
    return typeof raw.eventId === 'string' && UUID.test(raw.eventId)
      ? { eventId: raw.eventId.toLowerCase(), type: typeof raw.type === 'string' ? raw.type : 'unknown' }
      : undefined;
  } catch {
    return undefined;
  }
}

type Heartbeat = () => Promise<void>;

/** The messages of one partition, in order, with the heartbeat of the consumer that fetched them. */
export interface InboundBatch {
  messages: InboundMessage[];
  heartbeat: Heartbeat;
}

class BatchNeedsOneByOne extends Error {}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return typeof error === 'string' ? error : JSON.stringify(error);
}

/**
 * How every consumer handles events, whatever the transport: exactly-once effect over
 * at-least-once delivery. A batch is applied in one transaction of the consumer's database,
 * each event with its inbox row, so a redelivered event changes nothing. If anything in the batch
 * fails, the batch is rolled back and replayed one event at a time, each retried with back-off and,
 * when it keeps failing, parked on the dead-letter topic so the events behind it still get through.
 * Order is kept: an event is never applied before the ones ahead of it in the batch.
 */
@Injectable()
export class ConsumerPipeline {
  private readonly logger = new Logger('ConsumerPipeline');

  constructor(
    private readonly registry: ConsumerRegistry,
    private readonly metrics: Metrics,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    @Inject(EVENT_TRANSPORT) private readonly transport: EventTransport,
  ) {}

  async handleBatch(consumer: string, messages: InboundMessage[], heartbeat: Heartbeat = () => Promise.resolve()): Promise<void> {
    await this.handleBatches(consumer, [{ messages, heartbeat }]);
  }

  /**
   * Batches of different partitions applied together in one transaction (group commit), each in its
   * own order, the batches in the order given. Events of different partitions have no order between
   * them, so this is one of the orders in which they could have been applied one batch at a time. If
   * the transaction fails, each batch is handled on its own, as handleBatch does.
   */
  async handleBatches(consumer: string, batches: InboundBatch[]): Promise<void> {
    const parsed = batches.map((b) => b.messages.map((m) => this.parse(m)));
    const all = parsed.flat();
    if (all.length === 0) return;
    const host = this.registry.transactionHost(consumer);
    let failed: Parsed | undefined;
    try {
      await host.run(async (manager) => {
        const fresh = await this.claimInbox(consumer, all, manager);
        // Consecutive events of a type with a batch handler are applied together, in order.
        let run: EventEnvelope<object>[] = [];
        const flush = async () => {
          if (run.length === 0) return;
          const events = run;
          run = [];
          failed = undefined;
          await this.invoke(consumer, events);
        };
        for (const item of all) {
          if (item.contractError) throw new BatchNeedsOneByOne();
          const envelope = item.envelope!;
          if (!fresh.delete(envelope.eventId)) continue;
          if (this.registry.handler(consumer, envelope.type)!.batch) {
            if (run.length > 0 && run[0].type !== envelope.type) await flush();
            run.push(envelope);
          } else {
            await flush();
            failed = item;
            await this.invoke(consumer, [envelope]);
          }
        }
        await flush();
        failed = undefined;
      });
      this.observe(consumer, all);
      return;
    } catch (error) {
      if (isTransientFault(error)) throw error;
      if (!(error instanceof BatchNeedsOneByOne)) {
        this.logger.warn({ consumer, err: describeError(error), size: all.length }, 'batch failed; handling its events one by one');
        if (failed?.envelope) this.metrics.eventHandlerFailures.inc({ consumer, type: failed.envelope.type });
      }
    }
    for (const [i, items] of parsed.entries()) {
      const { heartbeat } = batches[i];
      // A batch that was only rolled back with others is tried whole again; the one that failed
      // goes event by event, the failing event having had its first attempt.
      if (batches.length > 1 && !(failed && items.includes(failed)) && !items.some((item) => item.contractError)) {
        await this.handleBatches(consumer, [batches[i]]);
        continue;
      }
      for (const item of items) await this.handleOne(consumer, item, heartbeat, item === failed ? 1 : 0);
    }
  }

  private parse(message: InboundMessage): Parsed {
    try {
      return { message, envelope: parseEnvelope(message.value) };
    } catch (error) {
      if (error instanceof EventContractError) return { message, contractError: error.message, rawId: readRawId(message.value) };
      throw error;
    }
  }

  /** Inserts the inbox rows of the events this consumer handles; answers the ids seen for the first time. */
  private async claimInbox(consumer: string, items: Parsed[], manager: EntityManager): Promise<Set<string>> {
    const handled = items.filter((i) => i.envelope && this.registry.handler(consumer, i.envelope.type));
    if (handled.length === 0) return new Set();
    const rows: { event_id: string }[] = await manager.query(
      `INSERT INTO inbox_message (consumer, event_id, event_type)
       SELECT $1, id, type FROM unnest($2::uuid[], $3::text[]) AS e(id, type)
       ON CONFLICT DO NOTHING RETURNING event_id`,
      [consumer, handled.map((i) => i.envelope!.eventId), handled.map((i) => i.envelope!.type)],
    );
    return new Set(rows.map((r) => r.event_id));
  }

  /** Calls the handler of these events (all of one type): once with the list, or once per event. */
  private async invoke(consumer: string, envelopes: EventEnvelope<object>[]): Promise<void> {
    const handler = this.registry.handler(consumer, envelopes[0].type)!;
    if (handler.batch) {
      await runWithTrace(envelopes[0].traceId, () => handler.fn(envelopes));
      return;
    }
    for (const envelope of envelopes) await runWithTrace(envelope.traceId, () => handler.fn(envelope));
  }

  private async handleOne(consumer: string, item: Parsed, heartbeat: Heartbeat, attemptsMade: number): Promise<void> {
    if (item.contractError) {
      if (item.rawId && (await this.alreadyDeadLettered(consumer, item.rawId.eventId))) return;
      this.logger.error(
        { consumer, topic: item.message.topic, offset: item.message.offset, err: item.contractError },
        'event breaks its contract; dead-lettered',
      );
      await this.deadLetter(consumer, item, `EventContractError: ${item.contractError}`, 0);
      return;
    }
    const envelope = item.envelope!;
    const host = this.registry.transactionHost(consumer);
    const { CONSUMER_MAX_ATTEMPTS: maxAttempts } = this.config.messaging;
    let lastError = '';
    if (attemptsMade > 0) await this.backOff(attemptsMade, heartbeat);
    for (let attempt = attemptsMade + 1; attempt <= maxAttempts; attempt++) {
      try {
        await host.run(async (manager) => {
          const fresh = await this.claimInbox(consumer, [item], manager);
          if (fresh.has(envelope.eventId)) await this.invoke(consumer, [envelope]);
        });
        this.observe(consumer, [item]);
        return;
      } catch (error) {
        if (isTransientFault(error)) throw error;
        lastError = describeError(error);
        this.metrics.eventHandlerFailures.inc({ consumer, type: envelope.type });
        runWithTrace(envelope.traceId, () =>
          this.logger.warn({ consumer, eventId: envelope.eventId, type: envelope.type, attempt, maxAttempts, err: lastError }, 'event handler failed'),
        );
        if (attempt < maxAttempts) await this.backOff(attempt, heartbeat);
      }
    }
    runWithTrace(envelope.traceId, () =>
      this.logger.error(
        { consumer, eventId: envelope.eventId, type: envelope.type, attempts: maxAttempts, err: lastError },
        'event dead-lettered after its retries',
      ),
    );
    await this.deadLetter(consumer, item, lastError, maxAttempts);
  }

  private async backOff(attempt: number, heartbeat: Heartbeat): Promise<void> {
    const { CONSUMER_RETRY_BASE_MS: base, CONSUMER_RETRY_MAX_MS: max } = this.config.messaging;
    let remaining = Math.min(max, base * 2 ** (attempt - 1));
    while (remaining > 0) {
      const slice = Math.min(remaining, 1000);
      await new Promise((r) => setTimeout(r, slice));
      remaining -= slice;
      await heartbeat();
    }
  }

  private async alreadyDeadLettered(consumer: string, eventId: string): Promise<boolean> {
    const rows: unknown[] = await this.registry
      .transactionHost(consumer)
      .manager.query(`SELECT 1 FROM inbox_message WHERE consumer = $1 AND event_id = $2`, [consumer, eventId]);
    return rows.length > 0;
  }

  private async deadLetter(consumer: string, item: Parsed, error: string, attempts: number): Promise<void> {
    await this.transport.deadLetter(consumer, item.message, error, attempts);
    const id = item.envelope ? { eventId: item.envelope.eventId, type: item.envelope.type } : item.rawId;
    await this.registry.transactionHost(consumer).run(async (manager) => {
      if (id) {
        await manager.query(`INSERT INTO inbox_message (consumer, event_id, event_type, outcome) VALUES ($1, $2, $3, 'DEAD_LETTERED') ON CONFLICT DO NOTHING`, [
          consumer,
          id.eventId,
          id.type,
        ]);
      }
      await manager.query(
        `INSERT INTO dead_letter (consumer, event_id, event_type, topic, kafka_partition, kafka_offset, message, error, attempts)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          consumer,
          id?.eventId ?? null,
          id?.type ?? null,
          item.message.topic,
          item.message.partition ?? null,
          item.message.offset ?? null,
          item.message.value.toString(),
          error,
          attempts,
        ],
      );
    });
    this.metrics.eventsHandled.inc({ consumer, type: id?.type ?? 'unknown', outcome: 'dead_lettered' });
  }

  private observe(consumer: string, items: Parsed[]): void {
    const now = Date.now();
    for (const { envelope } of items) {
      if (!envelope) continue;
      const handled = this.registry.handler(consumer, envelope.type) !== undefined;
      this.metrics.eventsHandled.inc({ consumer, type: envelope.type, outcome: handled ? 'handled' : 'ignored' });
      if (handled) this.metrics.eventLag.observe({ consumer }, Math.max(0, now - Date.parse(envelope.occurredAt)) / 1000);
    }
  }
}
