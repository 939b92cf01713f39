import type { DataSource, EntityManager } from 'typeorm';
import { placeholders } from '../platform';
import { totalsAndJournal, type Rollup } from '../platform/rollup';

export interface SegmentBalances {
  openMinor: number;
  overdueMinor: number;
}

export const NO_BALANCES: SegmentBalances = { openMinor: 0, overdueMinor: 0 };

/** The totals from the raw invoices; `greatest` is the dialect's two-argument maximum. */
const refillBalances = (greatest: 'GREATEST' | 'MAX') =>
  `INSERT INTO segment_balances (segment, due_date, open_minor, positive_open_minor)
   SELECT segment, due_date, SUM(o), SUM(${greatest}(o, 0)) FROM (
     SELECT segment, due_date, CASE WHEN status IN ('CANCELLED', 'WRITTEN_OFF') THEN 0 ELSE total_minor - paid_minor END AS o
     FROM invoices WHERE segment IS NOT NULL) t
   GROUP BY segment, due_date`;

/** SegmentReport's balances, aggregated ahead (migration 1764600000000-SegmentBalances). */
export const SEGMENT_BALANCES: Rollup = {
  totals: 'segment_balances',
  changes: 'segment_balance_changes',
  keys: ['segment', 'due_date'],
  measures: ['open_minor', 'positive_open_minor'],
  refill: { mysql: [refillBalances('GREATEST')], sqlite: [refillBalances('MAX')] },
};

/**
 * SegmentReport's billing figures, from this subgraph's own tables: the
 * segment of each invoice's customer comes from the replica
 * (customer_segments), so no customer id crosses the gateway, and the sums
 * are kept per (segment, due date) by triggers, so a report reads a few
 * thousand rows whatever the number of customers.
 */
export class SegmentReportRepository {
  constructor(private readonly manager: EntityManager) {}

  static of(source: DataSource | EntityManager): SegmentReportRepository {
    return new SegmentReportRepository('manager' in source ? source.manager : source);
  }

  /**
   * Open and overdue balance per segment, defined as Customer.openBalance
   * and overdueBalance are (BillingRepository.summaries), so each is the sum
   * of that field over the segment's customers: open is every invoice's
   * OPEN_SQL, overdue the positive ones due before today. Folded totals and
   * the journal not yet folded are read in one statement, so the answer is
   * one consistent snapshot.
   */
  async balances(segments: readonly string[], today: string): Promise<Map<string, SegmentBalances>> {
    const rollup = totalsAndJournal(SEGMENT_BALANCES, 'segment, due_date, open_minor, positive_open_minor', `segment IN (${placeholders(segments.length)})`, [
      ...segments,
    ]);
    const rows: { segment: string; open_minor: unknown; overdue_minor: unknown }[] = await this.manager.query(
      `SELECT segment, SUM(open_minor) AS open_minor, SUM(CASE WHEN due_date < ? THEN positive_open_minor ELSE 0 END) AS overdue_minor
       FROM (${rollup.sql}) t GROUP BY segment`,
      [today, ...rollup.params],
    );
    return new Map(rows.map((r) => [String(r.segment), { openMinor: Number(r.open_minor ?? 0), overdueMinor: Number(r.overdue_minor ?? 0) }]));
  }
}
