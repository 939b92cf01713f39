import { failedAt, readPage, retryableFailure } from './export.routes';

const timeout = {
  errors: [{ message: 'claims timed out', extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName: 'claims', reason: 'TIMEOUT', retryable: true } }],
};
const refused = { errors: [{ message: 'first must be at most 1000', extensions: { code: 'BAD_USER_INPUT' } }] };
const page = { data: { customers: { nodes: [] } } };

describe('an export page', () => {
  it('counts as retryable only when every error promises a repeat is safe', () => {
    expect(retryableFailure(timeout)).toBe(true);
    expect(retryableFailure(refused)).toBe(false);
    expect(retryableFailure({ errors: [...timeout.errors, ...refused.errors] })).toBe(false);
    expect(retryableFailure(page)).toBe(false);
  });

  it('is read again after each delay while it fails retryably, and the recovered answer is used', async () => {
    const answers = [timeout, timeout, page];
    const slept: number[] = [];
    const retries: [number, ReturnType<typeof failedAt>][] = [];
    const result = await readPage(
      async () => answers.shift()!,
      [200, 1000],
      (attempt, cause) => retries.push([attempt, cause]),
      async (ms) => void slept.push(ms),
    );
    expect(result).toBe(page);
    expect(slept).toEqual([200, 1000]);
    // The log learns which service failed and why, not only the generic code.
    const cause = { code: 'INTERNAL_SERVER_ERROR', serviceName: 'claims', reason: 'TIMEOUT' };
    expect(retries).toEqual([
      [1, cause],
      [2, cause],
    ]);
  });

  /** Reads `answer` with two quick retries and no wait; how often it was read. */
  async function readsOf(answer: typeof timeout | typeof refused, wanted?: () => boolean, onSleep?: () => void) {
    let reads = 0;
    const result = await readPage(
      async () => (reads++, answer),
      [1, 1],
      undefined,
      async () => onSleep?.(),
      wanted,
    );
    return { result, reads };
  }

  it('gives up after the last delay with the failed answer', async () => {
    const { result, reads } = await readsOf(timeout);
    expect(result).toBe(timeout);
    expect(reads).toBe(3);
  });

  it('answers a refusal at once, without reading it again', async () => {
    const { result, reads } = await readsOf(refused);
    expect(result).toBe(refused);
    expect(reads).toBe(1);
  });

  it('is not read again once the client has gone', async () => {
    let present = true;
    expect(
      await readsOf(
        timeout,
        () => present,
        () => (present = false),
      ),
    ).toEqual({ result: timeout, reads: 1 });
  });

  it('names the failing service and reason without any value, and defaults the code', () => {
    expect(failedAt(timeout)).toEqual({ code: 'INTERNAL_SERVER_ERROR', serviceName: 'claims', reason: 'TIMEOUT' });
    expect(failedAt({ errors: [{ message: 'x' }] })).toEqual({ code: 'INTERNAL_SERVER_ERROR', serviceName: undefined, reason: undefined });
  });
});
