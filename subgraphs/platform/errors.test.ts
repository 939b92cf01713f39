import { formatClientError, INTERNAL_MESSAGE, serviceUnavailable, withoutInputValues } from './errors';

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

  it('keeps an unavailability error with its service, reason and retryable flag, its message rebuilt from them', () => {
    const error = serviceUnavailable('customers', 'UNAVAILABLE', true);
    const formatted = formatClientError({ message: 'connect ECONNREFUSED 10.0.0.5:4001', path: ['logInteraction'], extensions: error.extensions });
    expect(formatted).toEqual({
      message: 'The customers service is unavailable; try again later',
      path: ['logInteraction'],
      locations: undefined,
      // unavailableService survives the gateway, which overwrites serviceName with the answering subgraph.
      extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName: 'customers', unavailableService: 'customers', reason: 'UNAVAILABLE', retryable: true },
    });
  });

  it('masks an INTERNAL_SERVER_ERROR that only looks like an unavailability error', () => {
    const forged = { code: 'INTERNAL_SERVER_ERROR', serviceName: 'db-1.internal:3306', reason: 'UNAVAILABLE', retryable: true };
    expect(formatClientError({ message: 'x', extensions: forged }).message).toBe(INTERNAL_MESSAGE);
    expect(formatClientError({ message: 'x', extensions: { ...forged, serviceName: 'billing', reason: 'ER_DUP' } }).message).toBe(INTERNAL_MESSAGE);
  });

  it('never repeats an input value from a variable-coercion or validation message', () => {
    const iban = 'DE89370400440532013000';
    const cases = [
      `Variable "$input" got invalid value "${iban}" at "input.iban"; Expected type "String".`,
      `Variable "$input" got invalid value { iban: "${iban}", x: 1 } at "input.addresses[0].country"; Field "country" of required type "String!" was not provided.`,
      `Variable "$input" got invalid value "${iban}"; String cannot represent a non string value: "${iban}"`,
      `Expected value of type "Date!", found "${iban}"; Date cannot represent an invalid date-string ${iban}.`,
      `Value "${iban}" does not exist in "Channel" enum. Did you mean the enum value "FAX"?`,
      `Argument "asOf" has invalid value "${iban}".`,
    ];
    for (const message of cases) {
      const formatted = formatClientError({ message, extensions: { code: 'BAD_USER_INPUT' } });
      expect(formatted.message).not.toContain(iban);
      expect(formatted.message).not.toContain('DE89');
      expect(formatted.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('names the variable, path and expected type instead', () => {
    expect(withoutInputValues('Variable "$input" got invalid value "x@y" at "input.addresses[0].country"; Expected type "String".')).toEqual({
      message: 'Variable "$input" has an invalid value at "input.addresses[0].country". Expected type "String".',
      field: 'addresses[0].country',
    });
    expect(withoutInputValues('Variable "$asOf" got invalid value "2030-13-01"; Date cannot represent 2030-13-01')).toEqual({
      message: 'Variable "$asOf" has an invalid value.',
      field: 'asOf',
    });
    expect(withoutInputValues('first must be at most 1000')).toEqual({ message: 'first must be at most 1000' });
  });
});
