import { keyAccountsSubgraph } from '.';
import { FakeCustomerDirectory, subgraphHarness, type SubgraphHarness } from '../../test/support/harness';
import { idsInOrder, readAsRangeAndList } from '../../test/support/id-range';
import { createKeyAccountsLoaders } from './key-accounts.loaders';

let h: SubgraphHarness;
const directory = new FakeCustomerDirectory().add('o1', 'ORGANIZATION').add('o2', 'ORGANIZATION').add('o3', 'ORGANIZATION').add('p1', 'PERSON');
const ACCOUNT = `id name tier since annualRevenueTarget { amount currency } manager { name region } members { id }`;
const CREATE = `mutation($input: CreateKeyAccountInput!) { createKeyAccount(input: $input) { ${ACCOUNT} } }`;
const MANAGER = `mutation($input: CreateKeyAccountManagerInput!) { createKeyAccountManager(input: $input) { id name } }`;
const LIST = `query($tiers: [KeyAccountTier!], $managerId: ID, $first: Int, $after: String) { keyAccounts(tiers: $tiers, managerId: $managerId, first: $first, after: $after) {
  totalCount nodes { name tier } pageInfo { hasNextPage endCursor } } }`;

async function ok(query: string, variables?: Record<string, unknown>): Promise<any> {
  const result = await h.execute(query, variables);
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data;
}

let anna: string;
let bernd: string;
let alpha: string;

beforeAll(async () => {
  h = await subgraphHarness(keyAccountsSubgraph, createKeyAccountsLoaders('EUR'), { customerDirectory: directory });
  anna = (await ok(MANAGER, { input: { name: 'Anna Nord', email: 'anna@c360.example', region: 'Nord' } })).createKeyAccountManager.id;
  bernd = (await ok(MANAGER, { input: { name: 'Bernd Süd', email: 'bernd@c360.example', region: 'Süd' } })).createKeyAccountManager.id;
  alpha = (await ok(CREATE, { input: { name: 'Alpha Gruppe', tier: 'STRATEGIC', managerId: anna, annualRevenueTarget: '1200000', memberIds: ['o1', 'o2'] } }))
    .createKeyAccount.id;
});
afterAll(async () => {
  await h?.close();
});

