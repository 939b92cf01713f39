import { createLogger } from '../subgraphs/platform';
import { formatGatewayError } from './gateway';
import { SubgraphDataSource } from './subgraph-source';

describe('formatGatewayError', () => {
  it('passes a subgraph contract error with its code, field and service', () => {
    expect(
      formatGatewayError({
        message: 'customerSince must not lie in the future',
        path: ['createCustomer'],
        extensions: { code: 'BAD_USER_INPUT', field: 'customerSince', serviceName: 'customers', exception: { stacktrace: ['x'] } },
      }),
    ).toMatchObject({
      message: 'customerSince must not lie in the future',
      extensions: { code: 'BAD_USER_INPUT', field: 'customerSince', serviceName: 'customers' },
    });
  });

  it('masks an unknown subgraph error, logs it server-side, and says which service failed', () => {
    const lines: string[] = [];
    const logger = createLogger('gateway', { destination: { write: (line: string) => lines.push(line) }, level: 'info' });
    const formatted = formatGatewayError(
      {
        message: 'Duplicate entry for key PRIMARY in INSERT INTO ...',
        path: ['recordPayment'],
        extensions: { code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: 'billing' },
      },
      logger,
    );
    expect(formatted).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName: 'billing' } });
    expect(JSON.stringify(formatted)).not.toContain('INSERT');
    // One line server-side, with where it happened, but not the message (it may quote values).
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 50, service: 'gateway', path: 'recordPayment', msg: 'internal error' });
    expect(lines[0]).not.toContain('Duplicate entry');
  });
});

describe('SubgraphDataSource.errorFromResponse', () => {
  const source = new SubgraphDataSource('billing', 'http://127.0.0.1:9/graphql', 1000);
  const response = (status: number) => ({ status, text: async () => '{"errors":[{"message":"at db-1:3306"}]}' }) as never;

  it('does not call a refused request (4xx) an outage, and says a 413 is too large', async () => {
    const tooLarge = formatGatewayError((await source.errorFromResponse(response(413))).toJSON());
    expect(tooLarge).toMatchObject({
      message: 'The request is too large for the billing service',
      extensions: { code: 'BAD_USER_INPUT', serviceName: 'billing' },
    });
    const log = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const rejected = formatGatewayError((await source.errorFromResponse(response(400))).toJSON());
    log.mockRestore();
    expect(rejected).toEqual({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName: 'billing' } });
    expect(JSON.stringify([tooLarge, rejected])).not.toMatch(/UNAVAILABLE|retryable|db-1/);
  });

  it('calls a 5xx answer an outage, retryable, without the body', async () => {
    const down = formatGatewayError((await source.errorFromResponse(response(502))).toJSON());
    expect(down).toEqual({
      message: 'The billing service is unavailable; try again later',
      extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName: 'billing', reason: 'UNAVAILABLE', retryable: true },
    });
  });
});
