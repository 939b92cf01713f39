import { GraphQLError } from 'graphql';
import { normalizeEmail, normalizePhone, optionalText, requiredText } from './validation';

function fieldOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).extensions.code).toBe('BAD_USER_INPUT');
    return (error as GraphQLError).extensions.field;
  }
  throw new Error('expected a BAD_USER_INPUT error');
}

describe('email', () => {
  it.each(['a@b.de', 'first.last+tag@sub.example.co.uk'])('accepts %s', (email) => {
    expect(normalizeEmail('email', ` ${email} `)).toBe(email);
  });
  it.each(['plain', 'a@b', '@b.de', 'a b@c.de', 'a@b..de', 'a@@b.de'])('refuses %s', (email) => {
    expect(fieldOf(() => normalizeEmail('email', email))).toBe('email');
  });
  it('treats empty as absent', () => {
    expect(normalizeEmail('email', '  ')).toBeNull();
  });
});

describe('phone (E.164)', () => {
  it.each([
    ['+4930123456', '+4930123456'],
    ['+49 (30) 123-456', '+4930123456'],
    ['+1 212 555 0100', '+12125550100'],
  ])('accepts %s as %s', (input, stored) => {
    expect(normalizePhone('phone', input)).toBe(stored);
  });
  it.each(['030123456', '+0301234', '+4', '+49301234567890123', '+49 30 12a456'])('refuses %s', (phone) => {
    expect(fieldOf(() => normalizePhone('phone', phone))).toBe('phone');
  });
});

describe('text', () => {
  it('trims, treats blank as absent, and enforces the length', () => {
    expect(optionalText('name', '  x  ', 5)).toBe('x');
    expect(optionalText('name', '   ', 5)).toBeNull();
    expect(fieldOf(() => optionalText('name', 'x'.repeat(6), 5))).toBe('name');
    expect(fieldOf(() => requiredText('name', ' ', 5))).toBe('name');
  });
});