describe('key accounts', () => {
  it('creates a key account with its manager, members and target', async () => {
    const account = (await ok(`query($id: ID!) { keyAccount(id: $id) { ${ACCOUNT} } }`, { id: alpha })).keyAccount;
    expect(account).toMatchObject({
      name: 'Alpha Gruppe',
      tier: 'STRATEGIC',
      since: '2026-11-22',
      annualRevenueTarget: { amount: '1200000.00', currency: 'EUR' },
      manager: { name: 'Anna Nord', region: 'Nord' },
      members: [{ id: 'o1' }, { id: 'o2' }],
    });
    const customers = await ok(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { id keyAccount { name } } } }`, {
      r: ['o1', 'o3'].map((id) => ({ __typename: 'Customer', id })),
    });
    expect(customers._entities).toEqual([
      { id: 'o1', keyAccount: { name: 'Alpha Gruppe' } },
      { id: 'o3', keyAccount: null },
    ]);
  });

  it("reads a customer's key account and its manager in one statement, for one customer or many", async () => {
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { id keyAccount { name tier manager { name region } } } } }`;
    for (const ids of [['o1'], ['o1', 'o2', 'o3', 'p1']]) {
      h.queries.reset();
      const data = await ok(query, { r: ids.map((id) => ({ __typename: 'Customer', id })) });
      expect(h.queries.count).toBe(1);
      expect(data._entities[0]).toEqual({ id: 'o1', keyAccount: { name: 'Alpha Gruppe', tier: 'STRATEGIC', manager: { name: 'Anna Nord', region: 'Nord' } } });
      if (ids.length > 1)
        expect(data._entities.slice(1).map((e: { keyAccount: unknown }) => e.keyAccount)).toEqual([
          { name: 'Alpha Gruppe', tier: 'STRATEGIC', manager: { name: 'Anna Nord', region: 'Nord' } },
          null,
          null,
        ]);
    }
  });

  it.each([
    ['memberIds', { memberIds: ['p1'] }, 'BAD_USER_INPUT'],
    ['memberIds', { memberIds: ['o1'] }, 'BAD_USER_INPUT'],
    ['annualRevenueTarget', { annualRevenueTarget: '0' }, 'BAD_USER_INPUT'],
    ['name', { name: ' ' }, 'BAD_USER_INPUT'],
    [undefined, { memberIds: ['ghost'] }, 'NOT_FOUND'],
    [undefined, { managerId: 'ghost' }, 'NOT_FOUND'],
  ])('refuses a bad %s', async (field, change, code) => {
    const input = { name: 'Beta', tier: 'KEY', managerId: bernd, annualRevenueTarget: '1000.00', memberIds: ['o3'], ...change };
    const result = await h.execute(CREATE, { input });
    expect(result.errors?.[0]?.extensions?.code).toBe(code);
    if (field) expect(result.errors?.[0]?.extensions?.field).toBe(field);
    const [{ n }] = await h.dataSource.query("SELECT COUNT(*) AS n FROM key_accounts WHERE name = 'Beta'");
    expect(Number(n)).toBe(0);
  });

  it('adds and removes members, one key account per customer', async () => {
    const beta = (await ok(CREATE, { input: { name: 'Beta Holding', tier: 'KEY', managerId: bernd, annualRevenueTarget: '500000', memberIds: [] } }))
      .createKeyAccount.id;
    const taken = await h.execute(`mutation { addKeyAccountMember(keyAccountId: "${beta}", customerId: "o1") { id } }`);
    expect(taken.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'customerId' });
    const person = await h.execute(`mutation { addKeyAccountMember(keyAccountId: "${beta}", customerId: "p1") { id } }`);
    expect(person.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await ok(`mutation { addKeyAccountMember(keyAccountId: "${beta}", customerId: "o3") { members { id } } }`)).addKeyAccountMember.members).toEqual([
      { id: 'o3' },
    ]);
    expect(
      (await ok(`mutation { removeKeyAccountMember(keyAccountId: "${beta}", customerId: "o3") { members { id } } }`)).removeKeyAccountMember.members,
    ).toEqual([]);
    const notMember = await h.execute(`mutation { removeKeyAccountMember(keyAccountId: "${beta}", customerId: "o3") { id } }`);
    expect(notMember.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'customerId' });
    const unknown = await h.execute(`mutation { addKeyAccountMember(keyAccountId: "nope", customerId: "o3") { id } }`);
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('lets only one of two concurrent key accounts take a customer', async () => {
    const results = await Promise.all(
      ['Gamma', 'Delta'].map((name) =>
        h.execute(CREATE, { input: { name, tier: 'DEVELOPMENT', managerId: anna, annualRevenueTarget: '1.00', memberIds: ['o3'] } }),
      ),
    );
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    const [{ n }] = await h.dataSource.query("SELECT COUNT(*) AS n FROM key_account_members WHERE customer_id = 'o3'");
    expect(Number(n)).toBe(1);
  });

  it('reassigns the manager', async () => {
    const moved = (await ok(`mutation { assignKeyAccountManager(keyAccountId: "${alpha}", managerId: "${bernd}") { manager { name } } }`))
      .assignKeyAccountManager;
    expect(moved.manager.name).toBe('Bernd Süd');
    const managers = (await ok(`{ keyAccountManagers { name keyAccounts { name } } }`)).keyAccountManagers;
    expect(managers.find((m: { name: string }) => m.name === 'Bernd Süd').keyAccounts.map((a: { name: string }) => a.name)).toContain('Alpha Gruppe');
  });

  it('lists key accounts by name, filtered by tiers and manager, across pages', async () => {
    const all = (await ok(LIST, { first: 2 })).keyAccounts;
    expect(all.totalCount).toBe(3);
    const rest = (await ok(LIST, { first: 2, after: all.pageInfo.endCursor })).keyAccounts;
    expect([...all.nodes, ...rest.nodes].map((n: { name: string }) => n.name)).toEqual(['Alpha Gruppe', 'Beta Holding', expect.stringMatching(/Gamma|Delta/)]);
    expect((await ok(LIST, { tiers: ['STRATEGIC', 'KEY'] })).keyAccounts.nodes.map((n: { name: string }) => n.name)).toEqual(['Alpha Gruppe', 'Beta Holding']);
    expect((await ok(LIST, { managerId: anna })).keyAccounts.totalCount).toBe(1);
  });
});

