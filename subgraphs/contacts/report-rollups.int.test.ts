import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { contactsSubgraph } from '.';
import { DATABASE_KINDS, databaseOf } from '../../test/support/database';
import { subgraphHarness, type SubgraphHarness } from '../../test/support/harness';
import { byKey, reportWindow, writeStep } from '../../test/support/rollups';
import { shuffled } from '../../test/support/segment-replica';
import { readBoolean, readInstant, readNumber, sqlInstant } from '../platform';
import { compactAll, compactOnce, rebuildRollups } from '../platform/rollup';
import { createContactsLoaders } from './contacts.loaders';
import { CONTACTS_ROLLUPS, INTERACTION_STAT_DAYS } from './contacts.rollups';

const STATS = `query($from: Date!, $to: Date!, $by: InteractionDimension!) {
  interactionStats(from: $from, to: $to, groupBy: $by) { key count firstContactResolutionRate averageSatisfaction } }`;
const CHANNELS = ['PHONE', 'EMAIL', 'WEB', 'CHAT'];
const AREAS = ['HELPDESK', 'COLLECTIONS', 'COMPLAINTS'];
const LEVELS = ['E_LEVEL', 'FIRST_LEVEL', 'SECOND_LEVEL'];
const DIMENSIONS = { CHANNEL: 'channel', SERVICE_AREA: 'service_area', COMPETENCE_LEVEL: 'competence_level', MONTH: 'month' } as const;
/** Interactions fall on the 70 days from 2026-08-20, across a month boundary or two. */
const FIRST_DAY = '2026-08-20';
const DAYS = 70;

const interaction = fc.record({
  day: fc.integer({ min: 0, max: DAYS - 1 }),
  ms: fc.integer({ min: 0, max: 86_399_999 }),
  channel: fc.constantFrom(...CHANNELS),
  area: fc.constantFrom(...AREAS),
  level: fc.constantFrom(...LEVELS),
  resolved: fc.boolean(),
  satisfaction: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
});
type Interaction = typeof interaction extends fc.Arbitrary<infer T> ? T : never;

const instantOf = (i: Pick<Interaction, 'day' | 'ms'>) => new Date(Date.parse(`${FIRST_DAY}T00:00:00.000Z`) + i.day * 86_400_000 + i.ms);

