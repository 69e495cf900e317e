import { formatMinor, parseMinor, toMoney } from './money';

describe('money in fils', () => {
  it('formats fils as a KWD amount with three decimals', () => {
    expect(formatMinor(15000)).toBe('15.000');
    expect(formatMinor(5)).toBe('0.005');
    expect(formatMinor(0)).toBe('0.000');
    expect(toMoney(1234567)).toEqual({ amount: '1234.567', currency: 'KWD' });
  });

  it('parses amounts without floating point, including 0.1 + 0.2 style traps', () => {
    expect(parseMinor('15.000')).toBe(15000);
    expect(parseMinor('0.3')).toBe(300);
    expect(parseMinor('0.1') + parseMinor('0.2')).toBe(parseMinor('0.3'));
    expect(parseMinor('7')).toBe(7000);
  });

  it('refuses more fraction digits than the currency has', () => {
    expect(() => parseMinor('1.0001')).toThrow(RangeError);
    expect(() => parseMinor('1.001', 'QAR')).toThrow(RangeError);
  });

  it('refuses what is not a plain decimal', () => {
    expect(() => parseMinor('1e3')).toThrow(RangeError);
    expect(() => parseMinor('-1.000')).toThrow(RangeError);
    expect(() => parseMinor('abc')).toThrow(RangeError);
  });
});
