import type { DataSource } from 'typeorm';
import { placeholders, utcDate } from '../platform';
import { totalsAndJournal, type Rollup } from '../platform/rollup';

/** SegmentReport's interaction counts, kept ahead (migration 1764600000000-SegmentInteractionDays). */
export const SEGMENT_INTERACTION_DAYS: Rollup = {
  totals: 'segment_interaction_days',
  changes: 'segment_interaction_changes',
  keys: ['segment', 'day'],
  measures: ['interactions'],
  refill: {
    mysql: [
      `INSERT INTO segment_interaction_days (segment, day, interactions)
       SELECT segment, DATE(occurred_at), COUNT(*) FROM interactions WHERE segment IS NOT NULL GROUP BY segment, DATE(occurred_at)`,
    ],
    sqlite: [
      `INSERT INTO segment_interaction_days (segment, day, interactions)
       SELECT segment, date(occurred_at), COUNT(*) FROM interactions WHERE segment IS NOT NULL GROUP BY segment, date(occurred_at)`,
    ],
  },
};

/**
 * SegmentReport's contacts figure, from this subgraph's own tables: each
 * interaction's segment comes from the replica (customer_segments), so no
 * customer id crosses the gateway, and triggers count interactions per
 * (segment, UTC day), so a report reads about 90 rows per segment whatever
 * the number of customers.
 */
export class SegmentReportRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Interactions with occurredAt at or after `since` (00:00 UTC of a day),
   * per segment of their customer. Folded counts and the journal not yet
   * folded are read in one statement: one consistent snapshot.
   */
  async interactionsSince(segments: readonly string[], since: Date): Promise<Map<string, number>> {
    const rollup = totalsAndJournal(SEGMENT_INTERACTION_DAYS, 'segment, day, interactions', `segment IN (${placeholders(segments.length)})`, [...segments]);
    const rows: { segment: string; n: unknown }[] = await this.dataSource.query(
      `SELECT segment, SUM(interactions) AS n FROM (${rollup.sql}) t WHERE day >= ? GROUP BY segment`,
      [...rollup.params, utcDate(since)],
    );
    return new Map(rows.map((r) => [String(r.segment), Number(r.n)]));
  }
}
