import { contactsSubgraph } from '.';
import { FakeCustomerDirectory, subgraphHarness, type SubgraphHarness } from '../../test/support/harness';
import { interactionInput } from '../../test/support/contacts';
import { idsInOrder, readAsRangeAndList } from '../../test/support/id-range';
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
    const ids = idsInOrder(210);
    for (const id of ids) directory.add(id, 'PERSON');
    const contacts: [number, string, number | null][] = [
      [3, '2026-11-20T10:00:00.000Z', 4],
      [3, '2026-11-01T10:00:00.000Z', 1],
      [5, '2026-11-21T10:00:00.000Z', 5],
      [100, '2026-10-01T10:00:00.000Z', 2],
      [209, '2026-01-05T10:00:00.000Z', 3],
    ];
    for (const [i, occurredAt, satisfaction] of contacts) {
      await ok(LOG, { input: interactionInput(ids[i]!, { occurredAt, satisfaction }) });
    }
    const onPage = ids.filter((_, i) => i !== 5 && i !== 100);
    const columns = await readAsRangeAndList(
      h,
      'interactions',
      async (idRangeDense) => (await ok(COLUMNS, { r: [{ __typename: 'CustomerColumns', ids: [...onPage], idRangeDense }] }))._entities[0],
    );
    const at = (id: string) => (id === ids[3] ? '2026-11-20T10:00:00.000Z' : id === ids[209] ? '2026-01-05T10:00:00.000Z' : null);
    expect(columns.lastContactAt).toEqual(onPage.map(at));
    // Ratings of the last 180 days only: ids[209]'s is older.
    expect(columns.recentSatisfaction).toEqual(onPage.map((id) => (id === ids[3] ? 2.5 : null)));
  });
});
