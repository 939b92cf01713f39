import { customersSubgraph } from '.';
import { subgraphHarness, type SubgraphHarness } from '../../test/support/harness';
import { createCustomerLoaders } from './customer.loaders';
import { EXPORT_THRESHOLD } from './customer.service';

const FIELDS = `id customerNumber kind displayName segment status customerSince email phone preferredChannel version createdAt updatedAt
  addresses { type street postalCode city country }`;
const CREATE = `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $v: Int!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, expectedVersion: $v, input: $input) { ${FIELDS} } }`;
const LIST = `query($filter: CustomerFilter, $first: Int, $after: String) {
  customers(filter: $filter, first: $first, after: $after) { nodes { id customerNumber displayName } pageInfo { hasNextPage endCursor } totalCount } }`;

let h: SubgraphHarness;

async function create(input: Record<string, unknown>) {
  const result = await h.execute(CREATE, { input });
  expect(result.errors).toBeUndefined();
  return result.data!.createCustomer;
}

function person(firstName: string, lastName: string, extra: Record<string, unknown> = {}) {
  return { kind: 'PERSON', firstName, lastName, ...extra };
}

beforeAll(async () => {
  h = await subgraphHarness(customersSubgraph, createCustomerLoaders);
});
afterAll(async () => {
  await h?.close();
});

describe('createCustomer', () => {
  it('stores a person with normalised contact data and addresses', async () => {
    const c = await create(
      person(' Erika ', 'Mustermann', {
        email: 'erika@example.de',
        phone: '+49 30 123456',
        preferredChannel: 'EMAIL',
        segment: 'A',
        addresses: [{ type: 'POSTAL', street: 'Hauptstr. 1', postalCode: '10115', city: 'Berlin', country: 'de' }],
      }),
    );
    expect(c).toMatchObject({
      kind: 'PERSON',
      displayName: 'Erika Mustermann',
      segment: 'A',
      status: 'ACTIVE',
      customerSince: '2026-11-22',
      phone: '+4930123456',
      version: 1,
      createdAt: '2026-11-22T10:00:00.000Z',
      addresses: [{ type: 'POSTAL', street: 'Hauptstr. 1', postalCode: '10115', city: 'Berlin', country: 'DE' }],
    });
    expect(c.customerNumber).toMatch(/^C-\d{6}$/);
    const read = await h.execute(`query($id: ID!) { customer(id: $id) { ${FIELDS} } }`, { id: c.id });
    expect(read.data!.customer).toEqual(c);
  });

  it('gives organisations their company name as display name and numbers customers in sequence', async () => {
    const a = await create({ kind: 'ORGANIZATION', companyName: 'Muster GmbH' });
    const b = await create({ kind: 'ORGANIZATION', companyName: 'Beispiel AG' });
    expect(a.displayName).toBe('Muster GmbH');
    expect(a.segment).toBe('C');
    expect(Number(b.customerNumber.slice(2))).toBe(Number(a.customerNumber.slice(2)) + 1);
  });

  it.each([
    ['email', person('A', 'B', { email: 'not-an-email' })],
    ['email', person('A', 'B', { email: 'a@b' })],
    ['phone', person('A', 'B', { phone: '030 123456' })],
    ['phone', person('A', 'B', { phone: '+0123456' })],
    ['phone', person('A', 'B', { phone: '+1234567890123456' })],
    ['addresses[0].country', person('A', 'B', { addresses: [{ type: 'POSTAL', street: 's', postalCode: '1', city: 'c', country: 'XX' }] })],
    ['addresses[0].country', person('A', 'B', { addresses: [{ type: 'POSTAL', street: 's', postalCode: '1', city: 'c', country: 'DEU' }] })],
    ['addresses[1].type', person('A', 'B', { addresses: [1, 2].map(() => ({ type: 'POSTAL', street: 's', postalCode: '1', city: 'c', country: 'DE' })) })],
    ['addresses[0].street', person('A', 'B', { addresses: [{ type: 'POSTAL', street: ' ', postalCode: '1', city: 'c', country: 'DE' }] })],
    ['firstName', { kind: 'PERSON', lastName: 'B' }],
    ['lastName', { kind: 'PERSON', firstName: 'A', lastName: '  ' }],
    ['companyName', person('A', 'B', { companyName: 'X GmbH' })],
    ['companyName', { kind: 'ORGANIZATION' }],
    ['firstName', { kind: 'ORGANIZATION', companyName: 'X', firstName: 'A' }],
    ['firstName', person('A'.repeat(101), 'B')],
    ['customerSince', person('A', 'B', { customerSince: '2026-11-23' })],
  ])('refuses a bad %s with BAD_USER_INPUT and writes nothing', async (field, input) => {
    const before = await h.dataSource.query('SELECT COUNT(*) AS n FROM customers');
    const result = await h.execute(CREATE, { input });
    expect(result.data).toBeNull();
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await h.dataSource.query('SELECT COUNT(*) AS n FROM customers')).toEqual(before);
  });
});

