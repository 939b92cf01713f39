import { EXPORTS } from './exports';
import { warmUpExports } from './export-warm-up';
import { createLogger } from '../subgraphs/platform/logger';

const customers = EXPORTS.find((e) => e.name === 'customers')!;

/** A graph of `total` pages: page n ends at cursor "cN"; the last has no next page. */
function graph(total: number, failFirst = 0) {
  const asked: { query: string; after: unknown; first: unknown }[] = [];
  let failures = failFirst;
  const execute = async (query: string, variables: Record<string, unknown>) => {
    asked.push({
      query: query === customers.query ? 'page' : query === customers.cursors ? 'cursors' : 'other',
      after: variables.after,
      first: variables.first,
    });
    if (failures > 0) {
      failures--;
      return { errors: [{ message: 'customers is unavailable' }] };
    }
    const n = variables.after === null ? 1 : Number(String(variables.after).slice(1)) + 1;
    return { data: { customerColumns: { pageInfo: { hasNextPage: n < total, endCursor: `c${n}` }, columns: { ids: [] } } } };
  };
  return { asked, execute };
}

function logged() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger('gateway', { destination: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) }, level: 'info' });
  return { lines, logger };
}

describe('warmUpExports', () => {
  it('reads the first pages of the customers export in order, each after the cursor of the one before, and the cursor operation once', async () => {
    const { asked, execute } = graph(10);
    const { lines, logger } = logged();
    const result = await warmUpExports({ pages: 2, pageSize: 4000, execute, logger });
    expect(result).toEqual({ pages: 2, complete: true });
    expect(asked).toEqual([
      { query: 'page', after: null, first: 4000 },
      { query: 'cursors', after: null, first: 4000 },
      { query: 'page', after: 'c1', first: 4000 },
    ]);
    expect(lines.map((l) => l.msg)).toEqual(['export warm-up done']);
  });

  it('stops at the last page when the data ends sooner', async () => {
    const { asked, execute } = graph(1);
    expect(await warmUpExports({ pages: 3, pageSize: 50, execute, logger: logged().logger })).toEqual({ pages: 1, complete: true });
    expect(asked.filter((a) => a.query === 'page')).toHaveLength(1);
  });

  it('counts a page some subgraphs answered and goes on', async () => {
    const { asked, execute } = graph(10);
    const partial = async (query: string, variables: Record<string, unknown>) => ({
      ...(await execute(query, variables)),
      errors: [{ message: 'claims is unavailable' }],
    });
    expect(await warmUpExports({ pages: 2, pageSize: 10, execute: partial, logger: logged().logger })).toEqual({ pages: 2, complete: true });
    expect(asked.filter((a) => a.query === 'page').map((a) => a.after)).toEqual([null, 'c1']);
  });

  it('ends at once with a warning when a page has no data, asking nothing more', async () => {
    const { asked, execute } = graph(10, 1);
    const { lines, logger } = logged();
    expect(await warmUpExports({ pages: 2, pageSize: 10, execute, logger })).toEqual({ pages: 0, complete: false });
    expect(asked).toHaveLength(1);
    expect(lines.map((l) => [l.level, l.msg, l.reason])).toEqual([[40, 'export warm-up given up; the first export will be slower', 'no answer']]);
  });

  it('never throws, even when the operation itself does', async () => {
    const { lines, logger } = logged();
    const execute = () => Promise.reject(new Error('connection refused'));
    expect(await warmUpExports({ pages: 2, pageSize: 10, execute, logger })).toEqual({ pages: 0, complete: false });
    expect(lines.map((l) => l.reason)).toEqual(['no answer']);
  });

  it('gives up at its deadline when a page does not come back', async () => {
    const { lines, logger } = logged();
    const started = Date.now();
    const result = await warmUpExports({ pages: 2, pageSize: 10, execute: () => new Promise(() => undefined), logger, deadlineMs: 50 });
    expect(result).toEqual({ pages: 0, complete: false });
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(lines.map((l) => l.reason)).toEqual(['deadline']);
  });

  it('asks for nothing more once the gateway stops, and says nothing of it', async () => {
    const asked: unknown[] = [];
    let answer: (value: { data: Record<string, unknown> }) => void = () => undefined;
    const execute = (_query: string, variables: Record<string, unknown>) => {
      asked.push(variables.after);
      return new Promise<{ data: Record<string, unknown> }>((resolve) => (answer = resolve));
    };
    const { lines, logger } = logged();
    const stop = new AbortController();
    const warming = warmUpExports({ pages: 2, pageSize: 10, execute, logger, signal: stop.signal });
    stop.abort();
    answer({ data: { customerColumns: { pageInfo: { hasNextPage: true, endCursor: 'c1' }, columns: { ids: [] } } } });
    expect(await warming).toEqual({ pages: 0, complete: false });
    expect(asked).toEqual([null]);
    expect(lines).toEqual([]);
  });

  it('does not wait for a page in flight once the gateway stops (its deadline far off), and says nothing of it', async () => {
    const { lines, logger } = logged();
    const stop = new AbortController();
    const warming = warmUpExports({ pages: 2, pageSize: 10, execute: () => new Promise(() => undefined), logger, deadlineMs: 600_000, signal: stop.signal });
    stop.abort();
    expect(await warming).toEqual({ pages: 0, complete: false });
    expect(lines).toEqual([]);
  });

  it('reads nothing when asked for no pages', async () => {
    const { asked, execute } = graph(10);
    expect(await warmUpExports({ pages: 0, pageSize: 10, execute, logger: logged().logger })).toEqual({ pages: 0, complete: true });
    expect(asked).toEqual([]);
  });
});