describe('healthScore', () => {
  it('computes the documented formula from the figures the gateway passes in', async () => {
    const reps = [
      {
        __typename: 'Customer',
        id: 'o1',
        overdueBalance: { amount: '0.00' },
        openComplaintCount: 0,
        lastContactAt: '2026-11-20T10:00:00.000Z',
        recentSatisfaction: 5,
        contactDataAvailable: true,
      },
      {
        __typename: 'Customer',
        id: 'o2',
        overdueBalance: { amount: '500.00' },
        openComplaintCount: 2,
        lastContactAt: null,
        recentSatisfaction: null,
        contactDataAvailable: true,
      },
    ];
    const data = await ok(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { healthScore } } }`, { r: reps });
    // o2: 100 − 20 (overdue) − 20 (complaints) − 20 (no contact) − 7.5 (unrated) = 32.5 → 33
    expect(data._entities).toEqual([{ healthScore: 100 }, { healthScore: 33 }]);
  });

  it("answers null with the missing service's retryable error when an input subgraph could not answer", async () => {
    const base = {
      __typename: 'Customer',
      id: 'o1',
      overdueBalance: { amount: '0.00' },
      openComplaintCount: 0,
      lastContactAt: null,
      recentSatisfaction: null,
      contactDataAvailable: true,
    };
    const reps = [{ ...base, overdueBalance: null }, { ...base, openComplaintCount: null }, { ...base, contactDataAvailable: null }, base];
    const result = await h.execute(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { healthScore } } }`, { r: reps });
    expect(result.data?._entities).toEqual([{ healthScore: null }, { healthScore: null }, { healthScore: null }, { healthScore: 73 }]);
    expect(result.errors?.map((e) => [e.path, e.extensions?.serviceName, e.extensions?.retryable])).toEqual([
      [['_entities', 0, 'healthScore'], 'billing', true],
      [['_entities', 1, 'healthScore'], 'claims', true],
      [['_entities', 2, 'healthScore'], 'contacts', true],
    ]);
  });
});

describe('CustomerColumns', () => {
  const COLUMNS = `query($r: [_Any!]!) { _entities(representations: $r) { ... on CustomerColumns { ids healthScore keyAccount { name } } } }`;
  const page = {
    __typename: 'CustomerColumns',
    ids: ['o1', 'p1', 'o2'],
    overdueBalance: ['0.00', '0.00', '500.00'],
    openComplaintCount: [0, 0, 2],
    lastContactAt: ['2026-11-20T10:00:00.000Z', null, null],
    recentSatisfaction: [5, 3, null],
    contactDataAvailable: true,
  };

  it('answers each column in the order of ids, with the figures of the same Customer fields', async () => {
    const columns = (await ok(COLUMNS, { r: [page] }))._entities[0];
    const one = await ok(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { healthScore keyAccount { name } } } }`, {
      r: page.ids.map((id, i) => ({
        __typename: 'Customer',
        id,
        overdueBalance: { amount: page.overdueBalance[i] },
        openComplaintCount: page.openComplaintCount[i],
        lastContactAt: page.lastContactAt[i],
        recentSatisfaction: page.recentSatisfaction[i],
        contactDataAvailable: true,
      })),
    });
    expect(columns.ids).toEqual(page.ids);
    expect(columns.healthScore).toEqual(one._entities.map((c: { healthScore: number }) => c.healthScore));
    expect(columns.healthScore).toEqual([100, 73, 33]);
    expect(columns.keyAccount).toEqual(one._entities.map((c: { keyAccount: unknown }) => c.keyAccount));
    // p1, a person, belongs to no key account; o1 joined one above.
    expect(columns.keyAccount[1]).toBeNull();
    expect(columns.keyAccount[0]).toEqual({ name: expect.any(String) });
  });

  it("fails the health column with the missing service's retryable error, and refuses an oversized page or a column of another length", async () => {
    const missing = await h.execute(COLUMNS, { r: [{ ...page, overdueBalance: null }] });
    expect(missing.errors?.map((e) => [e.path, e.extensions?.serviceName, e.extensions?.retryable])).toEqual([
      [['_entities', 0, 'healthScore'], 'billing', true],
    ]);
    const short = await h.execute(COLUMNS, { r: [{ ...page, overdueBalance: ['0.00'] }] });
    expect(short.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'overdueBalance' });
    const ids = Array.from({ length: 5001 }, (_, i) => `c${i}`);
    const oversized = await h.execute(COLUMNS, { r: [{ ...page, ids }] });
    expect(oversized.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(oversized.errors)).not.toContain('c5000');
  });

  it('reads a page its customers subgraph calls dense as one range, and answers exactly as from the IN list', async () => {
    // 210 organisations in creation order; the page leaves out one that is a member, inside the range.
    const ids = idsInOrder(210);
    for (const id of ids) directory.add(id, 'ORGANIZATION');
    await ok(CREATE, { input: { name: 'Range Gruppe', tier: 'KEY', managerId: bernd, annualRevenueTarget: '1000', memberIds: [ids[3], ids[5], ids[209]] } });
    const onPage = ids.filter((_, i) => i !== 5);
    const columns = await readAsRangeAndList(h, 'key_account_members', async (idRangeDense) => {
      const r = [{ __typename: 'CustomerColumns', ids: [...onPage], idRangeDense }];
      return (await ok(`query($r: [_Any!]!) { _entities(representations: $r) { ... on CustomerColumns { ids keyAccount { name } } } }`, { r }))._entities[0];
    });
    expect(columns.keyAccount).toEqual(onPage.map((id) => (id === ids[3] || id === ids[209] ? { name: 'Range Gruppe' } : null)));
  });
});
