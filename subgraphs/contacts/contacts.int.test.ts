import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contactsSubgraph } from '.';
import { FakeCustomerDirectory, subgraphHarness, type SubgraphHarness } from '../../test/support/harness';
import { createContactsLoaders } from './contacts.loaders';
import { interactionInput } from '../../test/support/contacts';

const LOG = `mutation($input: LogInteractionInput!) { logInteraction(input: $input) { id occurredAt channel satisfaction customer { id } } }`;
const ADD = `mutation($input: ContactPersonInput!) { addContactPerson(input: $input) { id name primary customer { id } } }`;
const STATS = `query($from: Date!, $to: Date!, $by: InteractionDimension!) {
  interactionStats(from: $from, to: $to, groupBy: $by) { key count firstContactResolutionRate averageSatisfaction } }`;
const CUSTOMER_FIELDS = `query($r: [_Any!]!, $first: Int, $after: String, $channels: [Channel!], $since: DateTime) {
  _entities(representations: $r) { ... on Customer { id
    interactions(first: $first, after: $after, channels: $channels, since: $since) {
      nodes { id occurredAt channel } pageInfo { hasNextPage endCursor } totalCount }
    lastContactAt recentSatisfaction
    contactPersons { name primary } } } }`;

const directory = new FakeCustomerDirectory().add('p1', 'PERSON').add('o1', 'ORGANIZATION').add('o2', 'ORGANIZATION').add('quiet', 'ORGANIZATION');

// Hand-computed fixture for interactionStats (see the expectations below).
const FIXTURE = [
  interactionInput('p1', { occurredAt: '2026-01-10T08:00:00Z', satisfaction: 5 }),
  interactionInput('p1', { occurredAt: '2026-01-31T23:59:59.999Z', channel: 'EMAIL', resolvedOnFirstContact: false, satisfaction: 2 }),
  interactionInput('o1', { occurredAt: '2026-02-01T00:00:00Z', serviceArea: 'COLLECTIONS', competenceLevel: 'SECOND_LEVEL' }),
  interactionInput('o1', {
    occurredAt: '2026-02-15T12:00:00Z',
    channel: 'SELF_SERVICE',
    serviceArea: 'ADMINISTRATION',
    competenceLevel: 'E_LEVEL',
    handledBy: 'self-service-portal',
    satisfaction: 4,
  }),
  interactionInput('o2', {
    occurredAt: '2026-03-01T00:00:00Z',
    channel: 'WEB',
    serviceArea: 'ADMINISTRATION',
    competenceLevel: 'E_LEVEL',
    resolvedOnFirstContact: false,
  }),
  interactionInput('o2', { occurredAt: '2025-12-31T23:59:59Z', serviceArea: 'COMPLAINTS', competenceLevel: 'THIRD_LEVEL', satisfaction: 1 }),
];

let h: SubgraphHarness;

async function ok<T = any>(query: string, variables?: Record<string, unknown>): Promise<T> {
  const result = await h.execute(query, variables);
  expect(result.errors).toBeUndefined();
  return result.data as T;
}

async function loadFixture(harness: SubgraphHarness) {
  for (const input of FIXTURE) {
    const result = await harness.execute(LOG, { input });
    expect(result.errors).toBeUndefined();
  }
}

beforeAll(async () => {
  h = await subgraphHarness(contactsSubgraph, createContactsLoaders, { customerDirectory: directory });
  await loadFixture(h);
});
afterAll(async () => {
  await h?.close();
});

