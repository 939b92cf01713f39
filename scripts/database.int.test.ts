import { customersSubgraph } from '../subgraphs/customers';
import { formatCustomerNumber } from '../subgraphs/customers/customer.service';
import { createCustomerLoaders } from '../subgraphs/customers/customer.loaders';
import { seedUniverse, utcDate } from '../subgraphs/platform';
import { subgraphHarness, type SubgraphHarness } from '../test/support/harness';
import { clearTables } from './database';

let h: SubgraphHarness;
const today = utcDate(new Date());
const seed = () => customersSubgraph.seed(h.dataSource, { size: 'demo', customers: seedUniverse('demo', today), today, shared: {} });

beforeAll(async () => {
  h = await subgraphHarness(customersSubgraph, createCustomerLoaders);
});
afterAll(async () => {
  await h?.close();
});

describe('db:seed -- --reset (clearTables, then the seed)', () => {
  it('replaces the data, number sequence included: the seed numbers from 1 again and a new customer follows it', async () => {
    await seed();
    await clearTables(h.dataSource);
    await seed();
    const [row] = (await h.dataSource.query('SELECT COUNT(*) AS n, MIN(number_seq) AS low, MAX(number_seq) AS high FROM customers')) as Record<
      string,
      unknown
    >[];
    expect([Number(row!.n), Number(row!.low), Number(row!.high)]).toEqual([1000, 1, 1000]);
    const created = await h.execute(`mutation { createCustomer(input: { kind: PERSON, firstName: "Nach", lastName: "Reset" }) { customerNumber } }`);
    expect(created.errors).toBeUndefined();
    expect(created.data!.createCustomer.customerNumber).toBe(formatCustomerNumber(1001));
  });
});
