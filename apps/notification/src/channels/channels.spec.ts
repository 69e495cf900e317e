import { maskRecipient } from '../delivery/delivery';
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
