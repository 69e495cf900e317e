import { Inject, Injectable } from '@nestjs/common';
import { InjectTransactionHost, TransactionHost } from '@app/persistence';
import { PLATFORM_CONFIG, PlatformConfig } from '@app/platform';
import { ChannelSender, DeliveryError, DeliveryRow } from '../delivery/delivery';
import { internalAddressOf } from './public-address';
import { signWebhook } from './webhook-signature';

/** Posts a new fine to a company's fleet endpoint, signed with its current secret; anything but 2xx is retried. */
@Injectable()
export class WebhookSender implements ChannelSender {
  readonly channel = 'WEBHOOK' as const;

  constructor(
    @InjectTransactionHost('notification') private readonly tx: TransactionHost,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  async send(message: DeliveryRow): Promise<void> {
    const [webhook] = await this.tx.manager.query<{ url: string; secret: string }[]>(`SELECT url, secret FROM company_webhook WHERE company_no = $1`, [
      message.company_no,
    ]);
    // The company removed its endpoint since the fine: this post has nowhere to go. A moved endpoint
    // gets the post at its new URL, signed with the current secret.
    if (!webhook) throw new DeliveryError('the company webhook was removed', true);
    if (this.config.app.NODE_ENV === 'production') {
      // Checked at every send, after DNS: a name can be pointed at an internal address after registration.
      const internal = await internalAddressOf(new URL(webhook.url).hostname).catch((error: Error) => {
        throw new DeliveryError(`webhook host does not resolve: ${error.message}`);
      });
      if (internal) throw new DeliveryError(`webhook host resolves to an internal address (${internal}); refused`, true);
    }
    let response: Response;
    try {
      response = await fetch(webhook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-signature': signWebhook(webhook.secret, message.body),
          'x-event-id': message.event_id,
          'x-delivery-id': message.id,
        },
        body: message.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.config.notification.NOTIFY_SEND_TIMEOUT_MS),
      });
    } catch (error) {
      throw new DeliveryError(`webhook unreachable: ${(error as Error).message}`);
    }
    await response.body?.cancel();
    if (response.status < 200 || response.status >= 300) throw new DeliveryError(`webhook answered ${response.status}`);
  }
}
