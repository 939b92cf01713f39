import { randomUUID } from 'node:crypto';
import { ID_RANGE_MIN_IDS, customerIdAt, customerIdsIn, idRange, markIdRange, newCustomerId, whereCustomerIds } from './id-range';
import { columnIds, valueByKey, loadColumn } from './loaders';
import { seedUniverse } from './seed';

const uuids = (n: number) => Array.from({ length: n }, () => randomUUID());

describe('idRange', () => {
  it('is the lowest and the highest id, in any order given', () => {
    const ids = ['7a000000-0000-4000-8000-000000000000', '0b000000-0000-4000-8000-000000000000', 'ff000000-0000-4000-8000-000000000000'];
    expect(idRange(ids)).toEqual({ low: ids[1], high: ids[2] });
  });

  it('is null for no ids, and for any id that is not a canonical lowercase UUID', () => {
    expect(idRange([])).toBeNull();
    const ids = uuids(3);
    expect(idRange([...ids, ids[0]!.toUpperCase()])).toBeNull();
    expect(idRange([...ids, 'c-1'])).toBeNull();
    expect(idRange([...ids, `${ids[0]} `])).toBeNull();
  });
});

describe('whereCustomerIds', () => {
  it('is an IN list of the ids unless their page marked them as a range', () => {
    const ids = uuids(ID_RANGE_MIN_IDS);
    expect(whereCustomerIds('customer_id', ids)).toEqual({ sql: `customer_id IN (${ids.map(() => '?').join(', ')})`, params: ids });
    markIdRange(ids, false);
    expect(whereCustomerIds('customer_id', ids).sql).toMatch(/^customer_id IN \(/);
  });

  it('is one range from the lowest to the highest id of a page marked dense', () => {
    const ids = uuids(ID_RANGE_MIN_IDS);
    markIdRange(ids, true);
    const sorted = [...ids].sort();
    expect(whereCustomerIds('customer_id', ids)).toEqual({ sql: 'customer_id BETWEEN ? AND ?', params: [sorted[0], sorted.at(-1)] });
    expect(customerIdsIn('m.customer_id', ids)).toEqual(['m.customer_id BETWEEN :low AND :high', { low: sorted[0], high: sorted.at(-1) }]);
    // The same ids in another array (another page) are not marked.
    expect(whereCustomerIds('customer_id', [...ids]).sql).toMatch(/^customer_id IN \(/);
  });

  it('keeps the IN list for small pages and for pages with an id that is not canonical, whatever the mark', () => {
    const small = uuids(ID_RANGE_MIN_IDS - 1);
    markIdRange(small, true);
    expect(whereCustomerIds('customer_id', small).sql).toMatch(/^customer_id IN \(/);
    const odd = [...uuids(ID_RANGE_MIN_IDS), 'C-1'];
    markIdRange(odd, true);
    expect(whereCustomerIds('customer_id', odd).params).toEqual(odd);
    expect(customerIdsIn('m.customer_id', odd)).toEqual(['m.customer_id IN (:...customerIds)', { customerIds: odd }]);
  });

  it('reaches the repository through columnIds and a column loader: the page says dense, the batch gets the marked array', async () => {
    const ids = uuids(ID_RANGE_MIN_IDS);
    const conditions: string[] = [];
    const loader = valueByKey(async (keys: readonly string[]) => {
      conditions.push(whereCustomerIds('customer_id', keys).sql);
      return new Map(keys.map((k) => [k, 1]));
    }, 0);
    await loadColumn(loader, columnIds({ ids, idRangeDense: true }));
    await loadColumn(loader, columnIds({ ids: [...ids], idRangeDense: null }));
    expect(conditions).toEqual(['customer_id BETWEEN ? AND ?', expect.stringMatching(/^customer_id IN \(/)]);
  });
});

describe('customer ids', () => {
  it('sort in the order they were minted, within one millisecond too', () => {
    const ids = Array.from({ length: 5000 }, () => newCustomerId());
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(idRange(ids)).toEqual({ low: ids[0], high: ids.at(-1) });
  });

  it('of a seed are deterministic, and sort in customer-number order', () => {
    const random = new Uint8Array(16).fill(7);
    expect(customerIdAt(1_700_000_000_000, random)).toBe(customerIdAt(1_700_000_000_000, random));
    expect(customerIdAt(1_700_000_000_000, random) < customerIdAt(1_700_000_000_001, random)).toBe(true);
    const seeded = seedUniverse('demo', '2026-12-01').map((c) => c.id);
    expect(seeded).toEqual(seedUniverse('demo', '2026-12-01').map((c) => c.id));
    expect([...seeded].sort()).toEqual(seeded);
    expect(idRange(seeded)).not.toBeNull();
  });
});
