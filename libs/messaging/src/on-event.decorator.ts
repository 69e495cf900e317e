import { applyDecorators } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import { EventDefinition } from '@app/contracts';
import { handlerPattern } from './transport';

/**
 * Marks a controller method as `consumer`'s handler of one event. The method receives the parsed,
 * validated envelope and runs inside the consumer's transaction, with its inbox row.
 */
export function OnEvent(consumer: string, event: EventDefinition): MethodDecorator {
  return applyDecorators(EventPattern(handlerPattern(consumer, event.type)));
}
