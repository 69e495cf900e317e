import { negotiateLanguage } from './language';

describe('choosing the language of an answer', () => {
  it('answers in Arabic when Arabic is asked for', () => {
    expect(negotiateLanguage('ar')).toBe('ar');
    expect(negotiateLanguage('ar-KW,ar;q=0.9,en;q=0.8')).toBe('ar');
  });

  it('follows the quality values', () => {
    expect(negotiateLanguage('en;q=0.4,ar;q=0.8')).toBe('ar');
    expect(negotiateLanguage('ar;q=0.3,en-US')).toBe('en');
  });

  it('answers in English when neither language is asked for', () => {
    expect(negotiateLanguage(undefined)).toBe('en');
    expect(negotiateLanguage('fr-FR')).toBe('en');
  });
});
