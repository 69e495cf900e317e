import { Inject, Injectable } from '@nestjs/common';
import { InjectTransactionHost, TransactionHost } from '@app/persistence';
import { PLATFORM_CONFIG, PlatformConfig } from '@app/platform';
import { isInternalAddress } from '../channels/public-address';
import { NotificationErrors } from '../notification.errors';
import { WebhookView } from './dto/webhook.dto';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** A company's fleet endpoint for new fines. HTTPS only in production; loopback HTTP too elsewhere, for development. */
@Injectable()
export class WebhooksService {
  constructor(
    @InjectTransactionHost('notification') private readonly tx: TransactionHost,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  async put(companyNo: string, url: string, secret: string): Promise<WebhookView> {
    const production = this.config.app.NODE_ENV === 'production';
    const parsed = new URL(url);
    const allowed = parsed.protocol === 'https:' || (!production && parsed.protocol === 'http:' && LOOPBACK.has(parsed.hostname));
    if (!allowed || (production && (parsed.hostname === 'localhost' || isInternalAddress(parsed.hostname))))
      throw NotificationErrors.webhookUrlNotAllowed(production);
    const [row] = await this.tx.manager.query<{ updated_at: Date }[]>(
      `INSERT INTO company_webhook (company_no, url, secret) VALUES ($1, $2, $3)
       ON CONFLICT (company_no) DO UPDATE SET url = EXCLUDED.url, secret = EXCLUDED.secret, updated_at = now()
       RETURNING updated_at`,
      [companyNo, url, secret],
    );
    return { companyNo, url, updatedAt: new Date(row.updated_at).toISOString() };
  }

  async get(companyNo: string): Promise<WebhookView> {
    const [row] = await this.tx.manager.query<{ url: string; updated_at: Date }[]>(`SELECT url, updated_at FROM company_webhook WHERE company_no = $1`, [
      companyNo,
    ]);
    if (!row) throw NotificationErrors.webhookNotFound(companyNo);
    return { companyNo, url: row.url, updatedAt: new Date(row.updated_at).toISOString() };
  }

  async remove(companyNo: string): Promise<void> {
    const rows = await this.tx.manager.query<unknown[]>(`WITH d AS (DELETE FROM company_webhook WHERE company_no = $1 RETURNING company_no) SELECT * FROM d`, [
      companyNo,
    ]);
    if (rows.length === 0) throw NotificationErrors.webhookNotFound(companyNo);
  }
}
