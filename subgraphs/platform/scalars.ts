import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DECIMAL_RE = /^-?\d{1,18}(\.\d{1,6})?$/;

/** True when `value` is a real calendar date written YYYY-MM-DD. */
export function isCalendarDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

function scalarError(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

function parseDate(value: unknown): string {
  if (typeof value !== 'string' || !isCalendarDate(value)) {
    throw scalarError(`Date must be a calendar date written YYYY-MM-DD, got ${JSON.stringify(value)}`);
  }
  return value;
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
});

function parseDecimal(value: unknown): string {
  // Numbers are refused on purpose: a JSON float may already have lost precision.
  if (typeof value !== 'string' || !DECIMAL_RE.test(value.trim())) {
    throw scalarError(`Decimal must be a decimal number in a string, e.g. "1234.50", got ${JSON.stringify(value)}`);
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
    if (ast.kind !== Kind.STRING) throw scalarError('Decimal must be sent as a string, e.g. "1234.50"');
    return parseDecimal(ast.value);
  },
});

/** Today's date in UTC as YYYY-MM-DD. */
export function utcDate(at: Date): string {
  return at.toISOString().slice(0, 10);
}
