import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { PLATFORM_CONFIG, PlatformConfig } from '@app/platform';

export interface SinkMessage {
  receivedAt: string;
  from: string | null;
  to: string[];
  subject: string | null;
  notificationId: string | null;
  raw: string;
}

const KEEP = 1000;

/** `=?UTF-8?B?...?=` and `=?UTF-8?Q?...?=` words of a header, decoded (RFC 2047). */
export function decodeMimeWords(value: string): string {
  return value.replace(/\?=\s+=\?/g, '?==?').replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_m, _charset: string, encoding: string, text: string) =>
    encoding.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(
          text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
          'latin1',
        ).toString('utf8'),
  );
}

/** A header of a raw message, unfolded and decoded. */
export function headerOf(raw: string, name: string): string | null {
  const head = raw.split(/\r?\n\r?\n/, 1)[0].replace(/\r?\n[ \t]+/g, ' ');
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line ? decodeMimeWords(line.slice(name.length + 1).trim()) : null;
}

/**
 * The development SMTP sink (not in production, and only when SMTP_URL is unset): a real SMTP
 * server on 127.0.0.1 that keeps the last messages it received, so email goes over the real
 * protocol in the embedded default and people can read what was sent.
 */
@Injectable()
export class SmtpSink implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('SmtpSink');
  private server?: SMTPServer;
  private port?: number;
  readonly messages: SinkMessage[] = [];

  constructor(@Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig) {}

  get enabled(): boolean {
    return this.config.app.NODE_ENV !== 'production' && !this.config.notification.SMTP_URL;
  }

  /** smtp://127.0.0.1:<port> once listening. */
  get url(): string | undefined {
    return this.port === undefined ? undefined : `smtp://127.0.0.1:${this.port}`;
  }

  async onModuleInit(): Promise<void> {
    if (!this.enabled) return;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      banner: 'traffic-fines development SMTP sink',
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          this.messages.push({
            receivedAt: new Date().toISOString(),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: headerOf(raw, 'subject'),
            notificationId: headerOf(raw, 'x-notification-id'),
            raw,
          });
          if (this.messages.length > KEEP) this.messages.splice(0, this.messages.length - KEEP);
          callback();
        });
      },
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.notification.SMTP_SINK_PORT, '127.0.0.1', () => resolve());
    });
    // A client that resets mid-transaction makes smtp-server emit 'error': without a listener it would end the process.
    server.on('error', (error: Error) => this.logger.warn({ err: error.message }, 'SMTP sink: a client connection failed'));
    this.port = (server.server.address() as AddressInfo).port;
    this.logger.log({ port: this.port }, 'development SMTP sink listening');
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
