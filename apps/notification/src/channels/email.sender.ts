import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Socket, connect } from 'node:net';
import { Transporter, createTransport } from 'nodemailer';
import { PLATFORM_CONFIG, PlatformConfig } from '@app/platform';
import { ChannelSender, DeliveryError, DeliveryRow } from '../delivery/delivery';
import { SmtpSink } from '../simulators/smtp-sink';

/**
 * Email over SMTP with nodemailer (pooled connections). Only a refusal of the message itself (its
 * envelope or content, 5xx) is final; the server's own troubles (auth, connection, greeting) are
 * retried. Each send has an overall deadline, so it always ends within the dispatcher's lease.
 */
@Injectable()
export class EmailSender implements ChannelSender, OnApplicationShutdown {
  readonly channel = 'EMAIL' as const;
  private transporter?: Transporter;

  constructor(
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    private readonly sink: SmtpSink,
  ) {}

  private transport(): Transporter {
    if (this.transporter) return this.transporter;
    const n = this.config.notification;
    const url = n.SMTP_URL ?? this.sink.url;
    if (!url) throw new DeliveryError('no SMTP server: SMTP_URL is unset and the development sink is not running');
    const parsed = new URL(url);
    const timeout = n.NOTIFY_SEND_TIMEOUT_MS;
    const port = Number(parsed.port || (parsed.protocol === 'smtps:' ? 465 : 587));
    this.transporter = createTransport({
      host: parsed.hostname,
      port,
      secure: parsed.protocol === 'smtps:',
      auth: parsed.username ? { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) } : undefined,
      ignoreTLS: !n.SMTP_URL,
      // With credentials, never send them over a connection whose STARTTLS was stripped.
      requireTLS: Boolean(n.SMTP_URL && parsed.username && parsed.protocol !== 'smtps:'),
      pool: true,
      maxConnections: n.NOTIFY_CONCURRENCY,
      // SMTP ends each message with a small write ("\r\n.\r\n"): with Nagle's algorithm on, it waits
      // for the server's delayed ACK (~40 ms a message). The pool's sockets are opened here with it off.
      getSocket: (_options: unknown, callback: (err: Error | null, socket?: { connection: Socket }) => void) => {
        const socket = connect({ host: parsed.hostname, port, noDelay: true, timeout });
        const failed = (error: Error) => callback(error);
        socket.once('error', failed);
        socket.once('timeout', () => socket.destroy(new Error(`SMTP connection timed out after ${timeout} ms`)));
        socket.once('connect', () => {
          // From here on nodemailer handles the socket's errors and timeouts.
          socket.off('error', failed);
          socket.setTimeout(0);
          callback(null, { connection: socket });
        });
      },
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
    });
    return this.transporter;
  }

  async send(message: DeliveryRow): Promise<void> {
    const deadlineMs = this.config.notification.NOTIFY_SEND_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        // Drop the pooled connections (the stuck one among them) so the send cannot finish later unseen.
        this.transporter?.close();
        this.transporter = undefined;
        reject(new DeliveryError(`SMTP: no answer within ${deadlineMs} ms`));
      }, deadlineMs);
    });
    try {
      await Promise.race([deadline, this.sendMail(message)]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async sendMail(message: DeliveryRow): Promise<void> {
    try {
      await this.transport().sendMail({
        from: this.config.notification.EMAIL_FROM,
        to: message.recipient,
        subject: message.subject ?? '',
        text: message.body,
        html: message.html ?? undefined,
        headers: {
          'X-Notification-Id': message.id,
          ...(message.payment_number ? { 'X-Payment-Number': message.payment_number } : {}),
          ...(message.fine_numbers.length ? { 'X-Fine-Numbers': message.fine_numbers.join(',') } : {}),
        },
      });
    } catch (error) {
      if (error instanceof DeliveryError) throw error;
      const { code, responseCode } = error as { code?: string; responseCode?: number };
      const aboutThisMessage = code === 'EENVELOPE' || code === 'EMESSAGE';
      throw new DeliveryError(`SMTP: ${(error as Error).message}`, aboutThisMessage && responseCode !== undefined && responseCode >= 500 && responseCode < 600);
    }
  }

  onApplicationShutdown(): void {
    this.transporter?.close();
  }
}
