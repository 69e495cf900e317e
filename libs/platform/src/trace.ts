import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** The trace id of whatever is being handled now: an HTTP request or a consumed event. */
interface TraceContext {
  traceId: string;
}

const storage = new AsyncLocalStorage<TraceContext>();

/** 32 hex digits, as W3C trace ids are; from randomUUID, which draws on a buffered pool instead of a call to the system's generator per id. */
export function newTraceId(): string {
  return randomUUID().replace(/-/g, '');
}

export function currentTraceId(): string | undefined {
  return storage.getStore()?.traceId;
}

export function runWithTrace<T>(traceId: string, fn: () => T): T {
  return storage.run({ traceId }, fn);
}

const TRACE_ID = /^[0-9a-f]{32}$/;
const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** Takes the caller's trace id from `traceparent` (W3C) or `x-trace-id`, or starts a new one. */
export function traceIdFromHeaders(headers: Record<string, string | string[] | undefined>): string {
  const parent = headers['traceparent'];
  const fromParent = typeof parent === 'string' ? TRACEPARENT.exec(parent.trim())?.[1] : undefined;
  if (fromParent) return fromParent;
  const given = headers['x-trace-id'];
  if (typeof given === 'string' && TRACE_ID.test(given.trim().toLowerCase())) return given.trim().toLowerCase();
  return newTraceId();
}
