import { contactsSubgraph } from '.';
import { DATABASE_KINDS, databaseOf } from '../../test/support/database';
import { FakeCustomerDirectory, subgraphHarness, type SubgraphHarness } from '../../test/support/harness';
import { findTimeline, type TimelineRow } from '../platform/timeline';
import { createContactsLoaders } from './contacts.loaders';
import { contactsTimeline } from './contacts.timeline';

const LOG = `mutation($input: LogInteractionInput!) { logInteraction(input: $input) { id } }`;

// The timeline statement in both dialects: one customer (a page), many (a list of customers), and keyset continuation.
describe.each(DATABASE_KINDS)("contacts' timeline events on %s", (kind) => {
  let h: SubgraphHarness;
  const ids: Record<string, string[]> = { a: [], b: [] };
  beforeAll(async () => {
    const directory = new FakeCustomerDirectory().add('a', 'PERSON').add('b', 'PERSON');
    h = await subgraphHarness(contactsSubgraph, createContactsLoaders, { database: databaseOf(kind, 'contacts'), customerDirectory: directory });
    // Twelve interactions of a, four of them at one instant, and three of b.
    const times = ['01', '02', '03', '03', '03', '03', '04', '05', '06', '07', '08', '09'];
    for (const [customer, list] of [
      ['a', times],
      ['b', ['01', '05', '09']],
    ] as const) {
      for (const day of list) {
        const input = {
          customerId: customer,
          channel: 'PHONE',
          direction: 'OUTBOUND',
          serviceArea: 'SALES_SUPPORT',
          subject: 'private subject',
          handledBy: 'agent.one',
          competenceLevel: 'FIRST_LEVEL',
          resolvedOnFirstContact: false,
          occurredAt: `2026-11-${day}T10:00:00.000Z`,
        };
        const r = await h.execute<{ logInteraction: { id: string } }>(LOG, { input });
        ids[customer]!.push(r.data!.logInteraction.id);
      }
    }
  });
  afterAll(async () => {
    await h?.close();
  });

  const order = (rows: TimelineRow[]) => rows.map((r) => `${r.at.toISOString().slice(8, 10)} ${r.key}`);

  it('answers one customer newest first, ties by key, cut at the limit, in the words of the summary', async () => {
    const all = await findTimeline(h.dataSource, 'contacts', contactsTimeline, { customerIds: ['a'], limit: 101 });
    expect(all).toHaveLength(12);
    const expected = [...all].sort((x, y) => y.at.getTime() - x.at.getTime() || (x.key < y.key ? 1 : -1));
    expect(order(all)).toEqual(order(expected));
    expect(new Set(all.map((r) => r.entityId))).toEqual(new Set(ids.a));
    expect(all[0]).toMatchObject({ kind: 'INTERACTION', entityType: 'Interaction', summary: 'Outbound PHONE contact (SALES_SUPPORT)', source: 'contacts' });
    expect(order(await findTimeline(h.dataSource, 'contacts', contactsTimeline, { customerIds: ['a'], limit: 5 }))).toEqual(order(all).slice(0, 5));
  });

  it('continues after any position, also inside a run of one instant, without repeating or skipping', async () => {
    const all = await findTimeline(h.dataSource, 'contacts', contactsTimeline, { customerIds: ['a'], limit: 101 });
    for (let cut = 0; cut < all.length; cut++) {
      const after = all[cut]!;
      const rest = await findTimeline(h.dataSource, 'contacts', contactsTimeline, { customerIds: ['a'], limit: 101, before: { at: after.at, key: after.key } });
      expect(order(rest)).toEqual(order(all).slice(cut + 1));
    }
    const at = all[5]!.at;
    const strictly = await findTimeline(h.dataSource, 'contacts', contactsTimeline, { customerIds: ['a'], limit: 101, before: { at } });
    expect(strictly.every((r) => r.at < at)).toBe(true);
    const inclusive = await findTimeline(h.dataSource, 'contacts', contactsTimeline, { customerIds: ['a'], limit: 101, before: { at, inclusive: true } });
    expect(inclusive.length - strictly.length).toBe(all.filter((r) => r.at.getTime() === at.getTime()).length);
  });

  it('answers many customers in one statement, the newest `limit` of each, and filters by time and kind', async () => {
    const rows = await findTimeline(h.dataSource, 'contacts', contactsTimeline, { customerIds: ['a', 'b', 'nobody'], limit: 2 });
    expect(rows.map((r) => `${r.customerId} ${r.at.toISOString().slice(8, 10)}`)).toEqual(['a 09', 'a 08', 'b 09', 'b 05']);
    const window = await findTimeline(h.dataSource, 'contacts', contactsTimeline, {
      customerIds: ['b'],
      limit: 10,
      from: new Date('2026-11-05T10:00:00.000Z'),
      to: new Date('2026-11-09T10:00:00.000Z'),
    });
    expect(window.map((r) => r.at.toISOString())).toEqual(['2026-11-05T10:00:00.000Z']);
    expect(await findTimeline(h.dataSource, 'contacts', contactsTimeline, { customerIds: ['a'], limit: 10, kinds: ['INVOICE_ISSUED'] })).toEqual([]);
    expect(JSON.stringify(rows)).not.toContain('private subject');
  });
});
