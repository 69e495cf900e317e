import { completeCivilId, isValidCivilId, maskCivilId, normalizeIdentifier, toAsciiDigits } from './identifiers';

describe('civil IDs', () => {
  it('accepts the civil ID that API.md gives as valid', () => {
    expect(isValidCivilId('288020122596')).toBe(true);
  });

  it('refuses a civil ID whose check digit is off by one', () => {
    expect(isValidCivilId('288020122597')).toBe(false);
    expect(isValidCivilId('288020122595')).toBe(false);
  });

  it('refuses anything that is not exactly 12 digits', () => {
    expect(isValidCivilId('28802012259')).toBe(false);
    expect(isValidCivilId('2880201225960')).toBe(false);
    expect(isValidCivilId('28802012259a')).toBe(false);
  });

  it('never issues a number whose check would be 10 or 11', () => {
    // Σ dᵢ·wᵢ mod 11 of 10000000000 with weights 2,1,6,... is 2, so 11 - 2 = 9 is fine; find prefixes that give 10 or 11.
    let refused = 0;
    for (let n = 0; n < 200; n++) {
      const prefix = `2900101${String(n).padStart(4, '0')}`;
      const complete = completeCivilId(prefix);
      if (complete === null) refused++;
      else expect(isValidCivilId(complete)).toBe(true);
    }
    expect(refused).toBeGreaterThan(0);
  });
});

describe('normalizing identifiers typed by people', () => {
  it('turns Arabic-Indic and Eastern Arabic-Indic digits into ASCII', () => {
    expect(toAsciiDigits('٢٨٨٠٢٠١٢٢٥٩٦')).toBe('288020122596');
    expect(toAsciiDigits('۱۲۳۴۵۶۷۸۹۰')).toBe('1234567890');
  });

  it('drops spaces, no-break spaces and dashes of every kind', () => {
    expect(normalizeIdentifier('٢٨٨ ٠٢٠١-٢٢٥٩٦')).toBe('288020122596');
    expect(normalizeIdentifier('12\u00a034\u201356')).toBe('123456');
  });

  it('masks a civil ID for logs, keeping the first and last four digits', () => {
    expect(maskCivilId('288020122596')).toBe('2880****2596');
  });
});
