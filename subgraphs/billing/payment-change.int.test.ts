import { billingSubgraph } from '.';
import { DATABASE_KINDS, databaseOf } from '../../test/support/database';
import { FakeCustomerDirectory, subgraphHarness, type SubgraphHarness } from '../../test/support/harness';
import { DEFAULT_POLICY } from './billing.policy';
import { createBillingLoaders } from './billing.loaders';
import type { DisputeSource } from './dispute-source';

const REQUEST = `mutation($c: ID!, $iban: String) { requestPaymentMethodChange(customerId: $c, input: { type: SEPA_DIRECT_DEBIT, iban: $iban }, reason: "mandate") { id status changes { field newValue } } }`;
const DECIDE = `mutation($id: ID!, $approve: Boolean!) { _decideChangeRequestOfBilling(id: $id, approve: $approve, reason: "checked") }`;
const DIRECT = `mutation($c: ID!) { changePaymentMethod(customerId: $c, input: { type: BANK_TRANSFER }) { type } }`;
const IBANS = ['DE89370400440532013000', 'GB82WEST12345698765432', 'FR1420041010050500013M02606', 'NL91ABNA0417164300'];

const collections = { sub: 'carla.collections', roles: ['collections'], kind: 'user' as const };
const supervisor = (i: number) => ({ sub: `sup.${i}`, roles: ['supervisor'], kind: 'user' as const });
const noDisputes: DisputeSource = { disputed: async () => new Set() };

describe.each(DATABASE_KINDS)('payment-method change requests on %s', (kind) => {
  let h: SubgraphHarness;
  const directory = new FakeCustomerDirectory();
  beforeAll(async () => {
    h = await subgraphHarness(billingSubgraph, createBillingLoaders({ policy: DEFAULT_POLICY, disputes: noDisputes }), {
      database: databaseOf(kind, 'billing'),
      customerDirectory: directory,
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  const request = async (c: string, iban: string) => {
    const r = await h.executeAs<{ requestPaymentMethodChange: { id: string; status: string; changes: { field: string; newValue: string }[] } }>(
      collections,
      REQUEST,
      { c, iban },
    );
    expect(r.errors).toBeUndefined();
    return r.data!.requestPaymentMethodChange;
  };
  const decide = (i: number, id: string, approve = true) => h.executeAs<{ _decideChangeRequestOfBilling: string }>(supervisor(i), DECIDE, { id, approve });

  it('refuses a direct change by collections, keeps the IBAN masked, and refuses a bad IBAN without a row', async () => {
    directory.add('c1', 'PERSON');
    expect((await h.executeAs(collections, DIRECT, { c: 'c1' })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await h.execute(DIRECT, { c: 'c1' })).errors).toBeUndefined();
    const made = await request('c1', IBANS[0]!);
    expect(made.changes.find((c) => c.field === 'iban')!.newValue).toBe('DE****************3000');
    const bad = await h.executeAs(collections, REQUEST, { c: 'c1', iban: 'DE00123' });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'iban' });
    expect(JSON.stringify(bad.errors)).not.toContain('DE00123');
    const rows = await h.dataSource.query(`SELECT COUNT(*) AS n FROM change_requests WHERE customer_id = 'c1'`);
    expect(Number(rows[0].n)).toBe(1);
  });

  it('of four requests approved at once one applies its IBAN; the others are SUPERSEDED and write nothing', async () => {
    directory.add('c2', 'ORGANIZATION');
    const made = await Promise.all(IBANS.map((iban) => request('c2', iban)));
    const results = await Promise.all(made.map((m, i) => decide(i, m.id)));
    expect(results.filter((r) => r.errors)).toEqual([]);
    const statuses = results.map((r) => (JSON.parse(r.data!._decideChangeRequestOfBilling) as { status: string }).status);
    expect(statuses.sort()).toEqual(['APPROVED', 'SUPERSEDED', 'SUPERSEDED', 'SUPERSEDED']);
    const methods = await h.dataSource.query(`SELECT iban FROM payment_methods WHERE customer_id = 'c2'`);
    expect(methods).toHaveLength(1);
    const approved = await h.dataSource.query(`SELECT payload FROM change_requests WHERE customer_id = 'c2' AND status = 'APPROVED'`);
    expect(methods[0].iban).toBe(JSON.parse(approved[0].payload).iban);
  });

  it('of six supervisors deciding one request at once exactly one succeeds', async () => {
    directory.add('c3', 'PERSON');
    const { id } = await request('c3', IBANS[1]!);
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => decide(i, id, i % 2 === 0)));
    const won = results.filter((r) => !r.errors);
    expect(won).toHaveLength(1);
    expect(results.filter((r) => r.errors?.[0]?.extensions?.code === 'INVALID_TRANSITION')).toHaveLength(5);
    const status = (JSON.parse(won[0]!.data!._decideChangeRequestOfBilling) as { status: string }).status;
    const methods = await h.dataSource.query(`SELECT COUNT(*) AS n FROM payment_methods WHERE customer_id = 'c3'`);
    expect(Number(methods[0].n)).toBe(status === 'APPROVED' ? 1 : 0);
    const stored = await h.dataSource.query('SELECT status FROM change_requests WHERE id = ?', [id]);
    expect(stored[0].status).toBe(status);
  });
});
