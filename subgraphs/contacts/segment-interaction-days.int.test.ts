import { contactsSubgraph } from '.';
import { DATABASE_KINDS, databaseOf } from '../../test/support/database';
import { FakeCustomerDirectory, subgraphHarness, type SubgraphHarness } from '../../test/support/harness';
import { SEGMENT_REPRESENTATIONS, replicate, shuffled } from '../../test/support/segment-replica';
import { readInstant, utcDate } from '../platform';
import { compactAll, compactOnce } from '../platform/rollup';
import { createContactsLoaders } from './contacts.loaders';
import { SEGMENT_INTERACTION_DAYS } from './segment-report.repository';

const REPORT = `query($r: [_Any!]!) { _entities(representations: $r) { ... on SegmentReport { segment recentInteractionCount } } }`;
const LOG = `mutation($input: LogInteractionInput!) { logInteraction(input: $input) { id } }`;
const CUSTOMERS = Array.from({ length: 12 }, (_, i) => `ic-${String(i).padStart(2, '0')}`);
const SEGMENTS = ['A', 'B', 'C'] as const;
/** The request's today is 2026-11-22: the 90 days start at 2026-08-25. */
const FIRST_RECENT_DAY = '2026-08-25';

describe.each(DATABASE_KINDS)('segment interaction counts kept ahead, on %s', (kind) => {
  let h: SubgraphHarness;
  const directory = new FakeCustomerDirectory();

  async function log(customerId: string, occurredAt: string): Promise<void> {
    const input = {
      customerId,
      channel: 'EMAIL',
      direction: 'INBOUND',
      serviceArea: 'HELPDESK',
      subject: 'x',
      handledBy: 'agent',
      competenceLevel: 'FIRST_LEVEL',
      resolvedOnFirstContact: true,
      occurredAt,
    };
    const result = await h.execute(LOG, { input });
    if (result.errors) throw new Error(JSON.stringify(result.errors));
  }

  /** Per (segment, day), from the raw interactions joined to the replica: independent of the triggers. */
  async function rawDays(): Promise<Map<string, number>> {
    const rows: { segment: string; occurred_at: unknown }[] = await h.dataSource.query(
      'SELECT s.segment, i.occurred_at FROM interactions i JOIN customer_segments s ON s.customer_id = i.customer_id',
    );
    const days = new Map<string, number>();
    for (const r of rows) {
      const key = `${r.segment}|${utcDate(readInstant(r.occurred_at))}`;
      days.set(key, (days.get(key) ?? 0) + 1);
    }
    return days;
  }

  async function expectedReport() {
    const counts = new Map(SEGMENTS.map((s) => [s as string, 0]));
    for (const [key, n] of await rawDays()) {
      const [segment, day] = key.split('|') as [string, string];
      if (day >= FIRST_RECENT_DAY) counts.set(segment, counts.get(segment)! + n);
    }
    return SEGMENTS.map((segment) => ({ segment, recentInteractionCount: counts.get(segment)! }));
  }

  async function storedDays(): Promise<Map<string, number>> {
    const rows: { segment: string; day: unknown; interactions: unknown }[] = await h.dataSource.query(
      'SELECT segment, day, interactions FROM segment_interaction_days WHERE interactions <> 0',
    );
    return new Map(rows.map((r) => [`${r.segment}|${String(r.day).slice(0, 10)}`, Number(r.interactions)]));
  }

  async function report() {
    const result = await h.execute<{ _entities: unknown[] }>(REPORT, { r: SEGMENT_REPRESENTATIONS });
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return result.data!._entities;
  }

  beforeAll(async () => {
    h = await subgraphHarness(contactsSubgraph, createContactsLoaders, {
      now: new Date('2026-11-22T10:00:00.000Z'),
      customerDirectory: directory,
      database: databaseOf(kind, 'contacts'),
    });
    for (const id of CUSTOMERS) directory.add(id, 'PERSON');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('stays exact while interactions, segment moves and compactions race', async () => {
    await replicate(
      h,
      'contacts',
      CUSTOMERS.slice(0, 6).map((customerId, i) => ({ customerId, segment: SEGMENTS[i % 3]!, version: 1 })),
    );
    // Inside and outside the 90 days, and on the first day's first instant.
    const instants = ['2026-11-22T09:00:00.000Z', `${FIRST_RECENT_DAY}T00:00:00.000Z`, '2026-08-24T23:59:59.999Z', '2026-10-10T12:00:00.000Z'];
    const logs = CUSTOMERS.flatMap((id, i) => instants.map((at, k) => () => log(id, at.replace(':00.000Z', `:${String((i + k) % 60).padStart(2, '0')}.000Z`))));
    const moves = [2, 3].flatMap((version) => CUSTOMERS.map((customerId, i) => ({ customerId, segment: SEGMENTS[(i + version) % 3]!, version })));
    const batches = [moves.slice(0, 5), moves.slice(5, 14), moves.slice(14)].map((rows, k) => () => replicate(h, 'contacts', shuffled(rows, k)));
    const compactions = Array.from({ length: 5 }, () => () => compactOnce(h.dataSource, SEGMENT_INTERACTION_DAYS, 4));
    const results = await Promise.allSettled(shuffled([...logs, ...batches, ...compactions], 5).map((run) => run()));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);

    const [count]: { n: unknown }[] = await h.dataSource.query('SELECT COUNT(*) AS n FROM interactions');
    expect(Number(count!.n)).toBe(logs.length);
    expect(await report()).toEqual(await expectedReport());
    const stale: unknown[] = await h.dataSource.query(
      'SELECT i.id FROM interactions i JOIN customer_segments s ON s.customer_id = i.customer_id WHERE NOT (i.segment = s.segment)',
    );
    expect(stale).toEqual([]);
    await compactAll(h.dataSource, [SEGMENT_INTERACTION_DAYS]);
    const [journal]: { n: unknown }[] = await h.dataSource.query('SELECT COUNT(*) AS n FROM segment_interaction_changes');
    expect(Number(journal!.n)).toBe(0);
    expect(await storedDays()).toEqual(await rawDays());
    expect(await report()).toEqual(await expectedReport());
  });
});
