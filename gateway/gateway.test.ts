import { formatGatewayError } from './gateway';

describe('formatGatewayError', () => {
  it('passes a subgraph contract error with its code, field and service', () => {
    expect(
      formatGatewayError({
        message: 'customerSince must not lie in the future',
        path: ['createCustomer'],
        extensions: { code: 'BAD_USER_INPUT', field: 'customerSince', serviceName: 'customers', exception: { stacktrace: ['x'] } },
      }),
    ).toMatchObject({ message: 'customerSince must not lie in the future', extensions: { code: 'BAD_USER_INPUT', field: 'customerSince', serviceName: 'customers' } });
  });

  it('masks an unknown subgraph error, logs it server-side, and says which service failed', () => {
    const log = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const formatted = formatGatewayError({ message: 'Duplicate entry for key PRIMARY in INSERT INTO ...', extensions: { code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: 'billing' } });
    expect(formatted).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName: 'billing' } });
    expect(JSON.stringify(formatted)).not.toContain('INSERT');
    expect(log).toHaveBeenCalledTimes(1);
    log.mockRestore();
  });
});