describe('updateCustomer', () => {
  it('changes only the given fields, bumps the version and replaces addresses', async () => {
    const c = await create(person('Max', 'Muster', { email: 'max@example.de', phone: '+4940123456' }));
    h.clock.set(new Date('2026-11-22T11:00:00.000Z'));
    const result = await h.execute(UPDATE, {
      id: c.id,
      v: 1,
      input: { lastName: 'Mustermann', email: null, addresses: [{ type: 'BILLING', street: 'Weg 2', postalCode: '20095', city: 'Hamburg', country: 'DE' }] },
    });
    expect(result.errors).toBeUndefined();
    expect(result.data!.updateCustomer).toMatchObject({
      displayName: 'Max Mustermann',
      email: null,
      phone: '+4940123456',
      version: 2,
      createdAt: c.createdAt,
      updatedAt: '2026-11-22T11:00:00.000Z',
      addresses: [{ type: 'BILLING', city: 'Hamburg' }],
    });
  });

  it('fails with VERSION_CONFLICT on a stale version and leaves the row alone', async () => {
    const c = await create(person('Stale', 'Reader'));
    expect((await h.execute(UPDATE, { id: c.id, v: 1, input: { segment: 'B' } })).errors).toBeUndefined();
    const stale = await h.execute(UPDATE, { id: c.id, v: 1, input: { segment: 'A' } });
    expect(stale.errors?.[0]?.extensions).toMatchObject({ code: 'VERSION_CONFLICT', expectedVersion: 1, actualVersion: 2 });
    const read = await h.execute(`query($id: ID!) { customer(id: $id) { segment version } }`, { id: c.id });
    expect(read.data!.customer).toEqual({ segment: 'B', version: 2 });
  });

  it('lets only one of two concurrent updates with the same version win', async () => {
    const c = await create(person('Race', 'Condition'));
    const results = await Promise.all(['A', 'B'].map((segment) => h.execute(UPDATE, { id: c.id, v: 1, input: { segment } })));
    const codes = results.map((r) => (r.errors ? r.errors[0]!.extensions!.code : 'OK')).sort();
    expect(codes).toEqual(['OK', 'VERSION_CONFLICT']);
  });

  it('answers NOT_FOUND for an unknown id', async () => {
    const result = await h.execute(UPDATE, { id: 'no-such-id', v: 1, input: { segment: 'A' } });
    expect(result.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it.each([
    ['firstName', { firstName: null }],
    ['companyName', { companyName: 'X' }],
    ['segment', { segment: null }],
    ['phone', { phone: '12345' }],
  ])('refuses %s that breaks the rules', async (field, input) => {
    const c = await create(person('Rule', 'Keeper'));
    const result = await h.execute(UPDATE, { id: c.id, v: 1, input });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });
});

describe('queries', () => {
  it('returns null for an unknown id or number', async () => {
    const result = await h.execute(`{ customer(id: "nope") { id } customerByNumber(customerNumber: "C-999999") { id } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ customer: null, customerByNumber: null });
  });

  it('finds a customer by number', async () => {
    const c = await create(person('By', 'Number'));
    const result = await h.execute(`query($n: String!) { customerByNumber(customerNumber: $n) { id } }`, { n: c.customerNumber });
    expect(result.data!.customerByNumber).toEqual({ id: c.id });
  });
});

describe('customers list', () => {
  let ids: Record<string, string>;

  beforeAll(async () => {
    await h.dataSource.query('DELETE FROM customer_addresses');
    await h.dataSource.query('DELETE FROM customers');
    h.clock.set(new Date('2026-11-22T10:00:00.000Z'));
    ids = {};
    const specs: [string, Record<string, unknown>][] = [
      ['anna', person('Anna', 'Schmidt', { segment: 'A', email: 'anna@shop.de', customerSince: '2020-01-15' })],
      ['bernd', person('Bernd', 'Schmidtke', { segment: 'B', status: 'DORMANT', customerSince: '2021-06-01' })],
      ['carla', person('Carla', 'Meyer', { segment: 'C', status: 'CHURNED', email: 'carla@schmidt-partner.de', customerSince: '2022-03-10' })],
      ['acme', { kind: 'ORGANIZATION', companyName: 'ACME 100% GmbH', segment: 'A', customerSince: '2019-12-31' }],
      ['delta', { kind: 'ORGANIZATION', companyName: 'Delta_Werke AG', segment: 'B', status: 'PROSPECT', customerSince: '2026-11-01' }],
    ];
    for (const [key, input] of specs) ids[key] = (await create(input)).id;
  });

  async function names(filter: Record<string, unknown>) {
    const result = await h.execute(LIST, { filter, first: 100 });
    expect(result.errors).toBeUndefined();
    return { ids: result.data!.customers.nodes.map((n: { id: string }) => n.id), total: result.data!.customers.totalCount };
  }

  it.each([
    ['segments', { segments: ['A'] }, ['anna', 'acme']],
    ['segments (any of)', { segments: ['A', 'C'] }, ['anna', 'carla', 'acme']],
    ['statuses', { statuses: ['DORMANT', 'CHURNED'] }, ['bernd', 'carla']],
    ['kinds', { kinds: ['ORGANIZATION'] }, ['acme', 'delta']],
    ['customerSinceFrom', { customerSinceFrom: '2021-06-01' }, ['bernd', 'carla', 'delta']],
    ['customerSinceTo', { customerSinceTo: '2020-01-15' }, ['anna', 'acme']],
    ['search on display name', { search: 'schmidt' }, ['anna', 'bernd', 'carla']],
    ['search on email', { search: 'SHOP.DE' }, ['anna']],
    ['search with a wildcard character', { search: '100%' }, ['acme']],
    ['search with an underscore', { search: 'a_w' }, ['delta']],
    ['all criteria together (AND)', { segments: ['A', 'B'], kinds: ['PERSON'], search: 'schmidt' }, ['anna', 'bernd']],
    ['an empty list as no constraint', { segments: [] }, ['anna', 'bernd', 'carla', 'acme', 'delta']],
  ])('filters by %s', async (_name, filter, expected) => {
    const result = await names(filter);
    expect(result.ids).toEqual(expected.map((k) => ids[k]));
    expect(result.total).toBe(expected.length);
  });

  it('searches by customer number', async () => {
    const number = (await h.execute(`query($id: ID!) { customer(id: $id) { customerNumber } }`, { id: ids.carla })).data!.customer.customerNumber;
    expect((await names({ search: number })).ids).toEqual([ids.carla]);
  });

  it('pages through every customer in number order without duplicates or gaps', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const result: any = await h.execute(LIST, { first: 2, after });
      expect(result.errors).toBeUndefined();
      const page = result.data.customers;
      expect(page.totalCount).toBe(5);
      seen.push(...page.nodes.map((n: { customerNumber: string }) => n.customerNumber));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      pages++;
    } while (after);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    expect([...seen].sort()).toEqual(seen);
  });

  it('defaults first to 20 and refuses more than the cap or a foreign cursor', async () => {
    const tooMany = await h.execute(LIST, { first: 1001 });
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    const negative = await h.execute(LIST, { first: -1 });
    expect(negative.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    const badCursor = await h.execute(LIST, { after: 'garbage' });
    expect(badCursor.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const defaults = await h.execute(LIST, {});
    expect(defaults.data!.customers.nodes).toHaveLength(5);
  });

  it('refuses a date range that ends before it starts', async () => {
    const result = await h.execute(LIST, { filter: { customerSinceFrom: '2022-01-01', customerSinceTo: '2021-01-01' } });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.customerSinceTo' });
  });
});

describe('_entities', () => {
  it('resolves 500 representations with one SQL statement', async () => {
    const existing: { id: string }[] = await h.dataSource.query('SELECT id FROM customers');
    const representations = Array.from({ length: 500 }, (_, i) => ({
      __typename: 'Customer',
      id: i < existing.length ? existing[i]!.id : `missing-${i}`,
    }));
    h.queries.reset();
    const result = await h.execute(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { id displayName } } }`, { r: representations });
    expect(result.errors).toBeUndefined();
    const entities = result.data!._entities as ({ id: string } | null)[];
    expect(entities).toHaveLength(500);
    expect(entities.filter(Boolean).map((e) => e!.id)).toEqual(existing.map((e) => e.id));
    expect(h.queries.count).toBe(1);
  });

  it('reads customers and their addresses in that one statement', async () => {
    const address = (type: string, city: string) => ({ type, street: 'Hauptstr. 1', postalCode: '10115', city, country: 'DE' });
    await create(person('Ada', 'Two', { addresses: [address('POSTAL', 'Berlin'), address('BILLING', 'Hamburg')] }));
    await create(person('Bea', 'One', { addresses: [address('BILLING', 'Köln')] }));
    const rows: { customer_id: string; city: string }[] = await h.dataSource.query('SELECT customer_id, city FROM customer_addresses ORDER BY id');
    expect(rows.length).toBeGreaterThan(0);
    const existing: { id: string }[] = await h.dataSource.query('SELECT id FROM customers');
    h.queries.reset();
    const result = await h.execute(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { id addresses { city } } } }`, {
      r: existing.map(({ id }) => ({ __typename: 'Customer', id })),
    });
    expect(result.errors).toBeUndefined();
    expect(h.queries.count).toBe(1);
    const entities = result.data!._entities as { id: string; addresses: { city: string }[] }[];
    for (const { id, addresses } of entities) {
      expect(addresses.map((a) => a.city)).toEqual(rows.filter((r) => r.customer_id === id).map((r) => r.city));
    }
  });
});

describe('customerColumns', () => {
  const COLUMNS = `ids customerNumber displayName kind segment status customerSince`;

  it('answers the page of customers as columns, with the same cursors, in one statement', async () => {
    const rows = await h.execute(`{ customers(first: 3) { nodes { id ${COLUMNS.replace('ids ', '')} } pageInfo { hasNextPage endCursor } } }`);
    h.queries.reset();
    const result = await h.execute(`{ customerColumns(first: 3) { pageInfo { hasNextPage endCursor } columns { ${COLUMNS} } } }`);
    expect(result.errors).toBeUndefined();
    expect(h.queries.count).toBe(1);
    const nodes = rows.data!.customers.nodes as Record<string, string>[];
    const { columns, pageInfo } = result.data!.customerColumns;
    expect(pageInfo).toEqual(rows.data!.customers.pageInfo);
    expect(columns.ids).toEqual(nodes.map((n) => n.id));
    for (const name of COLUMNS.split(' ').slice(1)) expect(columns[name]).toEqual(nodes.map((n) => n[name]));
  });

  it('answers a page asked for its cursors only with the same cursors, reading the sort keys only', async () => {
    const full = await h.execute(`{ customers(first: 2) { nodes { id } pageInfo { hasNextPage endCursor } } }`);
    h.queries.reset();
    const keys = await h.execute(`{ customerColumns(first: 2) { pageInfo { hasNextPage endCursor } } }`);
    expect(keys.data!.customerColumns.pageInfo).toEqual(full.data!.customers.pageInfo);
    expect(h.queries.statements.join('\n')).not.toMatch(/display_name|email/);
  });

  it('resolves a reference by ids in their order, and refuses an id that names no customer', async () => {
    const made = [await create(person('Cora', 'Col')), await create(person('Dirk', 'Col')), await create(person('Emil', 'Col'))];
    const ids = [made[2].id, made[0].id, made[1].id];
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on CustomerColumns { ids customerNumber } } }`;
    const result = await h.execute(query, { r: [{ __typename: 'CustomerColumns', ids }] });
    expect(result.errors).toBeUndefined();
    const one = await h.execute(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { customerNumber } } }`, {
      r: ids.map((id) => ({ __typename: 'Customer', id })),
    });
    expect(result.data!._entities[0]).toEqual({ ids, customerNumber: one.data!._entities.map((c: { customerNumber: string }) => c.customerNumber) });
    const missing = await h.execute(query, { r: [{ __typename: 'CustomerColumns', ids: [ids[0], '00000000-0000-4000-8000-00000000abcd'] }] });
    expect(missing.errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    expect(JSON.stringify(missing.errors)).not.toContain('abcd');
  });

  it('records a page of more than EXPORT_THRESHOLD customers as an export, reading only the columns it shows', async () => {
    const [{ n }] = (await h.dataSource.query('SELECT COUNT(*) AS n FROM customers')) as { n: unknown }[];
    for (let i = Number(n); i <= EXPORT_THRESHOLD; i++) await create(person('Bulk', `Col${i}`, { email: `bulk${i}@example.de` }));
    const first = EXPORT_THRESHOLD + 1;
    const rows = await h.execute(`{ customers(first: ${first}) { nodes { id ${COLUMNS.replace('ids ', '')} } } }`);
    const exports = async () =>
      ((await h.dataSource.query(`SELECT changes FROM audit_events WHERE action = 'EXPORT' AND entity_type = 'Customer'`)) as { changes: unknown }[]).map(
        (a) => (typeof a.changes === 'string' ? JSON.parse(a.changes) : a.changes) as { field: string; after: unknown }[],
      );
    const before = await exports();
    h.queries.reset();
    const result = await h.execute(`{ customerColumns(first: ${first}) { columns { ${COLUMNS} } } }`);
    expect(result.errors).toBeUndefined();
    const nodes = rows.data!.customers.nodes as Record<string, string>[];
    const { columns } = result.data!.customerColumns;
    expect(columns.ids).toEqual(nodes.map((c) => c.id));
    for (const name of COLUMNS.split(' ').slice(1)) expect(columns[name]).toEqual(nodes.map((c) => c[name]));
    const select = h.queries.statements.filter((sql) => /^\s*SELECT/i.test(sql));
    expect(select).toHaveLength(1);
    expect(select[0]).not.toMatch(/email|first_name|phone/);
    const after = await exports();
    expect(after).toHaveLength(before.length + 1);
    expect(after.filter((changes) => changes.some((c) => c.field === 'rows' && c.after === first))).toHaveLength(2);
  });
});
