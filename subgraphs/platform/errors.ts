import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/** The error codes of the contract (README "Conventions the SDL cannot show"). */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  VERSION_CONFLICT: 'VERSION_CONFLICT',
  INVALID_TRANSITION: 'INVALID_TRANSITION',
  IDEMPOTENCY_CONFLICT: 'IDEMPOTENCY_CONFLICT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * Codes that are safe to hand to a client unchanged: the contract's own, plus
 * the ones Apollo Server itself gives to malformed requests (they carry no
 * server internals).
 */
const CLIENT_SAFE_CODES = new Set<string>([
  ...Object.values(ErrorCode),
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  // A trusted-documents-only caller sent an unregistered operation (gateway/trusted-documents.ts).
  'PERSISTED_QUERY_NOT_IN_LIST',
  // The gateway's 429 (gateway/rate-limit.ts) and cost refusal (gateway/cost.ts).
  'RATE_LIMITED',
  'COST_ESTIMATED_TOO_EXPENSIVE',
]);

export function badUserInput(field: string | undefined, message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: field ? { code: ErrorCode.BAD_USER_INPUT, field } : { code: ErrorCode.BAD_USER_INPUT },
  });
}

/** The id is not repeated in the message: no error message echoes a client's input. */
export function notFound(entity: string, _id: string): GraphQLError {
  return new GraphQLError(`The ${entity} does not exist`, { extensions: { code: ErrorCode.NOT_FOUND } });
}

export function versionConflict(entity: string, _id: string, expected: number, actual: number): GraphQLError {
  return new GraphQLError(`The ${entity} was changed by someone else: you sent version ${expected}, the stored version is ${actual}; reload and retry`, {
    extensions: { code: ErrorCode.VERSION_CONFLICT, expectedVersion: expected, actualVersion: actual },
  });
}

export function invalidTransition(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.INVALID_TRANSITION } });
}

export function idempotencyConflict(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.IDEMPOTENCY_CONFLICT } });
}

/** FORBIDDEN; `field` names the input that asked for what the roles do not allow. */
export function forbidden(message: string, field?: string): GraphQLError {
  return new GraphQLError(message, { extensions: field ? { code: ErrorCode.FORBIDDEN, field } : { code: ErrorCode.FORBIDDEN } });
}

export const INTERNAL_MESSAGE = 'Internal server error';

/** Why a service could not answer: down or refusing, too slow, or busy with the same work. */
export type UnavailableReason = 'UNAVAILABLE' | 'TIMEOUT' | 'IN_PROGRESS';
const UNAVAILABLE_REASONS: readonly string[] = ['UNAVAILABLE', 'TIMEOUT', 'IN_PROGRESS'];

function unavailableMessage(serviceName: string, reason: UnavailableReason): string {
  if (reason === 'TIMEOUT') return `The ${serviceName} service did not answer in time; try again later`;
  if (reason === 'IN_PROGRESS') return `The ${serviceName} service is still doing this; try again later`;
  return `The ${serviceName} service is unavailable; try again later`;
}

/**
 * A service (another subgraph, or this one's own long-running work) could not
 * answer. `retryable` promises that repeating the same request cannot do
 * anything twice: true only where nothing was written, or where the
 * operation is idempotent. The message is built from the service name and the
 * reason alone, so it never carries a host, port or socket error.
 */
export function serviceUnavailable(serviceName: string, reason: UnavailableReason, retryable: boolean): GraphQLError {
  // `unavailableService` survives the gateway, which sets serviceName to the subgraph that answered.
  return new GraphQLError(unavailableMessage(serviceName, reason), {
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, serviceName, unavailableService: serviceName, reason, retryable },
  });
}

