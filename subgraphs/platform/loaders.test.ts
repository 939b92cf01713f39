import DataLoader from 'dataloader';
import { ColumnLoader, columnIds, loadColumn, manyByKey, requiredColumn, valueByKey } from './loaders';

describe('loadColumn', () => {
  it('loads every key in one batch, in the order given', async () => {
    const batches: string[][] = [];
    const loader = new DataLoader(async (keys: readonly string[]) => {
      batches.push([...keys]);
      return keys.map((k) => k.toUpperCase());
    });
    expect(await loadColumn(loader, ['b', 'a', 'c'])).toEqual(['B', 'A', 'C']);
    expect(batches).toEqual([['b', 'a', 'c']]);
  });

  it('fails the whole column when one value failed', async () => {
    const loader = new DataLoader(async (keys: readonly string[]) => keys.map((k) => (k === 'bad' ? new Error('no figures') : k)));
    await expect(loadColumn(loader, ['a', 'bad'])).rejects.toThrow('no figures');
  });

  it('answers the columns of one page from one batch call, and another page from its own', async () => {
    const batches: string[][] = [];
    const loader = valueByKey(async (keys: readonly string[]) => {
      batches.push([...keys]);
      return new Map(keys.filter((k) => k !== 'none').map((k) => [k, k.length]));
    }, 0);
    expect(loader).toBeInstanceOf(ColumnLoader);
    const page = ['bb', 'none', 'a'];
    const [first, second] = await Promise.all([loadColumn(loader, page), loadColumn(loader, page)]);
    expect(first).toEqual([2, 0, 1]);
    expect(second).toEqual([2, 0, 1]);
    expect(batches).toEqual([['bb', 'none', 'a']]);
    expect(await loadColumn(loader, ['ccc'])).toEqual([3]);
    expect(batches).toEqual([['bb', 'none', 'a'], ['ccc']]);
    // An empty page (a filter that matches nobody) asks nothing: an empty IN list is no SQL.
    expect(await loadColumn(loader, [])).toEqual([]);
    expect(batches).toHaveLength(2);
  });

  it('groups rows per key in the order of the page, and fails every column of the page with its batch', async () => {
    const rows = manyByKey(
      async () => [
        { k: 'a', n: 1 },
        { k: 'b', n: 2 },
        { k: 'a', n: 3 },
      ],
      (r) => r.k,
    );
    expect(await loadColumn(rows, ['b', 'c', 'a'])).toEqual([
      [{ k: 'b', n: 2 }],
      [],
      [
        { k: 'a', n: 1 },
        { k: 'a', n: 3 },
      ],
    ]);
    let calls = 0;
    const failing = valueByKey(async () => {
      calls++;
      throw new Error('billing is away');
    }, 0);
    const page = ['a'];
    await expect(loadColumn(failing, page)).rejects.toThrow('billing is away');
    await expect(loadColumn(failing, page)).rejects.toThrow('billing is away');
    expect(calls).toBe(1);
  });
});

describe('columnIds', () => {
  it('answers the ids of a page within the limit', () => {
    expect(columnIds({ ids: ['a', 'b'] }, 2)).toEqual(['a', 'b']);
  });

  it('refuses a page that is too long, not a list, or holds a non-string, naming no id', () => {
    for (const ids of [['a', 'b', 'c'], 'a', [1], undefined]) {
      let error: unknown;
      try {
        columnIds({ ids }, 2);
      } catch (e) {
        error = e;
      }
      expect((error as { extensions?: { code?: string } }).extensions?.code).toBe('BAD_USER_INPUT');
      expect((error as Error).message).not.toMatch(/"a"|\b1\b,/);
    }
  });
});

describe('requiredColumn', () => {
  it('answers a column of one entry per id, null for a column that did not arrive, and refuses any other length', () => {
    expect(requiredColumn({ score: [1, 2] }, 'score', ['a', 'b'])).toEqual([1, 2]);
    expect(requiredColumn({ score: null }, 'score', ['a', 'b'])).toBeNull();
    expect(requiredColumn({}, 'score', ['a', 'b'])).toBeNull();
    for (const score of [[1], [1, 2, 3], 'x']) {
      expect(() => requiredColumn({ score }, 'score', ['a', 'b'])).toThrow('score must hold one entry per id');
    }
  });
});