describe.each(DATABASE_KINDS)('interactionStats from the per-day rollup, on %s', (kind) => {
  let h: SubgraphHarness;

  beforeAll(async () => {
    h = await subgraphHarness(contactsSubgraph, createContactsLoaders, { database: databaseOf(kind, 'contacts') });
  });
  afterAll(async () => {
    await h?.close();
  });

  const insert = (i: Interaction) =>
    h.dataSource.query(
      `INSERT INTO interactions (id, customer_id, channel, direction, service_area, occurred_at, subject, handled_by, competence_level,
         resolved_on_first_contact, satisfaction, created_at) VALUES (?, 'c-1', ?, 'INBOUND', ?, ?, 's', 'agent', ?, ?, ?, ?)`,
      [
        randomUUID(),
        i.channel,
        i.area,
        sqlInstant(h.dataSource, instantOf(i)),
        i.level,
        i.resolved ? 1 : 0,
        i.satisfaction,
        sqlInstant(h.dataSource, new Date()),
      ],
    );

  /** The report computed here from the raw rows: independent of the rollup and its SQL. */
  async function expected(from: string, to: string, by: keyof typeof DIMENSIONS) {
    const rows: Record<string, unknown>[] = await h.dataSource.query('SELECT * FROM interactions');
    const groups = new Map<string, { count: number; resolved: number; rated: number; sum: number }>();
    for (const row of rows) {
      const day = readInstant(row.occurred_at).toISOString().slice(0, 10);
      if (day < from || day > to) continue;
      const key = by === 'MONTH' ? day.slice(0, 7) : String(row[DIMENSIONS[by]]);
      const g = groups.get(key) ?? { count: 0, resolved: 0, rated: 0, sum: 0 };
      const satisfaction = readNumber(row.satisfaction);
      g.count += 1;
      g.resolved += readBoolean(row.resolved_on_first_contact) ? 1 : 0;
      if (satisfaction !== null) {
        g.rated += 1;
        g.sum += satisfaction;
      }
      groups.set(key, g);
    }
    return byKey(
      [...groups].map(([key, g]) => ({
        key,
        count: g.count,
        firstContactResolutionRate: g.resolved / g.count,
        averageSatisfaction: g.rated === 0 ? null : g.sum / g.rated,
      })),
    );
  }

  async function report(from: string, to: string, by: string) {
    const result = await h.execute<{ interactionStats: { key: string }[] }>(STATS, { from, to, by });
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return byKey(result.data!.interactionStats);
  }

  async function reset(): Promise<void> {
    await h.dataSource.query('DELETE FROM interactions');
    await rebuildRollups(h.dataSource, CONTACTS_ROLLUPS);
  }

  it('equals the report over the raw rows, for random writes, moves, deletes, compactions and windows', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(interaction, { minLength: 1, maxLength: 30 }),
        fc.array(writeStep(interaction), { maxLength: 12 }),
        fc.array(reportWindow(FIRST_DAY, DAYS), { minLength: 1, maxLength: 3 }),
        fc.integer(),
        async (initial, steps, windows, seed) => {
          await reset();
          for (const i of initial) await insert(i);
          // Updates, deletes and inserts race compactions of tiny batches: the journal is folded while it grows.
          const ids = (await h.dataSource.query('SELECT id FROM interactions ORDER BY id')).map((r: { id: string }) => r.id);
          const writes = steps.map((step, n) => async () => {
            const id = ids[n % ids.length]!;
            if (step.kind === 'insert') await insert(step.row);
            else if (step.kind === 'delete') await h.dataSource.query('DELETE FROM interactions WHERE id = ?', [id]);
            else
              await h.dataSource.query('UPDATE interactions SET channel = ?, occurred_at = ?, satisfaction = ?, resolved_on_first_contact = ? WHERE id = ?', [
                step.row.channel,
                sqlInstant(h.dataSource, instantOf(step.row)),
                step.row.satisfaction,
                step.row.resolved ? 1 : 0,
                id,
              ]);
          });
          const compactions = Array.from({ length: 3 }, () => () => compactOnce(h.dataSource, INTERACTION_STAT_DAYS, 5));
          await Promise.all(shuffled([...writes, ...compactions], seed).map((run) => run()));
          for (const { from, to } of windows) {
            for (const by of Object.keys(DIMENSIONS) as (keyof typeof DIMENSIONS)[]) {
              expect(await report(from, to, by)).toEqual(await expected(from, to, by));
            }
          }
        },
      ),
      { numRuns: 15 },
    );
  });

  it('gives the same reports after a full compaction and after a rebuild from the raw rows', async () => {
    await reset();
    for (let n = 0; n < 40; n++) {
      await insert({
        day: n % DAYS,
        ms: n * 1000,
        channel: CHANNELS[n % 4]!,
        area: AREAS[n % 3]!,
        level: LEVELS[n % 3]!,
        resolved: n % 2 === 0,
        satisfaction: n % 6 || null,
      });
    }
    await h.dataSource.query('DELETE FROM interactions WHERE satisfaction = 1');
    const window = { from: FIRST_DAY, to: '2026-10-28' };
    const before = await report(window.from, window.to, 'CHANNEL');
    await compactAll(h.dataSource, CONTACTS_ROLLUPS);
    const [journal] = await h.dataSource.query(`SELECT COUNT(*) AS n FROM ${INTERACTION_STAT_DAYS.changes}`);
    expect(Number(journal.n)).toBe(0);
    expect(await report(window.from, window.to, 'CHANNEL')).toEqual(before);
    await h.dataSource.query(`UPDATE ${INTERACTION_STAT_DAYS.totals} SET interactions = interactions + 100`);
    expect(await report(window.from, window.to, 'CHANNEL')).not.toEqual(before);
    await rebuildRollups(h.dataSource, CONTACTS_ROLLUPS);
    expect(await report(window.from, window.to, 'CHANNEL')).toEqual(before);
    expect(before).toEqual(await expected(window.from, window.to, 'CHANNEL'));
  });
});
