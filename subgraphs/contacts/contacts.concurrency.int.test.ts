import { contactsSubgraph } from '.';
import { DATABASE_KINDS, databaseOf, testDatabase } from '../../test/support/database';
import { FakeCustomerDirectory, subgraphHarness, type SubgraphHarness } from '../../test/support/harness';
import { HttpCustomerDirectory, serviceCredentials } from '../platform';
import { createContactsLoaders } from './contacts.loaders';

const LOG = `mutation($input: LogInteractionInput!) { logInteraction(input: $input) { id } }`;
const ADD = `mutation($input: ContactPersonInput!) { addContactPerson(input: $input) { id primary } }`;

const interaction = (customerId: string, subject: string) => ({
  customerId,
  channel: 'CHAT',
  direction: 'INBOUND',
  serviceArea: 'HELPDESK',
  subject,
  handledBy: 'agent.one',
  competenceLevel: 'FIRST_LEVEL',
  resolvedOnFirstContact: true,
  occurredAt: '2026-11-20T10:00:00Z',
});

// Every race runs on the production database and on the embedded SQLite default.
describe.each(DATABASE_KINDS)('contacts under concurrency on %s', (kind) => {
  let h: SubgraphHarness;
  beforeAll(async () => {
    const directory = new FakeCustomerDirectory().add('p1', 'PERSON').add('o1', 'ORGANIZATION');
    h = await subgraphHarness(contactsSubgraph, createContactsLoaders, { database: databaseOf(kind, 'contacts'), customerDirectory: directory });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('records 50 concurrent interactions, every one answered and stored', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => h.execute(LOG, { input: interaction('p1', `Chat ${i}`) })));
    expect(results.filter((r) => r.errors)).toEqual([]);
    const rows: { id: string }[] = await h.dataSource.query("SELECT id FROM interactions WHERE subject LIKE 'Chat %'");
    expect(rows.map((r) => r.id).sort()).toEqual(results.map((r) => r.data!.logInteraction.id).sort());
  });

  it('keeps exactly one primary contact when eight primaries arrive at once', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => h.execute(ADD, { input: { customerId: 'o1', name: `Primary ${i}`, primary: true } })),
    );
    expect(results.filter((r) => r.errors)).toEqual([]);
    const rows: { n: unknown; primaries: unknown }[] = await h.dataSource.query(
      "SELECT COUNT(*) AS n, SUM(CASE WHEN primary_marker IS NOT NULL THEN 1 ELSE 0 END) AS primaries FROM contact_persons WHERE customer_id = 'o1'",
    );
    expect(rows.map((r) => [Number(r.n), Number(r.primaries)])).toEqual([[8, 1]]);
  });
});

describe('contacts when the customers subgraph is down', () => {
  let h: SubgraphHarness;
  beforeAll(async () => {
    // Port 9 (discard) has nothing listening here: every lookup is refused.
    h = await subgraphHarness(contactsSubgraph, createContactsLoaders, {
      database: testDatabase('contacts'),
      customerDirectory: new HttpCustomerDirectory('http://127.0.0.1:9/graphql', serviceCredentials(process.env.INTERNAL_AUTH_SECRET!, 'contacts'), 1000),
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('answers the retryable "customers service is unavailable" and writes nothing', async () => {
    const result = await h.execute(LOG, { input: interaction('p1', 'Outage') });
    expect(result.errors?.[0]).toMatchObject({
      message: 'The customers service is unavailable; try again later',
      path: ['logInteraction'],
      extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName: 'customers', reason: 'UNAVAILABLE', retryable: true },
    });
    const [row] = await h.dataSource.query("SELECT COUNT(*) AS n FROM interactions WHERE subject = 'Outage'");
    expect(Number(row.n)).toBe(0);
  });
});
