import { Params } from 'nestjs-pino';
import { Logger, pino } from 'pino';
import { maskCivilId, toAsciiDigits } from '@app/contracts';
import { currentTraceId } from '../trace';

/** A run of digits that may be spaced or dashed as people type them (after Arabic-Indic digits became ASCII). */
const DIGIT_RUN = /(?<!\d)\d(?:[ \-\u00a0]?\d)+(?!\d)/g;

/**
 * Civil IDs and card-like numbers never reach the logs whole, however they were written: URLs are
 * decoded first (an Arabic-Indic civil ID arrives percent-encoded) and digits made ASCII. A run of
 * 12 digits keeps its first and last four (maskCivilId), one of 13 to 19 its first six and last four.
 */
export function maskSensitive(text: string): string {
  return toAsciiDigits(decoded(text)).replace(DIGIT_RUN, (run) => {
    const digits = run.replace(/\D/g, '');
    if (digits.length === 12) return maskCivilId(digits);
    if (digits.length >= 13 && digits.length <= 19) return `${digits.slice(0, 6)}******${digits.slice(-4)}`;
    return run;
  });
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text; // not percent-encoding after all
  }
}

const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-bank-signature"]',
  'req.headers["x-signature"]',
  'req.headers["idempotency-key"]',
  '*.password',
  '*.secret',
  '*.token',
  '*.cardNumber',
  '*.pan',
  '*.civilId',
  '*.driverCivilId',
];

/**
 * One pino logger per process, through nestjs-pino (Nest's own logs and every service's). HTTP
 * access lines come from logAccess in a Fastify hook, not from pino-http's middleware: that made
 * two child loggers per request (its bindings serialized and redacted each time) whether or not
 * the line was written, about 65 µs of a 590 µs civil-ID request on these machines. nestjs-pino is
 * handed this logger (useExisting) and applies its middleware to no route.
 */
export function loggerParams(service: string, level: string): Params {
  const logger = pino({
    level,
    base: { service },
    messageKey: 'msg',
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
    formatters: { level: (label: string) => ({ level: label }) },
    // Lines written while a request or an event is handled carry its trace id, from the async context (unless a child logger already binds one).
    mixin: (_merge: object, _level: number, logger: Logger) => {
      const traceId = currentTraceId();
      return traceId && !logger.bindings().traceId ? { traceId } : {};
    },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  });
  return { pinoHttp: { logger }, useExisting: true, forRoutes: [] };
}

const QUIET_PATHS = /^\/(health|metrics)/;

/**
 * The access line of a request: method, URL with civil IDs and card numbers masked, status, time
 * taken and trace id; 5xx at error, a response cut off before its end (the client left, a CSV
 * failed mid-stream) at warn, health and metrics probes left out. Written only when its level is
 * enabled, so LOG_LEVEL=warn costs nothing per answered request.
 */
export function logAccess(
  logger: Logger,
  request: { id: string; method: string; url: string },
  statusCode: number,
  responseTime: number,
  cutOff = false,
): void {
  const level = statusCode >= 500 ? 'error' : cutOff ? 'warn' : 'info';
  if (!logger.isLevelEnabled(level) || QUIET_PATHS.test(request.url)) return;
  const url = maskSensitive(request.url);
  logger[level](
    { traceId: request.id, req: { method: request.method, url }, res: { statusCode }, responseTime: Math.round(responseTime), ...(cutOff ? { cutOff } : {}) },
    `${request.method} ${url} ${statusCode}${cutOff ? ' cut off' : ''}`,
  );
}
