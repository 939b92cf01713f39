import { GraphQLError } from 'graphql';
import { CustomerKind, CustomerSegment, CustomerStatus, AddressType } from './customer.types';
import { normalizeCountry, validateCreate, validateUpdate } from './customer.validation';

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

describe('country (ISO 3166-1 alpha-2)', () => {
  it.each([
    ['de', 'DE'],
    [' AT ', 'AT'],
    ['ch', 'CH'],
  ])('accepts %s', (input, code) => {
    expect(normalizeCountry('country', input)).toBe(code);
  });
  it.each(['XX', 'DEU', 'EU', 'D', ''])('refuses %s', (code) => {
    expect(fieldOf(() => normalizeCountry('country', code))).toBe('country');
  });
});

describe('validateCreate', () => {
  const today = '2026-11-22';

  it('fills defaults and trims names', () => {
    expect(validateCreate({ kind: CustomerKind.PERSON, firstName: ' Ada ', lastName: 'Lovelace' }, today)).toEqual({
      kind: 'PERSON',
      firstName: 'Ada',
      lastName: 'Lovelace',
      companyName: null,
      email: null,
      phone: null,
      preferredChannel: null,
      segment: 'C',
      status: 'ACTIVE',
      customerSince: today,
      addresses: [],
    });
  });

  it('needs first and last name for a PERSON and a company name for an ORGANIZATION', () => {
    expect(fieldOf(() => validateCreate({ kind: CustomerKind.PERSON, lastName: 'X' }, today))).toBe('firstName');
    expect(fieldOf(() => validateCreate({ kind: CustomerKind.PERSON, firstName: 'X' }, today))).toBe('lastName');
    expect(fieldOf(() => validateCreate({ kind: CustomerKind.ORGANIZATION, firstName: 'X' }, today))).toBe('firstName');
    expect(fieldOf(() => validateCreate({ kind: CustomerKind.ORGANIZATION }, today))).toBe('companyName');
  });

  it('names the offending address field', () => {
    const address = { type: AddressType.POSTAL, street: 'S', postalCode: '1', city: 'C', country: 'DE' };
    const input = { kind: CustomerKind.ORGANIZATION, companyName: 'X', addresses: [address, { ...address, type: AddressType.BILLING, city: ' ' }] };
    expect(fieldOf(() => validateCreate(input, today))).toBe('addresses[1].city');
  });

  it('refuses a customerSince in the future or not a calendar date', () => {
    expect(fieldOf(() => validateCreate({ kind: CustomerKind.ORGANIZATION, companyName: 'X', customerSince: '2026-11-23' }, today))).toBe('customerSince');
    expect(fieldOf(() => validateCreate({ kind: CustomerKind.ORGANIZATION, companyName: 'X', customerSince: '2026-02-30' }, today))).toBe('customerSince');
  });
});

describe('validateUpdate', () => {
  const current = validateCreate({ kind: CustomerKind.PERSON, firstName: 'A', lastName: 'B', email: 'a@b.de', segment: CustomerSegment.B }, '2026-11-22');

  it('keeps what is left out, clears optional fields given as null', () => {
    const next = validateUpdate(current, { lastName: 'C', email: null, status: CustomerStatus.DORMANT });
    expect(next).toMatchObject({ firstName: 'A', lastName: 'C', email: null, segment: 'B', status: 'DORMANT' });
  });

  it('refuses to clear a required field', () => {
    expect(fieldOf(() => validateUpdate(current, { firstName: null }))).toBe('firstName');
    expect(fieldOf(() => validateUpdate(current, { segment: null }))).toBe('segment');
  });
});
