import { contactsSubgraph } from '.';
import { newCustomerId } from '../platform';
import { FakeCustomerDirectory, subgraphHarness, type SubgraphHarness } from '../../test/support/harness';
import { createContactsLoaders } from './contacts.loaders';

const COLUMNS = `query($r: [_Any!]!) { _entities(representations: $r) { ... on CustomerColumns { ids lastContactAt recentSatisfaction } } }`;
const LOG = `mutation($input: LogInteractionInput!) { logInteraction(input: $input) { id } }`;

const directory = new FakeCustomerDirectory();
let h: SubgraphHarness;

async function ok(query: string, variables?: Record<string, unknown>): Promise<any> {
  const result = await h.execute(query, variables);
  expect(result.errors).toBeUndefined();
  return result.data;
}

beforeAll(async () => {
  h = await subgraphHarness(contactsSubgraph, createContactsLoaders, { now: new Date('2026-11-22T10:00:00.000Z'), customerDirectory: directory });
});
afterAll(async () => {
  await h?.close();
});

describe('CustomerColumns', () => {
  it('reads a page its customers subgraph calls dense as one range, and answers exactly as from the IN list', async () => {
    // 210 customers in creation order; the page leaves out two of them, which have interactions in the range.
    const ids = Array.from({ length: 210 }, () => newCustomerId());
    for (const id of ids) directory.add(id, 'PERSON');
    const contacts: [number, string, number | null][] = [
      [3, '2026-11-20T10:00:00.000Z', 4],
      [3, '2026-11-01T10:00:00.000Z', 1],
      [5, '2026-11-21T10:00:00.000Z', 5],
      [100, '2026-10-01T10:00:00.000Z', 2],
      [209, '2026-01-05T10:00:00.000Z', 3],
    ];
    for (const [i, occurredAt, satisfaction] of contacts) {
      await ok(LOG, {
        input: {
          customerId: ids[i],
          occurredAt,
          satisfaction,
          channel: 'PHONE',
          direction: 'INBOUND',
          serviceArea: 'HELPDESK',
          subject: 'Question',
          handledBy: 'agent.one',
          competenceLevel: 'FIRST_LEVEL',
          resolvedOnFirstContact: true,
        },
      });
    }
    const onPage = ids.filter((_, i) => i !== 5 && i !== 100);
    const read = async (idRangeDense: boolean | null) => {
      h.queries.reset();
      // A fresh list per request, as parsed from a gateway's request: the mark belongs to one request's ids.
      const columns = (await ok(COLUMNS, { r: [{ __typename: 'CustomerColumns', ids: [...onPage], idRangeDense }] }))._entities[0];
      return { columns, statements: h.queries.statements.filter((sql) => /FROM interactions/.test(sql)) };
    };
    const range = await read(true);
    const list = await read(null);
    expect(range.statements).toHaveLength(1);
    expect(range.statements[0]).toMatch(/customer_id BETWEEN \? AND \?/);
    expect(list.statements[0]).toMatch(/customer_id IN \(/);
    expect(range.columns).toEqual(list.columns);
    const at = (id: string) => (id === ids[3] ? '2026-11-20T10:00:00.000Z' : id === ids[209] ? '2026-01-05T10:00:00.000Z' : null);
    expect(range.columns.lastContactAt).toEqual(onPage.map(at));
    // Ratings of the last 180 days only: ids[209]'s is older.
    expect(range.columns.recentSatisfaction).toEqual(onPage.map((id) => (id === ids[3] ? 2.5 : null)));
  });
});
