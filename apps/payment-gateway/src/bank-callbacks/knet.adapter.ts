import { createCipheriv, createDecipheriv } from 'node:crypto';
import { parseMinor } from '@app/contracts';
import { BankOutcome } from './settlement.service';

/**
 * KNET-style terminals (Kuwait): the gateway posts `trandata`, hex of AES-128-CBC over URL-encoded
 * fields, with the terminal's resource key as both key and IV. Only a holder of the key can make a
 * message that decrypts, pads and parses, which is how the message is authenticated.
 */
export interface KnetMessage {
  paymentid: string;
  result: string;
  postdate: string;
  tranid: string;
  auth: string;
  ref: string;
  amt: string;
  trackid: string;
  udf1?: string;
  udf2?: string;
  udf3?: string;
  udf4?: string;
  udf5?: string;
}

export class KnetMessageError extends Error {}

export function decryptTrandata(trandata: string, resourceKey: string): KnetMessage {
  if (!/^[0-9a-f]+$/i.test(trandata) || trandata.length % 32 !== 0) throw new KnetMessageError('trandata is not hex of whole AES blocks');
  const key = Buffer.from(resourceKey, 'utf8');
  let plain: string;
  try {
    const decipher = createDecipheriv('aes-128-cbc', key, key);
    plain = Buffer.concat([decipher.update(Buffer.from(trandata, 'hex')), decipher.final()]).toString('utf8');
  } catch {
    throw new KnetMessageError('trandata does not decrypt with this terminal key');
  }
  const fields = Object.fromEntries(new URLSearchParams(plain)) as Partial<KnetMessage>;
  for (const name of ['paymentid', 'result', 'tranid', 'ref', 'amt', 'trackid'] as const) {
    if (!fields[name]) throw new KnetMessageError(`trandata lacks ${name}`);
  }
  return fields as KnetMessage;
}

/** What a KNET terminal would send: for tests and the development simulator. */
export function encryptTrandata(message: KnetMessage, resourceKey: string): string {
  const key = Buffer.from(resourceKey, 'utf8');
  const cipher = createCipheriv('aes-128-cbc', key, key);
  const plain = new URLSearchParams(Object.entries(message).filter(([, v]) => v !== undefined) as [string, string][]).toString();
  return Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]).toString('hex');
}

/** The same internal outcome the HMAC adapter produces. KNET amounts are in KWD. */
export function knetOutcome(bankCode: string, message: KnetMessage): BankOutcome {
  const result = message.result.toUpperCase();
  return {
    bankCode,
    paymentNumber: message.trackid,
    bankReference: message.ref || message.tranid,
    result: result === 'CAPTURED' ? 'CAPTURED' : result === 'CANCELED' || result === 'CANCELLED' ? 'CANCELLED' : 'DECLINED',
    amountMinor: parseMinor(message.amt, 'KWD'),
    currency: 'KWD',
    occurredAt: new Date().toISOString(),
  };
}
