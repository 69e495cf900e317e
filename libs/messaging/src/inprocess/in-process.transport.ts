import { Injectable, Logger } from '@nestjs/common';
import { ConsumerPipeline } from '../consumer/consumer-pipeline';
import { ConsumerRegistry } from '../consumer/consumer-registry';
import { EventServer } from '../consumer/event-server';
import { EventTransport, InboundMessage, OutboundMessage } from '../transport';

/**
 * The embedded default's broker: publishing hands the messages straight to every consumer's
 * pipeline and resolves once each has committed them. Durability comes from the outbox itself: a
 * batch is marked published only after every consumer has it, and a crash before that publishes it
 * again on restart, where the inboxes absorb what was already applied.
 */
@Injectable()
export class InProcessBus implements EventTransport {
  private readonly logger = new Logger('InProcessBus');
  private pipeline?: ConsumerPipeline;
  private consumers?: ConsumerRegistry;
  private attached!: () => void;
  private readonly ready = new Promise<void>((resolve) => (this.attached = resolve));
  private queue: Promise<void> = Promise.resolve();

  attach(pipeline: ConsumerPipeline, consumers: ConsumerRegistry): void {
    this.pipeline = pipeline;
    this.consumers = consumers;
    this.attached();
  }

  publish(messages: OutboundMessage[]): Promise<void> {
    // One delivery at a time across all relays keeps each consumer's view in publish order.
    const delivery = this.queue.then(() => this.deliver(messages));
    this.queue = delivery.catch(() => undefined);
    return delivery;
  }

  private async deliver(messages: OutboundMessage[]): Promise<void> {
    await this.ready;
    for (const consumer of this.consumers!.consumers()) {
      const wanted = messages.filter((m) => this.consumers!.handler(consumer, m.eventType));
      if (wanted.length === 0) continue;
      await this.pipeline!.handleBatch(
        consumer,
        wanted.map((m): InboundMessage => ({ topic: m.topic, value: m.value })),
      );
    }
  }

  /** Resolves when the deliveries under way have finished. */
  drain(): Promise<void> {
    return this.queue;
  }

  deadLetter(consumer: string, message: InboundMessage, error: string): Promise<void> {
    // The consumer's dead_letter table is the in-process dead-letter queue.
    this.logger.warn({ consumer, topic: message.topic, err: error }, 'dead-lettered in process');
    return Promise.resolve();
  }
}

export class InProcessEventServer extends EventServer {
  constructor(
    consumers: ConsumerRegistry,
    private readonly pipeline: ConsumerPipeline,
    private readonly bus: InProcessBus,
  ) {
    super(consumers);
  }

  listen(callback: () => void): void {
    this.registerHandlers();
    this.bus.attach(this.pipeline, this.consumers);
    callback();
  }

  async close(): Promise<void> {
    await this.bus.drain();
  }
}
