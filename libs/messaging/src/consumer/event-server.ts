import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import { parseHandlerPattern } from '../transport';
import { ConsumerRegistry } from './consumer-registry';

/**
 * The part both transports share as @nestjs/microservices servers: the @OnEvent handlers Nest has
 * collected are handed to the consumer registry, unwrapped from Nest's RPC plumbing so that an
 * error reaches the pipeline as it was thrown.
 */
export abstract class EventServer extends Server implements CustomTransportStrategy {
  constructor(protected readonly consumers: ConsumerRegistry) {
    super();
  }

  protected registerHandlers(): void {
    for (const [pattern, handler] of this.getHandlers()) {
      const parsed = parseHandlerPattern(pattern);
      if (!parsed) continue;
      this.consumers.registerHandler(parsed.consumer, parsed.eventType, async (envelope) => {
        const result: unknown = await handler(envelope);
        if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
      });
    }
  }

  on(): never {
    throw new Error('event servers emit no status events');
  }

  unwrap<T>(): T {
    throw new Error('event servers wrap no client');
  }
}
