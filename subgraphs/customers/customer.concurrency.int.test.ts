import { customersSubgraph } from '.';
import { DATABASE_KINDS, databaseOf } from '../../test/support/database';
import { subgraphHarness, type SubgraphHarness } from '../../test/support/harness';
import { createCustomerLoaders } from './customer.loaders';

const CREATE = `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id customerNumber version } }`;
const UPDATE = `mutation($id: ID!, $v: Int!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, expectedVersion: $v, input: $input) { version segment } }`;

// Every race runs on the production database and on the embedded SQLite default.
describe.each(DATABASE_KINDS)('customers under concurrency on %s', (kind) => {
  let h: SubgraphHarness;
  beforeAll(async () => {
    h = await subgraphHarness(customersSubgraph, createCustomerLoaders, { database: databaseOf(kind, 'customers') });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('gives 200 concurrent creates 200 customers with distinct numbers, none failing', async () => {
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => h.execute(CREATE, { input: { kind: 'PERSON', firstName: 'Para', lastName: `Llel ${i}` } })),
    );
    expect(results.filter((r) => r.errors)).toEqual([]);
    const numbers = results.map((r) => r.data!.createCustomer.customerNumber as string);
    expect(new Set(numbers).size).toBe(200);
    for (const n of numbers) expect(n).toMatch(/^C-\d{6}$/);
    const rows: { n: unknown; numbers: unknown }[] = await h.dataSource.query(
      "SELECT COUNT(*) AS n, COUNT(DISTINCT customer_number) AS numbers FROM customers WHERE last_name LIKE 'Llel %'",
    );
    expect(rows.map((r) => [Number(r.n), Number(r.numbers)])).toEqual([[200, 200]]);
  });

  it('lets one of ten concurrent updates of one version win; the others report the stored version and write nothing', async () => {
    const id = (await h.execute(CREATE, { input: { kind: 'PERSON', firstName: 'Vera', lastName: 'Version' } })).data!.createCustomer.id;
    const segments = ['A', 'B', 'A', 'B', 'A', 'B', 'A', 'B', 'A', 'B'];
    const results = await Promise.all(segments.map((segment) => h.execute(UPDATE, { id, v: 1, input: { segment } })));
    const won = results.filter((r) => !r.errors);
    expect(won).toHaveLength(1);
    const lost = results.filter((r) => r.errors).map((r) => r.errors![0]!.extensions);
    expect(lost).toHaveLength(9);
    for (const e of lost) expect(e).toMatchObject({ code: 'VERSION_CONFLICT', expectedVersion: 1, actualVersion: 2 });
    const [row] = await h.dataSource.query('SELECT version, segment FROM customers WHERE id = ?', [id]);
    expect(Number(row.version)).toBe(2);
    expect(row.segment).toBe(won[0]!.data!.updateCustomer.segment);
  });
});
