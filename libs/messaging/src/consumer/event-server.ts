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
      const call = async (data: unknown) => {
        const result: unknown = await handler(data);
        if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
      };
      if (parsed.batch) this.consumers.registerBatchHandler(parsed.consumer, parsed.eventType, call);
      else this.consumers.registerHandler(parsed.consumer, parsed.eventType, call);
    }
  }

  on(): never {
    throw new Error('event servers emit no status events');
  }

  unwrap<T>(): T {
    throw new Error('event servers wrap no client');
  }
}
