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

/**
 * Marks a controller method as `consumer`'s handler of runs of one event type: it receives the
 * envelopes of consecutive events of that type, in order, and applies them together (one statement
 * for many rows). Same-aggregate events may appear more than once in a run.
 */
export function OnEvents(consumer: string, event: EventDefinition): MethodDecorator {
  return applyDecorators(EventPattern(handlerPattern(consumer, event.type, true)));
}
