import type { IncomingMessage, ServerResponse } from 'node:http';
import { Params } from 'nestjs-pino';
import { maskCivilId } from '@app/contracts';
import { currentTraceId, newTraceId } from '../trace';

const TWELVE_DIGITS = /(?<!\d)\d{12}(?!\d)/g;
const CARD_NUMBER = /(?<!\d)(\d{6})\d{3,9}(\d{4})(?!\d)/g;

/** Civil IDs and card-like numbers never reach the logs whole. */
export function maskSensitive(text: string): string {
  return text.replace(TWELVE_DIGITS, (m) => maskCivilId(m)).replace(CARD_NUMBER, (_m, a: string, b: string) => `${a}******${b}`);
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

export function loggerParams(service: string, level: string): Params {
  return {
    pinoHttp: {
      level,
      base: { service },
      messageKey: 'msg',
      timestamp: () => `,"time":"${new Date().toISOString()}"`,
      formatters: { level: (label: string) => ({ level: label }) },
      // Request loggers already carry traceId (customAttributeKeys); others take it from the async context.
      mixin: (_merge: object, _level: number, logger?: { bindings(): Record<string, unknown> }) => {
        const traceId = currentTraceId();
        return traceId && !logger?.bindings().traceId ? { traceId } : {};
      },
      customAttributeKeys: { reqId: 'traceId' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      genReqId: (req: IncomingMessage) => (req as IncomingMessage & { traceId?: string }).traceId ?? currentTraceId() ?? newTraceId(),
      autoLogging: { ignore: (req: IncomingMessage) => /^\/(health|metrics)/.test(req.url ?? '') },
      serializers: {
        req: (req: { method: string; url: string; id: string }) => ({ method: req.method, url: maskSensitive(req.url) }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customSuccessMessage: (req: IncomingMessage, res: ServerResponse) => `${req.method} ${maskSensitive(req.url ?? '')} ${res.statusCode}`,
      customErrorMessage: (req: IncomingMessage, res: ServerResponse) => `${req.method} ${maskSensitive(req.url ?? '')} ${res.statusCode}`,
      quietReqLogger: true,
    },
  };
}
