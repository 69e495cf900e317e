/**
 * SMS length the way carriers count it: GSM 03.38 (7-bit) when every character is in its alphabet
 * (extension characters take two septets), UCS-2 otherwise (Arabic). One segment holds 160/70
 * units; a concatenated message 153/67 per segment.
 */
const GSM_BASIC = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€\f';
const BASIC = new Set(GSM_BASIC);
const EXTENDED = new Set(GSM_EXTENDED);

export const SMS_MAX_SEGMENTS = 2;

export interface SmsLength {
  encoding: 'GSM-7' | 'UCS-2';
  units: number;
  segments: number;
}

export function smsLength(text: string): SmsLength {
  let septets = 0;
  let gsm = true;
  for (const ch of text) {
    if (BASIC.has(ch)) septets += 1;
    else if (EXTENDED.has(ch)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) return { encoding: 'GSM-7', units: septets, segments: septets <= 160 ? 1 : Math.ceil(septets / 153) };
  // UCS-2 counts UTF-16 code units: a character outside the BMP takes two.
  const units = text.length;
  return { encoding: 'UCS-2', units, segments: units <= 70 ? 1 : Math.ceil(units / 67) };
}

export function fitsSms(text: string, maxSegments = SMS_MAX_SEGMENTS): boolean {
  return smsLength(text).segments <= maxSegments;
}

/**
 * The first wording that fits in `maxSegments`, from the fullest to the shortest; the last is cut
 * with an ellipsis if even it does not fit.
 */
export function fitSms(variants: string[], maxSegments = SMS_MAX_SEGMENTS): string {
  for (const text of variants) if (fitsSms(text, maxSegments)) return text;
  const last = [...variants[variants.length - 1]];
  while (last.length > 0 && !fitsSms(`${last.join('')}…`, maxSegments)) last.pop();
  return `${last.join('')}…`;
}
