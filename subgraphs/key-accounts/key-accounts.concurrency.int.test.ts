import { keyAccountsSubgraph } from '.';
import { DATABASE_KINDS, databaseOf } from '../../test/support/database';
import { FakeCustomerDirectory, subgraphHarness, type SubgraphHarness } from '../../test/support/harness';
import { createKeyAccountsLoaders } from './key-accounts.loaders';

const MANAGER = `mutation($input: CreateKeyAccountManagerInput!) { createKeyAccountManager(input: $input) { id } }`;
const CREATE = `mutation($input: CreateKeyAccountInput!) { createKeyAccount(input: $input) { id } }`;
const ADD = `mutation($k: ID!, $c: ID!) { addKeyAccountMember(keyAccountId: $k, customerId: $c) { id } }`;
const REMOVE = `mutation($k: ID!, $c: ID!) { removeKeyAccountMember(keyAccountId: $k, customerId: $c) { id } }`;

// Every race runs on the production database and on the embedded SQLite default.
describe.each(DATABASE_KINDS)('key accounts under concurrency on %s', (kind) => {
  let h: SubgraphHarness;
  const ok = async (query: string, variables: Record<string, unknown>): Promise<any> => {
    const result = await h.execute(query, variables);
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return result.data;
  };
  beforeAll(async () => {
    const directory = new FakeCustomerDirectory().add('o1', 'ORGANIZATION').add('o2', 'ORGANIZATION');
    h = await subgraphHarness(keyAccountsSubgraph, createKeyAccountsLoaders('EUR'), {
      database: databaseOf(kind, 'key-accounts'),
      customerDirectory: directory,
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('gives a customer to exactly one of six key accounts that claim it at once', async () => {
    const manager = (await ok(MANAGER, { input: { name: 'Anna Nord', email: 'anna@c360.example', region: 'Nord' } })).createKeyAccountManager.id;
    const accounts: string[] = [];
    for (let i = 0; i < 6; i++) {
      accounts.push(
        (await ok(CREATE, { input: { name: `Gruppe ${i}`, tier: 'KEY', managerId: manager, annualRevenueTarget: '1000', memberIds: [] } })).createKeyAccount.id,
      );
    }
    const results = await Promise.all(accounts.map((k) => h.execute(ADD, { k, c: 'o1' })));
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    for (const r of results.filter((r) => r.errors)) expect(r.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'customerId' });
    const rows: { key_account_id: string }[] = await h.dataSource.query("SELECT key_account_id FROM key_account_members WHERE customer_id = 'o1'");
    expect(rows).toEqual([{ key_account_id: accounts[results.findIndex((r) => !r.errors)] }]);
  });

  it('removes a member once when six removals race, leaving one history row of the ended membership', async () => {
    const manager = (await ok(MANAGER, { input: { name: 'Ben Sued', email: 'ben@c360.example', region: 'Sued' } })).createKeyAccountManager.id;
    const account = (await ok(CREATE, { input: { name: 'Gruppe R', tier: 'KEY', managerId: manager, annualRevenueTarget: '1000', memberIds: ['o2'] } }))
      .createKeyAccount.id;
    const results = await Promise.all(Array.from({ length: 6 }, () => h.execute(REMOVE, { k: account, c: 'o2' })));
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    for (const r of results.filter((r) => r.errors)) expect(r.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'customerId' });
    expect(await h.dataSource.query("SELECT customer_id FROM key_account_members WHERE customer_id = 'o2'")).toEqual([]);
    const history: { key_account_id: string }[] = await h.dataSource.query("SELECT key_account_id FROM key_account_member_history WHERE customer_id = 'o2'");
    expect(history).toEqual([{ key_account_id: account }]);
  });
});
