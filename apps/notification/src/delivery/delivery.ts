export const CHANNELS = ['SMS', 'EMAIL', 'WEBHOOK'] as const;
export type Channel = (typeof CHANNELS)[number];
export const DELIVERY_STATUSES = ['PENDING', 'SENT', 'FAILED'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** A message to put in the delivery log; it is sent by the dispatcher after the consumer's transaction commits. */
export interface NewDelivery {
  eventId: string;
  channel: Channel;
  recipient: string;
  template: string;
  language: 'ar' | 'en';
  subject?: string | null;
  body: string;
  html?: string | null;
  paymentNumber?: string | null;
  fineNumbers?: string[];
  companyNo?: string | null;
  /** FAILED from the start, with `lastError`: a message that cannot be sent at all, logged so that people see it. */
  status?: 'PENDING' | 'FAILED';
  lastError?: string | null;
}

/** A row of the delivery log as the database holds it. */
export interface DeliveryRow {
  id: string;
  event_id: string;
  channel: Channel;
  recipient: string;
  template: string;
  language: 'ar' | 'en';
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  subject: string | null;
  body: string;
  html: string | null;
  payment_number: string | null;
  fine_numbers: string[];
  company_no: string | null;
  created_at: Date;
  sent_at: Date | null;
}

/**
 * A send that did not succeed. `permanent` failures (the provider refused the message itself) are
 * not retried; the others (provider down, timeout, 5xx) are, with back-off.
 */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  constructor(
    message: string,
    readonly permanent = false,
  ) {
    super(message);
  }
}

/** One channel's way of sending a message of the delivery log. */
export interface ChannelSender {
  readonly channel: Channel;
  send(message: DeliveryRow): Promise<void>;
}

export const CHANNEL_SENDERS = Symbol('CHANNEL_SENDERS');

/** `+96599****33`: enough to tell numbers apart in logs, not enough to call them. */
export function maskRecipient(recipient: string): string {
  if (recipient.includes('@')) {
    const [user, domain] = recipient.split('@');
    return `${user.slice(0, 2)}***@${domain}`;
  }
  if (/^\+?\d{6,}$/.test(recipient)) return `${recipient.slice(0, -6)}****${recipient.slice(-2)}`;
  try {
    return new URL(recipient).origin;
  } catch {
    return '***';
  }
}
