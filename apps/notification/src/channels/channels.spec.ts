import { maskRecipient } from '../delivery/delivery';
import { internalAddressOf, isInternalAddress } from './public-address';
import { smsRequestBody } from './sms.sender';
import { signWebhook, verifyWebhook } from './webhook-signature';

describe('channels', () => {
  it('a webhook signature verifies with the company secret only, over the exact body, within five minutes', () => {
    const body = JSON.stringify({ type: 'fine.issued', fine: { fineNumber: '26000000042' } });
    const header = signWebhook('fleet-secret-0123456789', body, 1_800_000_000);
    expect(header).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(verifyWebhook(header, body, 'fleet-secret-0123456789', 300, 1_800_000_100)).toBe(true);
    expect(verifyWebhook(header, body.replace('42', '43'), 'fleet-secret-0123456789', 300, 1_800_000_100)).toBe(false);
    expect(verifyWebhook(header, body, 'another-secret', 300, 1_800_000_100)).toBe(false);
    expect(verifyWebhook(header, body, 'fleet-secret-0123456789', 300, 1_800_000_301)).toBe(false);
    expect(verifyWebhook(undefined, body, 'fleet-secret-0123456789')).toBe(false);
  });

  it('the SMS body template takes the values where its strings name them, escaping nothing by hand', () => {
    const template = '{"messages":[{"to":["{{to}}"],"body":"{{text}}","src":"{{sender}}"}],"meta":{"ref":"fines-{{reference}}","unicode":"{{encoding}}"}}';
    expect(smsRequestBody(template, { to: '+96599112233', text: 'نص "مقتبس"\nسطر', sender: 'MOI', reference: '7', encoding: 'UCS-2' })).toEqual({
      messages: [{ to: ['+96599112233'], body: 'نص "مقتبس"\nسطر', src: 'MOI' }],
      meta: { ref: 'fines-7', unicode: 'UCS-2' },
    });
  });

  it('logs see masked recipients: the end of a mobile number, the start of an email address, the origin of a URL', () => {
    expect(maskRecipient('+96599112233')).toBe('+96599****33');
    expect(maskRecipient('sara@example.com')).toBe('sa***@example.com');
    expect(maskRecipient('https://fleet.example.kw/hooks/fines?token=x')).toBe('https://fleet.example.kw');
  });
});

describe('fleet endpoints in production reach only public addresses', () => {
  it('tells internal addresses from public ones, IPv4, IPv6 and IPv4-mapped', () => {
    for (const internal of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.5',
      '192.168.1.10',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      '[::1]',
      'fd00::1',
      'fe80::1',
      '::ffff:10.0.0.1',
    ])
      expect([internal, isInternalAddress(internal)]).toEqual([internal, true]);
    for (const external of ['8.8.8.8', '172.32.0.1', '100.128.0.1', '2a00:1450::1', '::ffff:8.8.8.8', 'fleet.example.kw'])
      expect([external, isInternalAddress(external)]).toEqual([external, false]);
  });

  it('checks what a name resolves to, not only the name', async () => {
    const resolvesTo = (address: string) => (() => Promise.resolve([{ address, family: 4 }])) as unknown as typeof import('node:dns/promises').lookup;
    expect(await internalAddressOf('fleet.example.kw', resolvesTo('10.0.0.7'))).toBe('10.0.0.7');
    expect(await internalAddressOf('fleet.example.kw', resolvesTo('8.8.4.4'))).toBeUndefined();
    expect(await internalAddressOf('[::1]')).toBe('::1');
  });
});
