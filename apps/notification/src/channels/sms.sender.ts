import { Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:net';
import { PLATFORM_CONFIG, PlatformConfig, SMS_SIMULATOR_PATH } from '@app/platform';
import { ChannelSender, DeliveryError, DeliveryRow } from '../delivery/delivery';
import { smsLength } from '../templates/sms-length';

/** Puts the message's values into the provider's JSON body template: `{{name}}` placeholders in string values. */
export function smsRequestBody(template: string, values: Record<string, string>): unknown {
  const fill = (node: unknown): unknown => {
    if (typeof node === 'string') {
      const whole = /^\{\{(\w+)\}\}$/.exec(node);
      if (whole) return values[whole[1]] ?? '';
      return node.replace(/\{\{(\w+)\}\}/g, (_m, name: string) => values[name] ?? '');
    }
    if (Array.isArray(node)) return node.map(fill);
    if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, fill(v)]));
    return node;
  };
  return fill(JSON.parse(template));
}

/**
 * SMS through a provider's HTTP API, as one generic JSON adapter: URL, credentials header and body
 * shape come from the configuration. Outside production, without SMS_PROVIDER_URL, it posts to the
 * service's own SMS simulator. A 4xx other than 408 and 429 is the provider refusing the message:
 * not retried.
 */
@Injectable()
export class SmsSender implements ChannelSender {
  readonly channel = 'SMS' as const;

  constructor(
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    private readonly http: HttpAdapterHost,
  ) {}

  private url(): string {
    if (this.config.notification.SMS_PROVIDER_URL) return this.config.notification.SMS_PROVIDER_URL;
    const server = this.http.httpAdapter?.getHttpServer() as Server | undefined;
    const address = server?.address();
    if (!address || typeof address !== 'object') throw new DeliveryError('the SMS simulator is not listening yet');
    return `http://127.0.0.1:${address.port}${SMS_SIMULATOR_PATH}`;
  }

  async send(message: DeliveryRow): Promise<void> {
    const n = this.config.notification;
    const body = smsRequestBody(n.SMS_PROVIDER_BODY, {
      to: message.recipient,
      text: message.body,
      sender: n.SMS_SENDER_ID,
      reference: `notification-${message.id}`,
      encoding: smsLength(message.body).encoding,
    });
    let response: Response;
    try {
      response = await fetch(this.url(), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(n.SMS_PROVIDER_AUTH ? { [n.SMS_PROVIDER_AUTH_HEADER]: n.SMS_PROVIDER_AUTH } : {}) },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(n.NOTIFY_SEND_TIMEOUT_MS),
      });
    } catch (error) {
      if (error instanceof DeliveryError) throw error;
      throw new DeliveryError(`SMS provider unreachable: ${(error as Error).message}`);
    }
    const text = (await response.text()).slice(0, 200);
    if (response.ok) return;
    // Only an answer about this message itself is final; 401/403/404 and the like are usually the
    // provider's (keys rotated, maintenance) and would fail every queued SMS at once.
    const permanent = response.status === 400 || response.status === 413 || response.status === 422;
    throw new DeliveryError(`SMS provider answered ${response.status}: ${text}`, permanent);
  }
}
