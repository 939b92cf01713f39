import { GraphQLError } from 'graphql';
import { divideRounded, formatMinor, parseMoney } from './money';

describe('money', () => {
  it.each([
    ['1234.5', 123450],
    ['0.01', 1],
    ['10', 1000],
    [' 7.05 ', 705],
    ['-3.20', -320],
  ])('parses %s as %d cents', (text, minor) => {
    expect(parseMoney('amount', text)).toBe(minor);
  });

  it.each(['1.234', 'abc', '1,50', '', '1e3'])('refuses %s', (text) => {
    let error: unknown;
    try {
      parseMoney('amount', text);
    } catch (e) {
      error = e;
    }
    expect((error as GraphQLError).extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'amount' });
  });

  it.each([
    [123450, '1234.50'],
    [5, '0.05'],
    [0, '0.00'],
    [-705, '-7.05'],
    ['900719925474099300', '9007199254740993.00'],
  ])('formats %s as %s', (minor, text) => {
    expect(formatMinor(minor)).toBe(text);
  });

  it('rounds half away from zero', () => {
    expect(divideRounded(5n, 2n)).toBe(3n);
    expect(divideRounded(4n, 3n)).toBe(1n);
    expect(divideRounded(-5n, 2n)).toBe(-3n);
    expect(divideRounded(7n, 7n)).toBe(1n);
  });
});
