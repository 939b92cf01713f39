import { badUserInput, isCalendarDate, isIsoCountryCode, normalizeEmail, normalizePhone, optionalText, requiredText, type Channel } from '../platform';
import { AddressType, CustomerKind, CustomerSegment, CustomerStatus, type AddressInput } from './customer.types';

/** Column widths; longer input is refused instead of failing in the database. */
export const LIMITS = { name: 100, companyName: 200, street: 200, postalCode: 20, city: 100 } as const;

export { normalizeEmail, normalizePhone };

export interface AddressDraft {
  type: AddressType;
  street: string;
  postalCode: string;
  city: string;
  country: string;
}

/** A customer's master data as validated and normalised, ready to store. */
export interface CustomerDraft {
  kind: CustomerKind;
  firstName: string | null;
  lastName: string | null;
  companyName: string | null;
  email: string | null;
  phone: string | null;
  preferredChannel: Channel | null;
  segment: CustomerSegment;
  status: CustomerStatus;
  customerSince: string;
  addresses: AddressDraft[];
}

export function normalizeCountry(field: string, value: string): string {
  const code = value.trim().toUpperCase();
  if (!isIsoCountryCode(code)) throw badUserInput(field, `${field} must be an ISO 3166-1 alpha-2 code, e.g. DE`);
  return code;
}

export function normalizeAddresses(addresses: AddressInput[] | null | undefined): AddressDraft[] {
  const seen = new Set<AddressType>();
  return (addresses ?? []).map((address, i) => {
    const at = `addresses[${i}]`;
    if (seen.has(address.type)) throw badUserInput(`${at}.type`, `only one ${address.type} address per customer`);
    seen.add(address.type);
    return {
      type: address.type,
      street: requiredText(`${at}.street`, address.street, LIMITS.street),
      postalCode: requiredText(`${at}.postalCode`, address.postalCode, LIMITS.postalCode),
      city: requiredText(`${at}.city`, address.city, LIMITS.city),
      country: normalizeCountry(`${at}.country`, address.country),
    };
  });
}

/**
 * The rules that depend on the kind: a PERSON has first and last name and no
 * company name, an ORGANIZATION the reverse. Returns the names, trimmed.
 */
export function validateNames(
  kind: CustomerKind,
  names: { firstName?: string | null; lastName?: string | null; companyName?: string | null },
): Pick<CustomerDraft, 'firstName' | 'lastName' | 'companyName'> {
  if (kind === CustomerKind.PERSON) {
    if (optionalText('companyName', names.companyName, LIMITS.companyName) !== null) {
      throw badUserInput('companyName', 'a PERSON customer has no companyName; use firstName and lastName');
    }
    return {
      firstName: requiredText('firstName', names.firstName, LIMITS.name),
      lastName: requiredText('lastName', names.lastName, LIMITS.name),
      companyName: null,
    };
  }
  for (const field of ['firstName', 'lastName'] as const) {
    if (optionalText(field, names[field], LIMITS.name) !== null) {
      throw badUserInput(field, `an ORGANIZATION customer has no ${field}; use companyName`);
    }
  }
  return { firstName: null, lastName: null, companyName: requiredText('companyName', names.companyName, LIMITS.companyName) };
}

export function displayNameOf(draft: Pick<CustomerDraft, 'kind' | 'firstName' | 'lastName' | 'companyName'>): string {
  return draft.kind === CustomerKind.PERSON ? `${draft.firstName} ${draft.lastName}` : (draft.companyName ?? '');
}

export interface CreateFields {
  kind: CustomerKind;
  firstName?: string | null;
  lastName?: string | null;
  companyName?: string | null;
  email?: string | null;
  phone?: string | null;
  preferredChannel?: Channel | null;
  segment?: CustomerSegment | null;
  status?: CustomerStatus | null;
  customerSince?: string | null;
  addresses?: AddressInput[] | null;
}

/** Validates a new customer; `today` (UTC, YYYY-MM-DD) bounds customerSince. */
export function validateCreate(input: CreateFields, today: string): CustomerDraft {
  const customerSince = input.customerSince ?? today;
  if (!isCalendarDate(customerSince)) throw badUserInput('customerSince', 'customerSince must be a date YYYY-MM-DD');
  if (customerSince > today) throw badUserInput('customerSince', 'customerSince must not lie in the future');
  return {
    kind: input.kind,
    ...validateNames(input.kind, input),
    email: normalizeEmail('email', input.email),
    phone: normalizePhone('phone', input.phone),
    preferredChannel: input.preferredChannel ?? null,
    segment: input.segment ?? CustomerSegment.C,
    status: input.status ?? CustomerStatus.ACTIVE,
    customerSince,
    addresses: normalizeAddresses(input.addresses),
  };
}

export type UpdateFields = Omit<CreateFields, 'kind' | 'customerSince'>;

/**
 * Applies a partial update to the stored state. Fields left out (undefined)
 * keep their value; null clears optional fields and is refused for required
 * ones. The result is validated as a whole, so a PERSON cannot lose its name.
 */
export function validateUpdate(current: CustomerDraft, input: UpdateFields): CustomerDraft {
  const pick = <K extends keyof UpdateFields>(key: K, fallback: UpdateFields[K]): UpdateFields[K] => (input[key] === undefined ? fallback : input[key]);
  for (const key of ['segment', 'status'] as const) {
    if (input[key] === null) throw badUserInput(key, `${key} cannot be cleared`);
  }
  return {
    kind: current.kind,
    ...validateNames(current.kind, {
      firstName: pick('firstName', current.firstName),
      lastName: pick('lastName', current.lastName),
      companyName: pick('companyName', current.companyName),
    }),
    email: input.email === undefined ? current.email : normalizeEmail('email', input.email),
    phone: input.phone === undefined ? current.phone : normalizePhone('phone', input.phone),
    preferredChannel: pick('preferredChannel', current.preferredChannel) ?? null,
    segment: input.segment ?? current.segment,
    status: input.status ?? current.status,
    customerSince: current.customerSince,
    addresses: input.addresses === undefined ? current.addresses : normalizeAddresses(input.addresses),
  };
}
