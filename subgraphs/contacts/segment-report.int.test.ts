import { contactsSubgraph } from '.';
import { databaseOf } from '../../test/support/database';
import { FakeCustomerDirectory, subgraphHarness, type SubgraphHarness } from '../../test/support/harness';
import { SEGMENT_REPRESENTATIONS, replicate, replicaRows, versionGuardTests } from '../../test/support/segment-replica';
import { readInstant } from '../platform';
import { createContactsLoaders } from './contacts.loaders';

let h: SubgraphHarness;
const directory = new FakeCustomerDirectory();
const REPORT = `query($r: [_Any!]!) { _entities(representations: $r) { ... on SegmentReport { segment recentInteractionCount } } }`;
const LOG = `mutation($input: LogInteractionInput!) { logInteraction(input: $input) { id } }`;
/** The request's today is 2026-11-22 (UTC): the 90 days are 2026-08-25 .. 2026-11-22. */
const FIRST_RECENT_INSTANT = '2026-08-25T00:00:00.000Z';

async function log(customerId: string, occurredAt: string): Promise<void> {
  const result = await h.execute(LOG, {
    input: {
      customerId,
      channel: 'PHONE',
      direction: 'INBOUND',
      serviceArea: 'HELPDESK',
      subject: 'x',
      handledBy: 'agent',
      competenceLevel: 'FIRST_LEVEL',
      resolvedOnFirstContact: true,
      occurredAt,
    },
  });
  if (result.errors) throw new Error(JSON.stringify(result.errors));
}

/** The report recomputed in the test from the raw rows. */
async function expectedFromRawRows() {
  const rows: { customer_id: string; occurred_at: Date | string }[] = await h.dataSource.query('SELECT customer_id, occurred_at FROM interactions');
  const segments = await replicaRows(h);
  const start = Date.parse(FIRST_RECENT_INSTANT);
  return ['A', 'B', 'C'].map((segment) => ({
    segment,
    recentInteractionCount: rows.filter((r) => segments.get(r.customer_id)?.segment === segment && readInstant(r.occurred_at).getTime() >= start).length,
  }));
}

async function report() {
  const result = await h.execute<{ _entities: { segment: string; recentInteractionCount: number }[] }>(REPORT, { r: SEGMENT_REPRESENTATIONS });
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data!._entities;
}

describe.each(['MariaDB', 'SQLite'])('on %s', (database) => {
  beforeAll(async () => {
    h = await subgraphHarness(contactsSubgraph, createContactsLoaders, {
      customerDirectory: directory,
      database: databaseOf(database === 'SQLite' ? 'sqlite' : 'mariadb', 'contacts'),
    });
    for (const id of ['a1', 'b1', 'c1', 'unknown']) directory.add(id, 'PERSON');
    await log('a1', '2026-11-22T09:59:00Z'); // today
    await log('a1', FIRST_RECENT_INSTANT); // the first instant of the 90 days
    await log('a1', '2026-08-24T23:59:59.999Z'); // the last instant before them
    await log('b1', '2026-10-01T12:00:00Z');
    await log('c1', '2025-11-22T12:00:00Z'); // a year ago
    await log('unknown', '2026-11-01T12:00:00Z'); // a customer the replica does not know (yet)
    await replicate(h, 'contacts', [
      { customerId: 'a1', segment: 'A', version: 1 },
      { customerId: 'b1', segment: 'B', version: 1 },
      { customerId: 'c1', segment: 'C', version: 1 },
    ]);
  });
  afterAll(async () => {
    await h?.close();
  });

  versionGuardTests('contacts', () => h);

  describe('SegmentReport.recentInteractionCount', () => {
    it('counts the interactions of today and the 89 days before, per segment of the replica, as recomputed from the raw rows', async () => {
      const expected = await expectedFromRawRows();
      expect(await report()).toEqual(expected);
      expect(expected.map((r) => r.recentInteractionCount)).toEqual([2, 1, 0]);
    });

    it("follows the request's clock", async () => {
      h.clock.set(new Date('2026-11-23T00:00:00.000Z')); // 2026-08-25 is now the 91st day back
      try {
        expect((await report()).map((r) => r.recentInteractionCount)).toEqual([1, 1, 0]);
      } finally {
        h.clock.set(new Date('2026-11-22T10:00:00.000Z'));
      }
    });

    it('moves the interactions with a newer segment version', async () => {
      await replicate(h, 'contacts', [{ customerId: 'b1', segment: 'C', version: 2 }]);
      const moved = await report();
      expect(moved).toEqual(await expectedFromRawRows());
      expect(moved.map((r) => r.recentInteractionCount)).toEqual([2, 0, 1]);
    });

    it('costs one SQL statement for all three segments, however many customers the replica holds', async () => {
      h.queries.reset();
      await report();
      expect(h.queries.count).toBe(1);
      // The counts kept ahead, never the interactions themselves.
      expect(h.queries.statements[0]).toMatch(/FROM segment_interaction_days/);
      expect(h.queries.statements[0]).not.toMatch(/interactions i|FROM interactions/);
      await replicate(
        h,
        'contacts',
        Array.from({ length: 900 }, (_, i) => ({ customerId: `bulk-${i}`, segment: ['A', 'B', 'C'][i % 3]!, version: 1 })),
      );
      directory.add('bulk-5', 'PERSON');
      await log('bulk-5', '2026-11-20T08:00:00Z');
      h.queries.reset();
      const after = await report();
      expect(h.queries.count).toBe(1);
      expect(after).toEqual(await expectedFromRawRows());
    });
  });
});
