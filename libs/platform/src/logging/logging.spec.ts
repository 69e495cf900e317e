import { pino } from 'pino';
import { logAccess, maskSensitive } from './logging';

describe('what reaches the logs', () => {
  it('masks civil IDs in URLs', () => {
    expect(maskSensitive('/v1/inquiry/civil-id/288020122596?status=ALL')).toBe('/v1/inquiry/civil-id/2880****2596?status=ALL');
  });

  it('masks card numbers, keeping the first six and last four digits', () => {
    expect(maskSensitive('pan=4111111111111111')).toBe('pan=411111******1111');
  });

  it('masks civil IDs and card numbers written with spaces, dashes or Arabic-Indic digits, percent-encoded or not', () => {
    expect(maskSensitive('/v1/inquiry/civil-id/2880-2012-2596')).toBe('/v1/inquiry/civil-id/2880****2596');
    expect(maskSensitive('/v1/inquiry/civil-id/2880%202012%202596')).toBe('/v1/inquiry/civil-id/2880****2596');
    expect(maskSensitive(`/v1/inquiry/civil-id/${encodeURIComponent('٢٨٨٠٢٠١٢٢٥٩٦')}`)).toBe('/v1/inquiry/civil-id/2880****2596');
    expect(maskSensitive('card 4111 1111 1111 1111 paid')).toBe('card 411111******1111 paid');
    expect(maskSensitive('/v1/inquiry/civil-id/%E0%A4%A')).toBe('/v1/inquiry/civil-id/%E0%A4%A');
  });

  it('leaves plate numbers and short ids alone', () => {
    expect(maskSensitive('/v1/vehicles/PRIVATE/123456/transfers')).toBe('/v1/vehicles/PRIVATE/123456/transfers');
  });
});

describe('the access line of a request', () => {
  /** A logger like the services' (its level, the redaction of loggerParams) that writes into an array. */
  function capture(level: string) {
    const lines: Record<string, unknown>[] = [];
    const logger = pino(
      { level, messageKey: 'msg', formatters: { level: (label: string) => ({ level: label }) } },
      { write: (line: string) => lines.push(JSON.parse(line)) },
    );
    return { logger, lines };
  }
  const request = (url: string) => ({ id: 'a'.repeat(32), method: 'GET', url });

  it('names method, masked URL, status, time and trace id; a 5xx is an error, a response cut off a warning', () => {
    const { logger, lines } = capture('info');
    logAccess(logger, request('/v1/inquiry/civil-id/288020122596'), 200, 3.6);
    logAccess(logger, request('/v1/inquiry/plate/PRIVATE/12345'), 503, 12);
    expect(lines).toMatchObject([
      {
        level: 'info',
        traceId: 'a'.repeat(32),
        req: { method: 'GET', url: '/v1/inquiry/civil-id/2880****2596' },
        res: { statusCode: 200 },
        responseTime: 4,
        msg: 'GET /v1/inquiry/civil-id/2880****2596 200',
      },
      { level: 'error', res: { statusCode: 503 } },
    ]);
    logAccess(logger, request('/v1/inquiry/company/100001'), 200, 80, true);
    expect(lines[2]).toMatchObject({ level: 'warn', cutOff: true, msg: 'GET /v1/inquiry/company/100001 200 cut off' });
    expect(JSON.stringify(lines)).not.toContain('288020122596');
  });

  it('leaves out health and metrics probes, and writes nothing above its level', () => {
    const info = capture('info');
    logAccess(info.logger, request('/health/ready'), 200, 1);
    logAccess(info.logger, request('/metrics'), 200, 1);
    const warn = capture('warn');
    logAccess(warn.logger, request('/v1/violation-types'), 404, 1);
    expect([...info.lines, ...warn.lines]).toEqual([]);
  });
});
