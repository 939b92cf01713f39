import DataLoader from 'dataloader';
import { columnIds, loadColumn, requiredColumn } from './loaders';

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