/** The client-safe form of an unavailability error, or undefined when `formatted` is something else. */
function safeUnavailable(formatted: GraphQLFormattedError): GraphQLFormattedError | undefined {
  const { code, reason, retryable } = formatted.extensions ?? {};
  const serviceName = formatted.extensions?.unavailableService ?? formatted.extensions?.serviceName;
  if (code !== ErrorCode.INTERNAL_SERVER_ERROR || typeof serviceName !== 'string' || !/^[a-z-]{1,40}$/.test(serviceName)) return undefined;
  if (typeof reason !== 'string' || !UNAVAILABLE_REASONS.includes(reason) || typeof retryable !== 'boolean') return undefined;
  return {
    message: unavailableMessage(serviceName, reason as UnavailableReason),
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code, serviceName, unavailableService: serviceName, reason, retryable },
  };
}

/** Reasons of graphql-js that name only schema types and fields, never a value. */
const VALUE_FREE_REASONS = [
  /^Field "\w+" of required type "[\w[\]!]+" was not provided\.$/,
  /^Expected type "[\w[\]!]+"\.$/,
  // Our scalars' rules (scalars.ts), which never quote the value.
  /^(Date|DateTime|Decimal) must [^"]*$/,
];

function valueFreeReason(reason: string): string {
  const trimmed = reason.trim();
  return VALUE_FREE_REASONS.some((re) => re.test(trimmed)) ? ` ${trimmed}` : '';
}

/**
 * graphql-js repeats the offending value in its coercion and validation
 * messages ('Variable "$input" got invalid value "DE89…" at "input.iban"'),
 * which may be an IBAN or an e-mail address. These messages are rewritten to
 * name the variable, the path and the expected type only. `field` is the
 * path inside the variable (`iban`, `addresses[0].country`), as our own
 * BAD_USER_INPUT errors name it.
 */
export function withoutInputValues(message: string): { message: string; field?: string } {
  const variable = /^Variable "\$(\w+)" got invalid value /.exec(message);
  if (variable) {
    const name = variable[1]!;
    const at = new RegExp(` at "${name}((?:\\.\\w+|\\[\\d+\\])*)"; `).exec(message);
    const path = at?.[1] ?? '';
    const reason = at ? message.slice(at.index + at[0].length) : '';
    const field = path ? path.replace(/^\./, '') : name;
    return { message: `Variable "$${name}" has an invalid value${path ? ` at "${name}${path}"` : ''}.${valueFreeReason(reason)}`, field };
  }
  const literal = /^Expected value of type "([\w[\]!]+)", found /.exec(message);
  if (literal) {
    const cut = message.lastIndexOf('; ');
    return { message: `An argument has an invalid value: expected type "${literal[1]}".${cut >= 0 ? valueFreeReason(message.slice(cut + 2)) : ''}` };
  }
  const enumValue = /^Value .* does not exist in "(\w+)" enum\./s.exec(message);
  if (enumValue) return { message: `A value does not exist in the "${enumValue[1]}" enum.` };
  const argument = /^Argument "(\w+)" has invalid value /.exec(message);
  if (argument) return { message: `Argument "${argument[1]}" has an invalid value.`, field: argument[1] };
  return { message };
}

/**
 * Apollo `formatError` for every server of this project. Errors with a
 * client-safe code keep their message, code and field. An unavailability
 * error (`serviceUnavailable`) keeps its service, reason and retryable flag,
 * with its message rebuilt from them. Anything else (a driver error, a bug)
 * becomes a bare INTERNAL_SERVER_ERROR, so that no SQL, stack trace or host
 * name reaches a client. The original is logged by the
 * caller's `onInternal` (without request variables, which may hold an IBAN).
 */
export function formatClientError(formatted: GraphQLFormattedError, onInternal?: (formatted: GraphQLFormattedError) => void): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && CLIENT_SAFE_CODES.has(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
    const { stacktrace: _stack, exception: _exception, ...extensions } = formatted.extensions ?? {};
    const clean = withoutInputValues(formatted.message);
    if (clean.field && extensions.field === undefined) extensions.field = clean.field;
    return { message: clean.message, locations: formatted.locations, path: formatted.path, extensions };
  }
  const unavailable = safeUnavailable(formatted);
  if (unavailable) return unavailable;
  onInternal?.(formatted);
  return {
    message: INTERNAL_MESSAGE,
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}
