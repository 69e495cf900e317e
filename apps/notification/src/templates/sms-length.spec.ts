import { fitSms, smsLength } from './sms-length';

describe('SMS length as carriers count it', () => {
  it('plain English is GSM-7: 160 in one segment, 153 per segment after that', () => {
    expect(smsLength('a'.repeat(160))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(smsLength('a'.repeat(161))).toEqual({ encoding: 'GSM-7', units: 161, segments: 2 });
    expect(smsLength('a'.repeat(306)).segments).toBe(2);
    expect(smsLength('a'.repeat(307)).segments).toBe(3);
  });

  it('GSM-7 extension characters take two septets', () => {
    expect(smsLength('€[]').units).toBe(6);
  });

  it('Arabic is UCS-2: 70 in one segment, 67 per segment after that, so two segments hold 134', () => {
    expect(smsLength('م'.repeat(70))).toEqual({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(smsLength('م'.repeat(134))).toEqual({ encoding: 'UCS-2', units: 134, segments: 2 });
    expect(smsLength('م'.repeat(135)).segments).toBe(3);
  });

  it('one non-GSM character (a curly quote, a no-break space) turns an English text into UCS-2', () => {
    expect(smsLength('It’s').encoding).toBe('UCS-2');
    expect(smsLength('8:42\u202fpm').encoding).toBe('UCS-2');
  });

  it('fitSms takes the first wording that fits, and cuts the last one with an ellipsis if none does', () => {
    expect(fitSms(['م'.repeat(200), 'م'.repeat(100)])).toBe('م'.repeat(100));
    const cut = fitSms(['م'.repeat(300)]);
    expect(cut.endsWith('…')).toBe(true);
    expect(smsLength(cut).units).toBe(134);
  });
});
