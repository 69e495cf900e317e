import { NotificationConfig, loadPlatformConfig, productionNotificationProblems, retryDelayMs, shortestRetryWindowMs } from '@app/platform';

const config = (overrides: Partial<NotificationConfig> = {}) => Object.assign(new NotificationConfig(), overrides);

describe('the retry schedule of messages', () => {
  it('doubles from the base up to the cap, with jitter between half and all of the delay', () => {
    const c = config({ NOTIFY_RETRY_BASE_MS: 1000, NOTIFY_RETRY_MAX_MS: 10000 });
    expect([1, 2, 3, 4, 5, 6].map((a) => retryDelayMs(c, a, () => 1))).toEqual([1000, 2000, 4000, 8000, 10000, 10000]);
    expect([1, 2, 3, 4, 5, 6].map((a) => retryDelayMs(c, a, () => 0))).toEqual([500, 1000, 2000, 4000, 5000, 5000]);
  });

  it('by default a provider may be down for more than ten minutes (even with the least jitter) before a message fails', () => {
    const window = shortestRetryWindowMs(config());
    expect(window).toBeGreaterThan(10 * 60 * 1000);
    expect(window).toBe(907500);
  });

  it('production refuses a schedule shorter than ten minutes, the SMS simulator, and the missing SMTP server', () => {
    expect(productionNotificationProblems(config({ SMS_PROVIDER_URL: 'https://sms.example.kw/send', SMTP_URL: 'smtps://u:p@mail.example.kw' }))).toEqual([]);
    expect(
      productionNotificationProblems(config({ SMS_PROVIDER_URL: 'https://sms.example.kw/send', SMTP_URL: 'smtps://mail', NOTIFY_MAX_ATTEMPTS: 3 })),
    ).toEqual([expect.stringMatching(/^NOTIFY_MAX_ATTEMPTS: .* production needs more than 10 minutes/)]);
    const production = { NODE_ENV: 'production', AUTH_JWT_SECRET: 'p'.repeat(40) };
    expect(() => loadPlatformConfig(production, ['notification'])).toThrow(/SMS_PROVIDER_URL: production notification needs a real SMS provider/);
    expect(() => loadPlatformConfig(production, ['notification'])).toThrow(/SMTP_URL: production notification needs a real SMTP server/);
    expect(() =>
      loadPlatformConfig({ ...production, SMS_PROVIDER_URL: 'http://notification:3004/sms-sim/messages', SMTP_URL: 'smtp://mail:25' }, ['notification']),
    ).toThrow(/SMS_PROVIDER_URL: the SMS simulator is refused in production/);
    expect(() =>
      loadPlatformConfig({ ...production, SMS_PROVIDER_URL: 'http://sms.example.kw/send', SMTP_URL: 'smtps://u:p@mail.example.kw' }, ['notification']),
    ).toThrow(/SMS_PROVIDER_URL: production sends the provider credentials over HTTPS only/);
    // Services that send nothing start without them.
    expect(loadPlatformConfig(production, ['violations']).app.NODE_ENV).toBe('production');
  });

  it('refuses an SMS body template that is not JSON with {{text}}, and never echoes the SMTP password', () => {
    expect(() => loadPlatformConfig({ SMS_PROVIDER_BODY: '{"to":"{{to}}"}' })).toThrow(/SMS_PROVIDER_BODY/);
    expect(() => loadPlatformConfig({ SMTP_URL: 'mail://user:hunter2@mail' })).toThrow(/SMTP_URL/);
    expect(() => loadPlatformConfig({ SMTP_URL: 'mail://user:hunter2@mail' })).not.toThrow(/hunter2/);
  });
});
