import { badUserInput } from './errors';

/**
 * Money is kept in integer minor units (cents) in the database and in Node,
 * and travels as a decimal string. Amounts stay far below 2^53 cents, so a
 * JS number holds them exactly; only arithmetic that divides (interest, CLV)
 * goes through BigInt with explicit rounding.
 */
export interface MoneyValue {
  amount: string;
  currency: string;
}

const AMOUNT_RE = /^(-?)(\d{1,13})(?:\.(\d{1,2}))?$/;

/** "1234.5" → 123450. More than two decimals, or not a number, is BAD_USER_INPUT. */
export function parseMoney(field: string, amount: string): number {
  const m = AMOUNT_RE.exec(amount.trim());
  if (!m) throw badUserInput(field, `${field} must be an amount with at most two decimals, e.g. "1234.50"`);
  const minor = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] === '-' ? -minor : minor;
}

/** 123450 → "1234.50". */
export function formatMinor(minor: number | bigint | string): string {
  const value = BigInt(minor);
  const sign = value < 0n ? '-' : '';
  const abs = value < 0n ? -value : value;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

export function money(minor: number | bigint | string, currency: string): MoneyValue {
  return { amount: formatMinor(minor), currency };
}

/** numerator / denominator rounded half away from zero (commercial rounding). */
export function divideRounded(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const q = (n * 2n + d) / (2n * d);
  return negative ? -q : q;
}
