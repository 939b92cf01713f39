import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DECIMAL_RE = /^-?\d{1,18}(\.\d{1,6})?$/;

/** True when `value` is a real calendar date written YYYY-MM-DD. */
export function isCalendarDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  // Arithmetic, not a Date: every date of a page of columns passes through here on its way out.
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return month >= 1 && month <= 12 && day >= 1 && day <= days;
}

function scalarError(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

/**
 * The dates the API takes: MySQL DATE and DATETIME reach 9999-12-31, and
 * nothing in customer care lies before 1900. 9999-12-30 leaves a day for
 * time zones and for "the day after".
 */
export const MIN_DATE = '1900-01-01';
export const MAX_DATE = '9999-12-30';

function parseDate(value: unknown): string {
  // Messages name the rule, never the value: they reach the client.
  if (typeof value !== 'string' || !isCalendarDate(value)) throw scalarError('Date must be a calendar date written YYYY-MM-DD');
  if (value < MIN_DATE || value > MAX_DATE) throw scalarError(`Date must lie between ${MIN_DATE} and ${MAX_DATE}`);
  return value;
}

const parseInstant = DateTimeResolver.parseValue.bind(DateTimeResolver);
const parseInstantLiteral = DateTimeResolver.parseLiteral.bind(DateTimeResolver);

function inRange(instant: Date): Date {
  const day = instant.toISOString().slice(0, 10);
  if (Number.isNaN(instant.getTime()) || day < MIN_DATE || day > MAX_DATE) {
    throw scalarError(`DateTime must lie between ${MIN_DATE} and ${MAX_DATE}`);
  }
  return instant;
}

function parseDateTime(parse: () => unknown): Date {
  let parsed: unknown;
  try {
    parsed = parse();
  } catch {
    throw scalarError('DateTime must be an ISO-8601 instant with offset, e.g. 2026-11-22T09:30:00Z');
  }
  return inRange(parsed as Date);
}

/** A calendar date (UTC), kept as the string YYYY-MM-DD end to end. */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'A calendar date, ISO-8601, e.g. 2026-11-22.',
  serialize(value) {
    if (value instanceof Date) return value.toISOString().slice(0, 10);
    return parseDate(value);
  },
  parseValue: parseDate,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw scalarError('Date must be a string written YYYY-MM-DD');
    return parseDate(ast.value);
  },
});

/** An instant: accepts ISO-8601 with offset, answers in UTC with milliseconds. */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  ...DateTimeResolver.toConfig(),
  name: 'DateTime',
  description: 'An instant, ISO-8601 with offset, e.g. 2026-11-22T09:30:00Z.',
  serialize(value) {
    const d = value instanceof Date ? value : new Date(String(value));
    if (Number.isNaN(d.getTime())) throw new GraphQLError('DateTime cannot represent an invalid date');
    return d.toISOString();
  },
  parseValue: (value) => parseDateTime(() => parseInstant(value)),
  parseLiteral: (ast, variables) => parseDateTime(() => parseInstantLiteral(ast, variables)),
});

function parseDecimal(value: unknown): string {
  // Numbers are refused on purpose: a JSON float may already have lost precision.
  if (typeof value !== 'string' || !DECIMAL_RE.test(value.trim())) {
    throw scalarError('Decimal must be a decimal number in a string, e.g. 1234.50');
  }
  return value.trim();
}

/** An exact decimal number, a string on the wire and in resolvers; never a float. */
export const DecimalScalar = new GraphQLScalarType<string, string>({
  name: 'Decimal',
  description: 'An exact decimal number sent as a string, e.g. "1234.50". Never a float.',
  serialize(value) {
    if (typeof value === 'string') return value;
    if (typeof value === 'bigint' || typeof value === 'number') return String(value);
    throw new GraphQLError('Decimal cannot represent a non-numeric value');
  },
  parseValue: parseDecimal,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw scalarError('Decimal must be sent as a string, e.g. 1234.50');
    return parseDecimal(ast.value);
  },
});

/** Today's date in UTC as YYYY-MM-DD. */
export function utcDate(at: Date): string {
  return at.toISOString().slice(0, 10);
}
