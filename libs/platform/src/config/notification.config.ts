import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUrl, Max, Min, MinLength } from 'class-validator';
import { Env } from './env';

/** The path of the SMS provider simulator inside the notification service (never in production). */
export const SMS_SIMULATOR_PATH = '/sms-sim/messages';

export const DEFAULT_SMS_BODY_TEMPLATE = '{"to":"{{to}}","from":"{{sender}}","text":"{{text}}","reference":"{{reference}}"}';

export class NotificationConfig {
  @Env(
    'SMS provider endpoint (POST, JSON). Outside production it defaults to the built-in SMS simulator of the notification service; production refuses the simulator.',
  )
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  SMS_PROVIDER_URL?: string;

  @Env('Header that carries the SMS provider credentials, e.g. authorization or x-api-key.')
  @IsString()
  SMS_PROVIDER_AUTH_HEADER = 'authorization';

  @Env('Value of SMS_PROVIDER_AUTH_HEADER, e.g. `Bearer <key>` or `Basic <base64>`.', { secret: true })
  @IsOptional()
  @IsString()
  SMS_PROVIDER_AUTH?: string;

  @Env(
    'JSON body sent to the SMS provider; the strings {{to}}, {{text}}, {{sender}}, {{reference}} and {{encoding}} are replaced in its values (default {"to":"{{to}}","from":"{{sender}}","text":"{{text}}","reference":"{{reference}}"}).',
  )
  @IsString()
  SMS_PROVIDER_BODY = DEFAULT_SMS_BODY_TEMPLATE;

  @Env('SMS sender name shown on the phone.')
  @IsString()
  @MinLength(1)
  SMS_SENDER_ID = 'MOI';

  @Env(
    'SMTP server for email, e.g. smtps://user:password@mail.example.kw:465. Outside production it defaults to the built-in SMTP sink; production needs a real one.',
    { secret: true },
  )
  @IsOptional()
  @IsString()
  SMTP_URL?: string;

  @Env('From address of notification email.')
  @IsString()
  EMAIL_FROM = 'Traffic Fines <no-reply@fines.example.kw>';

  @Env('Port of the development SMTP sink (non-production, used when SMTP_URL is unset); 0 picks a free port, logged at start.')
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  SMTP_SINK_PORT = 0;

  @Env('Attempts of one message (SMS, email, webhook) before it is marked FAILED.')
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  NOTIFY_MAX_ATTEMPTS = 12;

  @Env('First retry delay of a message in ms; doubles each attempt, with jitter (between half and all of it).')
  @Type(() => Number)
  @IsInt()
  @Min(1)
  NOTIFY_RETRY_BASE_MS = 5000;

  @Env('Longest retry delay of a message in ms.')
  @Type(() => Number)
  @IsInt()
  @Min(1)
  NOTIFY_RETRY_MAX_MS = 300000;

  @Env('Messages sent at once per channel (SMS, email, webhook) by one notification process; also the SMTP connections it keeps.')
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(256)
  NOTIFY_CONCURRENCY = 16;

  @Env('How often the dispatcher looks for due messages it was not woken for (retries, other replicas), in ms.')
  @Type(() => Number)
  @IsInt()
  @Min(10)
  NOTIFY_POLL_INTERVAL_MS = 1000;

  @Env('Timeout of one SMS, email or webhook send, in ms.')
  @Type(() => Number)
  @IsInt()
  @Min(100)
  NOTIFY_SEND_TIMEOUT_MS = 10000;
}

/** Delay before attempt `attempt + 1` after `attempt` failed: exponential, capped, with "equal jitter". */
export function retryDelayMs(config: NotificationConfig, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(config.NOTIFY_RETRY_MAX_MS, config.NOTIFY_RETRY_BASE_MS * 2 ** Math.min(attempt - 1, 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** The shortest time from the first attempt to the last: how long a provider may be down without a message failing. */
export function shortestRetryWindowMs(config: NotificationConfig): number {
  let total = 0;
  for (let attempt = 1; attempt < config.NOTIFY_MAX_ATTEMPTS; attempt++) total += retryDelayMs(config, attempt, () => 0);
  return total;
}

const TEN_MINUTES = 10 * 60 * 1000;

/** HTTPS, or plain HTTP that never leaves the machine (a relay or sidecar on loopback). */
const overHttpsOrLoopback = (url: URL) => url.protocol === 'https:' || ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);

/** Production notification: real providers (no simulator, no sink) and a retry schedule that outlasts a ten-minute outage. */
export function productionNotificationProblems(config: NotificationConfig): string[] {
  const problems: string[] = [];
  if (!config.SMS_PROVIDER_URL) problems.push('SMS_PROVIDER_URL: production notification needs a real SMS provider');
  else if (new URL(config.SMS_PROVIDER_URL).pathname.startsWith('/sms-sim')) problems.push('SMS_PROVIDER_URL: the SMS simulator is refused in production');
  else if (!overHttpsOrLoopback(new URL(config.SMS_PROVIDER_URL)))
    problems.push('SMS_PROVIDER_URL: production sends the provider credentials over HTTPS only (plain HTTP only to a loopback relay)');
  if (!config.SMTP_URL) problems.push('SMTP_URL: production notification needs a real SMTP server (the development sink is refused)');
  const window = shortestRetryWindowMs(config);
  if (window <= TEN_MINUTES)
    problems.push(
      `NOTIFY_MAX_ATTEMPTS: with NOTIFY_RETRY_BASE_MS and NOTIFY_RETRY_MAX_MS the retries cover only ${Math.round(window / 1000)} s; production needs more than 10 minutes`,
    );
  return problems;
}

/** Checks of the shape of values a decorator cannot express. */
export function notificationConfigProblems(config: NotificationConfig): string[] {
  const problems: string[] = [];
  try {
    const parsed: unknown = JSON.parse(config.SMS_PROVIDER_BODY);
    if (typeof parsed !== 'object' || parsed === null || !JSON.stringify(parsed).includes('{{text}}')) throw new Error('shape');
  } catch {
    problems.push('SMS_PROVIDER_BODY: must be a JSON object whose values use {{to}} and {{text}}');
  }
  if (config.SMTP_URL !== undefined && !/^smtps?:\/\//.test(config.SMTP_URL)) problems.push('SMTP_URL: must start with smtp:// or smtps://');
  return problems;
}
