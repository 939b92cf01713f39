import { customersSubgraph } from '.';
import { DATABASE_KINDS, databaseOf } from '../../test/support/database';
import { subgraphHarness, type SubgraphHarness } from '../../test/support/harness';
import { changeRequestTimelineBranches, summarizeChangeRequestEvent } from '../platform/change-request.types';
import type { TimelineSlice } from '../platform/timeline-slices';
import { createCustomerLoaders } from './customer.loaders';
import { customerTimeline } from './customer.timeline';
import { applySlices } from './timeline-projection.repository';
import { timelinePages } from './timeline.service';

const own = customerTimeline({ branches: changeRequestTimelineBranches, summarize: summarizeChangeRequestEvent });

/** Slice `version` of a customer: `count` interactions, their instants and keys telling the version apart. */
const slice = (customerId: string, version: number, count: number): TimelineSlice => ({
  customerId,
  version,
  events: Array.from({ length: count }, (_, i) => ({
    at: new Date(Date.UTC(2026, 10, 1, 8, i)),
    key: `int:v${String(version).padStart(3, '0')}-${String(i).padStart(3, '0')}`,
    kind: 'INTERACTION' as const,
    entityType: 'Interaction',
    entityId: `i-${version}-${i}`,
    summary: `Inbound PHONE contact (HELPDESK)`,
  })),
});

describe.each(DATABASE_KINDS)('the timeline projection on %s', (kind) => {
  let h: SubgraphHarness;
  beforeAll(async () => {
    h = await subgraphHarness(customersSubgraph, createCustomerLoaders, { database: databaseOf(kind, 'customers') });
  });
  afterAll(async () => {
    await h?.close();
  });

  const stored = async (customerId: string, source: string) => {
    const events: { event_key: string }[] = await h.dataSource.query(
      'SELECT event_key FROM timeline_events WHERE customer_id = ? AND source = ? ORDER BY event_key',
      [customerId, source],
    );
    const version: { version: number | string }[] = await h.dataSource.query('SELECT version FROM timeline_slices WHERE customer_id = ? AND source = ?', [
      customerId,
      source,
    ]);
    return { keys: events.map((e) => e.event_key), version: Number(version[0]?.version ?? 0) };
  };

  it('replaces a slice only with a higher version, per source', async () => {
    expect(await applySlices(h.dataSource, 'contacts', [slice('p1', 2, 3)])).toBe(1);
    expect(await applySlices(h.dataSource, 'contacts', [slice('p1', 1, 5)])).toBe(0);
    expect(await applySlices(h.dataSource, 'contacts', [slice('p1', 2, 4)])).toBe(0);
    expect(await stored('p1', 'contacts')).toEqual({ keys: slice('p1', 2, 3).events.map((e) => e.key), version: 2 });
    // Another source's slice of the same customer is its own.
    expect(await applySlices(h.dataSource, 'billing', [slice('p1', 1, 2)])).toBe(1);
    expect((await stored('p1', 'contacts')).version).toBe(2);
    // An empty slice of a higher version empties it (the source's rows were deleted).
    expect(await applySlices(h.dataSource, 'billing', [slice('p1', 5, 0)])).toBe(1);
    expect(await stored('p1', 'billing')).toEqual({ keys: [], version: 5 });
  });

  it('ends with the highest version when deliveries of one slice race, whatever their order', async () => {
    const versions = Array.from({ length: 16 }, (_, i) => i + 1).sort(() => Math.random() - 0.5);
    await Promise.all(versions.map((v) => applySlices(h.dataSource, 'claims', [slice('race', v, v % 5), slice('race-b', v, 2)])));
    expect(await stored('race', 'claims')).toEqual({ keys: slice('race', 16, 1).events.map((e) => e.key), version: 16 });
    expect(await stored('race-b', 'claims')).toEqual({ keys: slice('race-b', 16, 2).events.map((e) => e.key), version: 16 });
  });

  it('reads a page of 10 or of 200 customers in the same two statements', async () => {
    const ids = Array.from({ length: 200 }, (_, i) => `list-${String(i).padStart(3, '0')}`);
    await applySlices(
      h.dataSource,
      'contacts',
      ids.map((id) => slice(id, 1, 3)),
    );
    const counts: number[] = [];
    for (const n of [10, 200]) {
      h.queries.reset();
      const pages = await timelinePages(h.dataSource, own, ids.slice(0, n), { first: 2 });
      counts.push(h.queries.count);
      expect(pages).toHaveLength(n);
      for (const page of pages) {
        expect(page.nodes.map((e) => e.key)).toEqual(['int:v001-002', 'int:v001-001']);
        expect(page.pageInfo.hasNextPage).toBe(true);
      }
    }
    expect(counts).toEqual([2, 2]);
  });
});