describe('interactionStats', () => {
  const range = { from: '2026-01-01', to: '2026-02-28' };

  it.each([
    [
      'CHANNEL',
      [
        { key: 'EMAIL', count: 1, firstContactResolutionRate: 0, averageSatisfaction: 2 },
        { key: 'PHONE', count: 2, firstContactResolutionRate: 1, averageSatisfaction: 5 },
        { key: 'SELF_SERVICE', count: 1, firstContactResolutionRate: 1, averageSatisfaction: 4 },
      ],
    ],
    [
      'MONTH',
      [
        { key: '2026-01', count: 2, firstContactResolutionRate: 0.5, averageSatisfaction: 3.5 },
        { key: '2026-02', count: 2, firstContactResolutionRate: 1, averageSatisfaction: 4 },
      ],
    ],
    [
      'COMPETENCE_LEVEL',
      [
        { key: 'E_LEVEL', count: 1, firstContactResolutionRate: 1, averageSatisfaction: 4 },
        { key: 'FIRST_LEVEL', count: 2, firstContactResolutionRate: 0.5, averageSatisfaction: 3.5 },
        { key: 'SECOND_LEVEL', count: 1, firstContactResolutionRate: 1, averageSatisfaction: null },
      ],
    ],
    [
      'SERVICE_AREA',
      [
        { key: 'ADMINISTRATION', count: 1, firstContactResolutionRate: 1, averageSatisfaction: 4 },
        { key: 'COLLECTIONS', count: 1, firstContactResolutionRate: 1, averageSatisfaction: null },
        { key: 'HELPDESK', count: 2, firstContactResolutionRate: 0.5, averageSatisfaction: 3.5 },
      ],
    ],
  ])('groups by %s over whole UTC days', async (by, expected) => {
    expect((await ok(STATS, { ...range, by })).interactionStats).toEqual(expected);
  });

  it('includes the last millisecond of `to` and the first of `from`', async () => {
    const oneDay = await ok(STATS, { from: '2026-01-31', to: '2026-01-31', by: 'CHANNEL' });
    expect(oneDay.interactionStats).toEqual([{ key: 'EMAIL', count: 1, firstContactResolutionRate: 0, averageSatisfaction: 2 }]);
    const march = await ok(STATS, { from: '2026-03-01', to: '2026-03-01', by: 'MONTH' });
    expect(march.interactionStats).toEqual([{ key: '2026-03', count: 1, firstContactResolutionRate: 0, averageSatisfaction: null }]);
  });

  it('refuses a range that ends before it starts', async () => {
    const result = await h.execute(STATS, { from: '2026-02-01', to: '2026-01-01', by: 'MONTH' });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
  });

  it('gives the same figures on the embedded SQLite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'c360-contacts-'));
    const sqlite = await subgraphHarness(contactsSubgraph, createContactsLoaders, {
      customerDirectory: directory,
      database: { type: 'sqlite', path: join(dir, 'contacts.sqlite') },
    });
    try {
      await loadFixture(sqlite);
      for (const by of ['CHANNEL', 'MONTH', 'COMPETENCE_LEVEL', 'SERVICE_AREA']) {
        const vars = { from: '2025-12-01', to: '2026-03-31', by };
        expect((await sqlite.execute(STATS, vars)).data).toEqual((await h.execute(STATS, vars)).data);
      }
    } finally {
      await sqlite.close();
    }
  });
});

describe('logInteraction', () => {
  it('defaults occurredAt to now and returns a customer reference', async () => {
    const data = await ok(LOG, { input: interactionInput('quiet', { channel: 'CHAT', satisfaction: 3 }) });
    expect(data.logInteraction).toMatchObject({ occurredAt: '2026-11-22T10:00:00.000Z', channel: 'CHAT', satisfaction: 3, customer: { id: 'quiet' } });
  });

  it.each([
    ['satisfaction', interactionInput('p1', { satisfaction: 0 }), 'BAD_USER_INPUT'],
    ['satisfaction', interactionInput('p1', { satisfaction: 6 }), 'BAD_USER_INPUT'],
    ['occurredAt', interactionInput('p1', { occurredAt: '2026-11-22T10:00:00.001Z' }), 'BAD_USER_INPUT'],
    ['subject', interactionInput('p1', { subject: '   ' }), 'BAD_USER_INPUT'],
    ['handledBy', interactionInput('p1', { handledBy: 'x'.repeat(101) }), 'BAD_USER_INPUT'],
    [undefined, interactionInput('nobody', {}), 'NOT_FOUND'],
  ])('refuses a bad %s and writes nothing', async (field, input, code) => {
    const [before] = await h.dataSource.query('SELECT COUNT(*) AS n FROM interactions');
    const result = await h.execute(LOG, { input });
    expect(result.errors?.[0]?.extensions?.code).toBe(code);
    if (field) expect(result.errors?.[0]?.extensions?.field).toBe(field);
    const [after] = await h.dataSource.query('SELECT COUNT(*) AS n FROM interactions');
    expect(after).toEqual(before);
  });
});

