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
]);

export function badUserInput(field: string | undefined, message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: field ? { code: ErrorCode.BAD_USER_INPUT, field } : { code: ErrorCode.BAD_USER_INPUT },
  });
}

export function notFound(entity: string, id: string): GraphQLError {
  return new GraphQLError(`${entity} ${id} does not exist`, { extensions: { code: ErrorCode.NOT_FOUND } });
}

export function versionConflict(entity: string, id: string, expected: number, actual: number): GraphQLError {
  return new GraphQLError(
    `${entity} ${id} was changed by someone else: you sent version ${expected}, the stored version is ${actual}; reload and retry`,
    { extensions: { code: ErrorCode.VERSION_CONFLICT, expectedVersion: expected, actualVersion: actual } },
  );
}

export function invalidTransition(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.INVALID_TRANSITION } });
}

export function idempotencyConflict(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.IDEMPOTENCY_CONFLICT } });
}

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.FORBIDDEN } });
}

export const INTERNAL_MESSAGE = 'Internal server error';

/**
 * Apollo `formatError` for every server of this project. Errors with a
 * client-safe code keep their message, code and field; anything else (a
 * driver error, a bug) becomes a bare INTERNAL_SERVER_ERROR so that no SQL,
 * stack trace or host name reaches a client. The original is logged by the
 * caller's `onInternal` (without request variables, which may hold an IBAN).
 */
export function formatClientError(
  formatted: GraphQLFormattedError,
  onInternal?: (formatted: GraphQLFormattedError) => void,
): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && CLIENT_SAFE_CODES.has(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
    const { stacktrace: _stack, exception: _exception, ...extensions } = formatted.extensions ?? {};
    return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions };
  }
  onInternal?.(formatted);
  return {
    message: INTERNAL_MESSAGE,
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}
