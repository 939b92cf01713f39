import { EXPORTS } from './exports';

const customers = EXPORTS.find((e) => e.name === 'customers')!;

describe('the customers export', () => {
  it('turns a page of columns into rows: row i holds entry i of every column, a missing value is null', () => {
    const columns = Object.fromEntries(customers.columns.map((c) => [c.path?.split('.')[0] ?? c.name, [null, null]]));
    const data = {
      customerColumns: {
        pageInfo: { hasNextPage: true, endCursor: 'abc' },
        columns: {
          ...columns,
          ids: ['1', '2'],
          customerNumber: ['C-000001', 'C-000002'],
          openBalance: ['10.50', '0.00'],
          dunningLevel: [2, 0],
          lastContactAt: ['2026-11-20T10:00:00.000Z', null],
          keyAccount: [{ name: 'Alpha' }, null],
        },
      },
    };
    const rows = customers.rows(data);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      customerNumber: 'C-000001',
      openBalance: '10.50',
      dunningLevel: 2,
      lastContactAt: '2026-11-20T10:00:00.000Z',
      keyAccount: 'Alpha',
    });
    expect(rows[1]).toMatchObject({ customerNumber: 'C-000002', openBalance: '0.00', dunningLevel: 0, lastContactAt: null, keyAccount: null });
    expect(Object.keys(rows[0]!)).toEqual(customers.columns.map((c) => c.name));
    expect(customers.next!(data)).toBe('abc');
    expect(customers.next!({ customerColumns: { ...data.customerColumns, pageInfo: { hasNextPage: false, endCursor: 'abc' } } })).toBeNull();
  });

  it('reads an empty page as no rows', () => {
    expect(customers.rows({ customerColumns: { pageInfo: { hasNextPage: false, endCursor: null }, columns: { ids: [] } } })).toEqual([]);
  });
});
