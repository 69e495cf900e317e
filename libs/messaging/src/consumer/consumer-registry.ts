import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@app/persistence';

export type EventHandlerFn = (envelope: object) => Promise<void>;

/** A handler of one event (`batch: false`) or of a run of events of one type in order (`batch: true`). */
export interface RegisteredHandler {
  fn: (events: unknown) => Promise<void>;
  batch: boolean;
}

/**
 * Who consumes here: each consumer (a service) with the transaction host of its own database and
 * its handlers by event type. Filled by the services' modules and by the transport server.
 */
@Injectable()
export class ConsumerRegistry {
  private readonly hosts = new Map<string, TransactionHost>();
  private readonly handlers = new Map<string, Map<string, RegisteredHandler>>();

  registerDatabase(consumer: string, host: TransactionHost): void {
    this.hosts.set(consumer, host);
  }

  registerHandler(consumer: string, eventType: string, handler: EventHandlerFn): void {
    this.register(consumer, eventType, { fn: handler as RegisteredHandler['fn'], batch: false });
  }

  registerBatchHandler(consumer: string, eventType: string, handler: (envelopes: object[]) => Promise<void>): void {
    this.register(consumer, eventType, { fn: handler as RegisteredHandler['fn'], batch: true });
  }

  private register(consumer: string, eventType: string, handler: RegisteredHandler): void {
    if (!this.handlers.has(consumer)) this.handlers.set(consumer, new Map());
    this.handlers.get(consumer)!.set(eventType, handler);
  }

  transactionHost(consumer: string): TransactionHost {
    const host = this.hosts.get(consumer);
    if (!host) throw new Error(`consumer ${consumer} has no database registered`);
    return host;
  }

  handler(consumer: string, eventType: string): RegisteredHandler | undefined {
    return this.handlers.get(consumer)?.get(eventType);
  }

  consumers(): string[] {
    return [...this.handlers.keys()];
  }

  eventTypes(consumer: string): string[] {
    return [...(this.handlers.get(consumer)?.keys() ?? [])];
  }
}
