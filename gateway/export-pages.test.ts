import { readPages } from './export-pages';

interface Page {
  rows: number[];
  end: string | null;
}

/**
 * A keyset-paged list of numbers: a page starts after a cursor (the last
 * number of the page before), holds up to `size` numbers, and ends at its
 * last one. Counts the reads under way at once.
 */
function pagedList(items: number[], size: number) {
  const state = { items, busy: 0, mostAtOnce: 0, reads: 0 };
  const slice = (after: string) => {
    const from = state.items.findIndex((n) => n > Number(after));
    const rows = from < 0 ? [] : state.items.slice(from, from + size);
    const last = rows.at(-1);
    const more = last !== undefined && state.items.some((n) => n > last);
    return { rows, end: more ? String(last) : null };
  };
  const tick = () => new Promise((resolve) => setTimeout(resolve, 1));
  return {
    state,
    read: async (after: string): Promise<Page> => {
      state.reads++;
      state.busy++;
      state.mostAtOnce = Math.max(state.mostAtOnce, state.busy);
      await tick();
      await tick();
      state.busy--;
      return slice(after);
    },
    peek: async (after: string): Promise<string | null> => slice(after).end,
    first: (): Page => slice('0'),
  };
}

async function collect(pages: AsyncGenerator<Page>): Promise<number[]> {
  const rows: number[] = [];
  for await (const page of pages) rows.push(...page.rows);
  return rows;
}

const numbers = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('readPages: the pages of an export, read ahead', () => {
  it('yields every row once, in order, with the pages read side by side up to the limit', async () => {
    const list = pagedList(numbers(95), 10);
    const rows = await collect(readPages({ first: list.first(), next: (p) => p.end, read: list.read, peek: list.peek, inFlight: 3 }));
    expect(rows).toEqual(numbers(95));
    expect(list.state.mostAtOnce).toBe(3);
    // Pages 2 … 10, each read once: no guess was wasted.
    expect(list.state.reads).toBe(9);
  });

  it('reads one page after the other with one in flight, or without a peek', async () => {
    for (const options of [{ inFlight: 1 }, { inFlight: 4, peek: undefined }]) {
      const list = pagedList(numbers(45), 10);
      const rows = await collect(readPages({ first: list.first(), next: (p) => p.end, read: list.read, peek: list.peek, ...options }));
      expect(rows).toEqual(numbers(45));
      expect(list.state.mostAtOnce).toBe(1);
    }
  });

  it('drops its guesses when the data changed after a peek, and misses or repeats nothing', async () => {
    const list = pagedList(numbers(60), 10);
    let removed = false;
    const read = async (after: string) => {
      // Once pages are being read ahead, numbers 12 and 13 are removed: the page after 10 now ends at 22, not 20.
      if (!removed && after === '10') {
        removed = true;
        await new Promise((resolve) => setTimeout(resolve, 5));
        list.state.items = list.state.items.filter((n) => n !== 12 && n !== 13);
      }
      return list.read(after);
    };
    const rows = await collect(readPages({ first: list.first(), next: (p) => p.end, read, peek: list.peek, inFlight: 3 }));
    expect(rows).toEqual(numbers(60).filter((n) => n !== 12 && n !== 13));
    // Pages 2 … 6 are due; at least one guess was read and dropped.
    expect(list.state.reads).toBeGreaterThan(5);
  });

  it('starts no read ahead once nobody waits for the pages', async () => {
    const list = pagedList(numbers(100), 10);
    let waiting = true;
    const read = (after: string) => {
      waiting = false;
      return list.read(after);
    };
    const rows = await collect(readPages({ first: list.first(), next: (p) => p.end, read, peek: list.peek, inFlight: 3, active: () => waiting }));
    expect(rows).toEqual(numbers(100));
    // Only the pages that were due were read: none ahead.
    expect(list.state.reads).toBe(9);
    expect(list.state.mostAtOnce).toBe(1);
  });

  it('goes on one page after the other when a peek fails', async () => {
    const list = pagedList(numbers(35), 10);
    const peek = () => Promise.reject(new Error('subgraph away'));
    const rows = await collect(readPages({ first: list.first(), next: (p) => p.end, read: list.read, peek, inFlight: 3 }));
    expect(rows).toEqual(numbers(35));
    expect(list.state.mostAtOnce).toBe(1);
  });

  it('fails where the failed page is due, and starts no read once the export stopped', async () => {
    const list = pagedList(numbers(200), 10);
    const read = (after: string) => (after === '30' ? Promise.reject(new Error('page failed')) : list.read(after));
    const seen: number[] = [];
    const pages = readPages({ first: list.first(), next: (p) => p.end, read, peek: list.peek, inFlight: 3 });
    await expect(
      (async () => {
        for await (const page of pages) seen.push(...page.rows);
      })(),
    ).rejects.toThrow('page failed');
    expect(seen).toEqual(numbers(30));
    const readsWhenStopped = list.state.reads;
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Reads already under way may finish; none starts after the export stopped.
    expect(list.state.reads).toBe(readsWhenStopped);
    expect(readsWhenStopped).toBeLessThanOrEqual(4);
  });
});
