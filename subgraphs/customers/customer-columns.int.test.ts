import { customersSubgraph } from '.';
import { subgraphHarness, type SubgraphHarness } from '../../test/support/harness';
import { ID_RANGE_MIN_IDS, seedUniverse, utcDate } from '../platform';
import { createCustomerLoaders } from './customer.loaders';

// The demo seed: 1,000 customers whose ids sort in customer-number order, as created customers' do.
let h: SubgraphHarness;
let ids: string[];
const today = utcDate(new Date());

beforeAll(async () => {
  h = await subgraphHarness(customersSubgraph, createCustomerLoaders);
  await customersSubgraph.seed(h.dataSource, { size: 'demo', customers: seedUniverse('demo', today), today, shared: {} });
  const page = await h.execute(`{ customerColumns(first: 1000) { columns { ids } } }`);
  expect(page.errors).toBeUndefined();
  ids = page.data!.customerColumns.columns.ids;
});
afterAll(async () => {
  await h?.close();
});

const DENSE = `query($r: [_Any!]!) { _entities(representations: $r) { ... on CustomerColumns { idRangeDense } } }`;

async function dense(pageIds: string[]): Promise<boolean> {
  const result = await h.execute(DENSE, { r: [{ __typename: 'CustomerColumns', ids: pageIds }] });
  expect(result.errors).toBeUndefined();
  return result.data!._entities[0].idRangeDense;
}

describe('CustomerColumns.idRangeDense', () => {
  it('is true for a page in customer-number order, with one bounded count of the ids in its range', async () => {
    expect(ids).toHaveLength(1000);
    expect([...ids].sort()).toEqual(ids);
    h.queries.reset();
    const page = await h.execute(`{ customerColumns(first: 500, after: null) { columns { ids idRangeDense } } }`);
    expect(page.errors).toBeUndefined();
    expect(page.data!.customerColumns.columns.idRangeDense).toBe(true);
    const counts = h.queries.statements.filter((sql) => /BETWEEN/.test(sql));
    expect(counts).toHaveLength(1);
    expect(counts[0]).toMatch(/LIMIT/);
  });

  it('holds for any order of the ids, and up to twice as many customers in the range as on the page', async () => {
    expect(await dense(ids.slice(100, 400).reverse())).toBe(true);
    // Every other customer: 300 ids over a range of 599.
    expect(await dense(ids.slice(0, 600).filter((_, i) => i % 2 === 0))).toBe(true);
  });

  it('is false when the range holds more than twice the page: every third customer, or a filtered page', async () => {
    expect(await dense(ids.filter((_, i) => i % 3 === 0))).toBe(false);
    const filtered = await h.execute(`{ customerColumns(first: 1000, filter: { segments: [B] }) { columns { ids idRangeDense } } }`);
    expect(filtered.errors).toBeUndefined();
    const { columns } = filtered.data!.customerColumns;
    expect(columns.ids.length).toBeGreaterThanOrEqual(ID_RANGE_MIN_IDS);
    expect(columns.ids.length).toBeLessThan(500);
    expect(columns.idRangeDense).toBe(false);
  });

  it('is false without a statement for a page smaller than ID_RANGE_MIN_IDS', async () => {
    h.queries.reset();
    expect(await dense(ids.slice(0, ID_RANGE_MIN_IDS - 1))).toBe(false);
    expect(h.queries.statements.filter((sql) => /BETWEEN/.test(sql))).toHaveLength(0);
  });
});
