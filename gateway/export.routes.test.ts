import { readPage, retryableFailure } from './export.routes';

const timeout = { errors: [{ message: 'claims timed out', extensions: { code: 'INTERNAL_SERVER_ERROR', reason: 'TIMEOUT', retryable: true } }] };
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
    const retries: [number, string][] = [];
    const result = await readPage(
      async () => answers.shift()!,
      [200, 1000],
      (attempt, code) => retries.push([attempt, code]),
      async (ms) => void slept.push(ms),
    );
    expect(result).toBe(page);
    expect(slept).toEqual([200, 1000]);
    expect(retries).toEqual([
      [1, 'INTERNAL_SERVER_ERROR'],
      [2, 'INTERNAL_SERVER_ERROR'],
    ]);
  });

  it('gives up after the last delay with the failed answer', async () => {
    let reads = 0;
    const result = await readPage(
      async () => (reads++, timeout),
      [1, 1],
      undefined,
      async () => undefined,
    );
    expect(result).toBe(timeout);
    expect(reads).toBe(3);
  });

  it('answers a refusal at once, without reading it again', async () => {
    let reads = 0;
    const result = await readPage(
      async () => (reads++, refused),
      [1, 1],
      undefined,
      async () => undefined,
    );
    expect(result).toBe(refused);
    expect(reads).toBe(1);
  });
});
