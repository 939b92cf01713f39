import { badUserInput } from './errors';

// Deliberately simple: one @, no spaces, a dot in the domain. Full RFC 5322 accepts
// addresses no mail system delivers to, and the real check is a confirmation mail.
const EMAIL_RE = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
// E.164: "+", a country code that does not start with 0, at most 15 digits in all.
const E164_RE = /^\+[1-9]\d{1,14}$/;
// Separators people type inside phone numbers; they are removed before the E.164 check.
const PHONE_SEPARATORS_RE = /[\s\-()./]/g;
export const EMAIL_MAX = 254;

/** Trimmed text, null when empty; longer than `max` is BAD_USER_INPUT. */
export function optionalText(field: string, value: string | null | undefined, max: number): string | null {
  if (value == null) return null;
  const trimmed = value.trim();
  if (trimmed === '') return null;
  if (trimmed.length > max) throw badUserInput(field, `${field} must be at most ${max} characters`);
  return trimmed;
}

/** Trimmed text that must not be empty. */
export function requiredText(field: string, value: string | null | undefined, max: number): string {
  const result = optionalText(field, value, max);
  if (result === null) throw badUserInput(field, `${field} must not be empty`);
  return result;
}

export function normalizeEmail(field: string, value: string | null | undefined): string | null {
  const email = optionalText(field, value, EMAIL_MAX);
  if (email !== null && !EMAIL_RE.test(email)) throw badUserInput(field, `${field} is not a valid e-mail address`);
  return email;
}

/** Accepts "+49 30 123456" and returns "+4930123456"; anything not E.164 is refused. */
export function normalizePhone(field: string, value: string | null | undefined): string | null {
  if (value == null || value.trim() === '') return null;
  const phone = value.replace(PHONE_SEPARATORS_RE, '');
  if (!E164_RE.test(phone)) {
    throw badUserInput(field, `${field} must be in E.164 form: + and country code, e.g. +4930123456`);
  }
  return phone;
}