describe('Customer.interactions', () => {
  const rep = (id: string) => ({ __typename: 'Customer', id });

  beforeAll(async () => {
    // 7 more for o1, one hour apart in October 2026, alternating channels.
    for (let i = 0; i < 7; i++) {
      await ok(LOG, { input: interactionInput('o1', { occurredAt: `2026-10-0${i + 1}T09:00:00Z`, channel: i % 2 ? 'EMAIL' : 'PHONE' }) });
    }
  });

  it('pages newest first without duplicates or gaps', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const data: any = await ok(CUSTOMER_FIELDS, { r: [rep('o1')], first: 3, after });
      const page = data._entities[0].interactions;
      expect(page.totalCount).toBe(9);
      seen.push(...page.nodes.map((n: { occurredAt: string }) => n.occurredAt));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toHaveLength(9);
    expect(new Set(seen).size).toBe(9);
    expect([...seen].sort().reverse()).toEqual(seen);
  });

  it('filters by channels and since, and counts under the same filter', async () => {
    const data = await ok(CUSTOMER_FIELDS, { r: [rep('o1')], first: 20, channels: ['EMAIL'], since: '2026-10-03T00:00:00Z' });
    const page = data._entities[0].interactions;
    expect(page.nodes.map((n: { occurredAt: string }) => n.occurredAt)).toEqual(['2026-10-06T09:00:00.000Z', '2026-10-04T09:00:00.000Z']);
    expect(page.totalCount).toBe(2);
  });

  it('answers lastContactAt, or null without interactions', async () => {
    const data = await ok(CUSTOMER_FIELDS, { r: [rep('o1'), rep('never')], first: 1 });
    expect(data._entities.map((c: { lastContactAt: string | null }) => c.lastContactAt)).toEqual(['2026-10-07T09:00:00.000Z', null]);
    expect(data._entities[1].interactions).toEqual({ nodes: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: 0 });
  });

  it('costs the same four statements for 5 and for 200 customers', async () => {
    const counts: number[] = [];
    for (const n of [5, 200]) {
      const reps = Array.from({ length: n }, (_, i) => rep(['p1', 'o1', 'o2'][i % 3]! + (i < 3 ? '' : `-${i}`)));
      h.queries.reset();
      await ok(CUSTOMER_FIELDS, { r: reps, first: 2 });
      counts.push(h.queries.count);
    }
    // interactions page, their totalCount, lastContactAt with recentSatisfaction (one statement), contactPersons
    expect(counts).toEqual([4, 4]);
  });

  it('refuses a cursor of another list', async () => {
    const result = await h.execute(CUSTOMER_FIELDS, { r: [rep('o1')], after: Buffer.from('["customers",3]').toString('base64url') });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});

describe('addContactPerson', () => {
  it('keeps at most one primary: a new primary replaces the old one', async () => {
    h.clock.set(new Date('2026-11-22T10:01:00Z'));
    await ok(ADD, { input: { customerId: 'o2', name: 'Erste Person', primary: true } });
    h.clock.set(new Date('2026-11-22T10:02:00Z'));
    await ok(ADD, { input: { customerId: 'o2', name: 'Zweite Person' } });
    h.clock.set(new Date('2026-11-22T10:03:00Z'));
    await ok(ADD, { input: { customerId: 'o2', name: 'Neue Chefin', primary: true, email: 'chefin@o2.de', phone: '+49 89 1234567' } });
    const data = await ok(CUSTOMER_FIELDS, { r: [{ __typename: 'Customer', id: 'o2' }] });
    expect(data._entities[0].contactPersons).toEqual([
      { name: 'Neue Chefin', primary: true },
      { name: 'Erste Person', primary: false },
      { name: 'Zweite Person', primary: false },
    ]);
  });

  it('survives two concurrent primaries with exactly one winner', async () => {
    await Promise.all(['A', 'B'].map((name) => ok(ADD, { input: { customerId: 'quiet', name, primary: true } })));
    const [{ n }] = await h.dataSource.query("SELECT COUNT(*) AS n FROM contact_persons WHERE customer_id = 'quiet' AND primary_marker = 1");
    expect(Number(n)).toBe(1);
  });

  it.each([
    ['customerId', { customerId: 'p1', name: 'X' }, 'BAD_USER_INPUT'],
    ['name', { customerId: 'o1', name: ' ' }, 'BAD_USER_INPUT'],
    ['email', { customerId: 'o1', name: 'X', email: 'x@' }, 'BAD_USER_INPUT'],
    ['phone', { customerId: 'o1', name: 'X', phone: '0891234' }, 'BAD_USER_INPUT'],
    [undefined, { customerId: 'ghost', name: 'X' }, 'NOT_FOUND'],
  ])('refuses a bad %s', async (field, input, code) => {
    const result = await h.execute(ADD, { input });
    expect(result.errors?.[0]?.extensions?.code).toBe(code);
    if (field) expect(result.errors?.[0]?.extensions?.field).toBe(field);
  });
});

describe('Customer.recentSatisfaction', () => {
  it('averages the ratings of the last 180 days, null without any', async () => {
    await ok(LOG, { input: interactionInput('quiet', { occurredAt: '2026-06-01T00:00:00Z', satisfaction: 4 }) });
    await ok(LOG, { input: interactionInput('quiet', { occurredAt: '2026-05-01T00:00:00Z', satisfaction: 1 }) }); // older than 180 days
    const data = await ok(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { recentSatisfaction } } }`, {
      r: ['quiet', 'p1'].map((id) => ({ __typename: 'Customer', id })),
    });
    // quiet: 3 (logged "now" above) and 4; p1's ratings are from January
    expect(data._entities).toEqual([{ recentSatisfaction: 3.5 }, { recentSatisfaction: null }]);
  });
});
