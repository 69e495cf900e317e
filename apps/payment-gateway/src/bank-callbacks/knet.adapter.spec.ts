import { createCipheriv } from 'node:crypto';
import { KnetMessageError, decryptTrandata, knetOutcome } from './knet.adapter';

const KEY = 'TestTerminal0001';

/** Encrypts as a KNET terminal does, independently of the adapter: AES-128-CBC, key = IV = resource key, PKCS#5 padding. */
function terminalEncrypt(fields: string, key = KEY): string {
  const cipher = createCipheriv('aes-128-cbc', Buffer.from(key), Buffer.from(key));
  return Buffer.concat([cipher.update(fields, 'utf8'), cipher.final()])
    .toString('hex')
    .toUpperCase();
}

const FIELDS =
  'paymentid=100202612345678&result=CAPTURED&postdate=1122&tranid=202612345678901&auth=B12345&ref=632611000123&amt=45.000&trackid=2600000000042&udf1=&udf2=fines';

describe('the KNET-style adapter', () => {
  it('decrypts a message a terminal encrypted with its resource key', () => {
    const message = decryptTrandata(terminalEncrypt(FIELDS), KEY);
    expect(message).toMatchObject({
      paymentid: '100202612345678',
      result: 'CAPTURED',
      trackid: '2600000000042',
      amt: '45.000',
      ref: '632611000123',
      udf2: 'fines',
    });
  });

  it('turns it into the same internal outcome as the HMAC adapter, amounts in fils', () => {
    expect(knetOutcome('knet', decryptTrandata(terminalEncrypt(FIELDS), KEY))).toMatchObject({
      bankCode: 'knet',
      paymentNumber: '2600000000042',
      bankReference: '632611000123',
      result: 'CAPTURED',
      amountMinor: 45000,
      currency: 'KWD',
    });
  });

  it('maps NOT CAPTURED to a decline and CANCELED to a cancellation', () => {
    const not = decryptTrandata(terminalEncrypt(FIELDS.replace('result=CAPTURED', 'result=NOT+CAPTURED')), KEY);
    expect(knetOutcome('knet', not).result).toBe('DECLINED');
    const cancelled = decryptTrandata(terminalEncrypt(FIELDS.replace('result=CAPTURED', 'result=CANCELED')), KEY);
    expect(knetOutcome('knet', cancelled).result).toBe('CANCELLED');
  });

  it('refuses a message encrypted with another terminal’s key', () => {
    expect(() => decryptTrandata(terminalEncrypt(FIELDS, 'OtherTerminal002'), KEY)).toThrow(KnetMessageError);
  });

  it('refuses what is not hex of whole blocks, and a message missing its fields', () => {
    expect(() => decryptTrandata('zz', KEY)).toThrow(KnetMessageError);
    expect(() => decryptTrandata(terminalEncrypt('result=CAPTURED'), KEY)).toThrow(/lacks paymentid/);
  });
});
