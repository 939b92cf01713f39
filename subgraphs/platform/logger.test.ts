import { Writable } from 'node:stream';
import { createLogger, safeError } from './logger';
import { withRequestScope } from './deadline';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createLogger('billing', { destination, level: 'info' }) };
}

describe('the service logger', () => {
  it('writes JSON lines with level, service and the request id of the running request', () => {
    const { lines, logger } = capture();
    withRequestScope({ requestId: 'req-42' }, () => logger.info('in a request'));
    logger.warn('outside');
    expect(lines[0]).toMatchObject({ level: 30, service: 'billing', requestId: 'req-42', msg: 'in a request' });
    expect(lines[1]).toMatchObject({ level: 40, service: 'billing', msg: 'outside' });
    expect(lines[1]).not.toHaveProperty('requestId');
  });

  it('redacts credentials, IBANs, e-mails and variables at any depth', () => {
    const { lines, logger } = capture();
    logger.info(
      {
        req: { headers: { authorization: 'Bearer secret-token', 'x-api-key': 'c360_key', 'x-c360-principal': 'signed' } },
        iban: 'DE89370400440532013000',
        payment: { method: { iban: 'DE89370400440532013000', email: 'jane@example.com' } },
        variables: { input: { email: 'jane@example.com' } },
      },
      'redacted',
    );
    const text = JSON.stringify(lines[0]);
    for (const secret of ['secret-token', 'c360_key', 'signed', 'DE89370400440532013000', 'jane@example.com']) expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
  });

  it('keeps a database error to its class and code: the driver message quotes values', () => {
    const duplicate = Object.assign(new Error("Duplicate entry 'jane@example.com' for key 'uq_email'"), {
      name: 'QueryFailedError',
      code: 'ER_DUP_ENTRY',
      query: 'INSERT …',
    });
    expect(safeError(duplicate)).toEqual({ type: 'QueryFailedError', code: 'ER_DUP_ENTRY' });
    expect(safeError(new TypeError('bad thing'))).toEqual({ type: 'TypeError', message: 'bad thing' });
  });
});
