import { customersSubgraph } from '.';
import { DATABASE_KINDS, databaseOf } from '../../test/support/database';
import { subgraphHarness, type SubgraphHarness } from '../../test/support/harness';
import { createCustomerLoaders } from './customer.loaders';

const CREATE = `mutation { createCustomer(input: { kind: PERSON, firstName: "Rita", lastName: "Race" }) { id } }`;
const REQUEST = `mutation($c: ID!, $i: UpdateCustomerInput!) { requestCustomerChange(customerId: $c, expectedVersion: 1, input: $i, reason: "race") { id status } }`;
const APPROVE = `mutation($id: ID!) { approveChangeRequest(id: $id) { status } }`;
const REJECT = `mutation($id: ID!) { rejectChangeRequest(id: $id, reason: "no") { status } }`;

const agent = { sub: 'anna.agent', roles: ['agent'], kind: 'user' as const };
const supervisor = (i: number) => ({ sub: `sup.${i}`, roles: ['supervisor'], kind: 'user' as const });

// Every race runs on the production database and on the embedded SQLite default.
describe.each(DATABASE_KINDS)('change requests under concurrency on %s', (kind) => {
  let h: SubgraphHarness;
  beforeAll(async () => {
    h = await subgraphHarness(customersSubgraph, createCustomerLoaders, { database: databaseOf(kind, 'customers') });
  });
  afterAll(async () => {
    await h?.close();
  });

  const customer = async () => (await h.execute<{ createCustomer: { id: string } }>(CREATE)).data!.createCustomer.id;
  const request = async (c: string, lastName: string) =>
    (await h.executeAs<{ requestCustomerChange: { id: string } }>(agent, REQUEST, { c, i: { lastName } })).data!.requestCustomerChange.id;
  const row = async (id: string) => (await h.dataSource.query('SELECT last_name, version FROM customers WHERE id = ?', [id]))[0];
  const status = async (id: string) => (await h.dataSource.query('SELECT status FROM change_requests WHERE id = ?', [id]))[0].status;

  it('of ten supervisors approving one request at once exactly one applies it; the others write nothing', async () => {
    const c = await customer();
    const id = await request(c, 'Eins');
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => h.executeAs<{ approveChangeRequest: { status: string } }>(supervisor(i), APPROVE, { id })),
    );
    expect(results.filter((r) => r.data?.approveChangeRequest.status === 'APPROVED')).toHaveLength(1);
    expect(results.filter((r) => r.errors?.[0]?.extensions?.code === 'INVALID_TRANSITION')).toHaveLength(9);
    expect(await row(c)).toMatchObject({ last_name: 'Eins' });
    expect(Number((await row(c)).version)).toBe(2);
    expect(await status(id)).toBe('APPROVED');
    const audit = await h.dataSource.query(`SELECT COUNT(*) AS n FROM audit_events WHERE action = 'updateCustomer' AND entity_id = ?`, [c]);
    expect(Number(audit[0].n)).toBe(1);
  });

  it('of five requests against one version approved at once one applies, four are SUPERSEDED', async () => {
    const c = await customer();
    const ids = await Promise.all(['A1', 'A2', 'A3', 'A4', 'A5'].map((n) => request(c, n)));
    const results = await Promise.all(ids.map((id, i) => h.executeAs<{ approveChangeRequest: { status: string } }>(supervisor(i), APPROVE, { id })));
    expect(results.map((r) => r.data?.approveChangeRequest.status).sort()).toEqual(['APPROVED', 'SUPERSEDED', 'SUPERSEDED', 'SUPERSEDED', 'SUPERSEDED']);
    const winner = ids[results.findIndex((r) => r.data?.approveChangeRequest.status === 'APPROVED')]!;
    const applied = await h.dataSource.query('SELECT payload FROM change_requests WHERE id = ?', [winner]);
    expect(await row(c)).toMatchObject({ last_name: JSON.parse(applied[0].payload).lastName });
    expect(Number((await row(c)).version)).toBe(2);
  });

  it('an approval and a rejection at once: one wins, and the customer shows exactly its outcome', async () => {
    for (let round = 0; round < 5; round++) {
      const c = await customer();
      const id = await request(c, `R${round}`);
      const [approve, reject] = await Promise.all([h.executeAs(supervisor(1), APPROVE, { id }), h.executeAs(supervisor(2), REJECT, { id })]);
      expect([approve, reject].filter((r) => !r.errors)).toHaveLength(1);
      const final = await status(id);
      expect(final).toBe(approve.errors ? 'REJECTED' : 'APPROVED');
      expect((await row(c)).last_name).toBe(final === 'APPROVED' ? `R${round}` : 'Race');
    }
  });

  it('stores fifty concurrent requests, each PENDING with its own audit row', async () => {
    const c = await customer();
    const ids = await Promise.all(Array.from({ length: 50 }, (_, i) => request(c, `N${i}`)));
    expect(new Set(ids).size).toBe(50);
    const rows = await h.dataSource.query(`SELECT COUNT(*) AS n FROM change_requests WHERE customer_id = ? AND status = 'PENDING'`, [c]);
    expect(Number(rows[0].n)).toBe(50);
    const audit = await h.dataSource.query(`SELECT COUNT(*) AS n FROM audit_events WHERE action = 'requestChange'`);
    expect(Number(audit[0].n)).toBeGreaterThanOrEqual(50);
  });
});
