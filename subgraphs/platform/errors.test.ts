import { formatClientError, INTERNAL_MESSAGE } from './errors';

describe('formatClientError', () => {
  it('keeps message, code and field of a contract error and drops the stack trace', () => {
    const formatted = formatClientError({
      message: 'email is not a valid e-mail address',
      path: ['createCustomer'],
      extensions: { code: 'BAD_USER_INPUT', field: 'email', stacktrace: ['at x.ts:1'] },
    });
    expect(formatted).toEqual({
      message: 'email is not a valid e-mail address',
      path: ['createCustomer'],
      locations: undefined,
      extensions: { code: 'BAD_USER_INPUT', field: 'email' },
    });
  });

  it('masks anything without a client-safe code and reports it to the server log', () => {
    const seen: string[] = [];
    const formatted = formatClientError(
      { message: "ER_NO_SUCH_TABLE: Table 'db.customers' doesn't exist (SELECT * FROM customers) at db-1:3306", extensions: { code: 'ER_NO_SUCH_TABLE' } },
      (internal) => seen.push(internal.message),
    );
    expect(formatted).toEqual({ message: INTERNAL_MESSAGE, extensions: { code: 'INTERNAL_SERVER_ERROR' }, locations: undefined, path: undefined });
    expect(seen).toHaveLength(1);
  });

  it('masks an INTERNAL_SERVER_ERROR message too', () => {
    expect(formatClientError({ message: 'connect ECONNREFUSED 10.0.0.5:3306', extensions: { code: 'INTERNAL_SERVER_ERROR' } }).message).toBe(INTERNAL_MESSAGE);
  });
});
