import type { DataSource } from 'typeorm';
import { addDaysUtc, daysSince, sqlInstant } from '../platform';
import { totalsAndJournal } from '../platform/rollup';
import { INVOICED_DAYS, RECEIVABLE_DAYS } from './billing.rollups';

export interface BucketRow {
  key: number;
  count: number;
  amountMinor: number;
}

/** Aging buckets: [label, min days overdue, max days overdue or null]. */
export const AGING_BUCKETS: [string, number, number | null][] = [
  ['current', 0, 0],
  ['1-30', 1, 30],
  ['31-60', 31, 60],
  ['61-90', 61, 90],
  ['90+', 91, null],
];

/**
 * Receivables as they stood at the end of `asOf`: invoices issued by then and
 * not cancelled or written off, less the payments received by then, with the
 * dunning level reached by then. At today's date this is simply every invoice
 * with an open amount.
 */
export class ReceivablesRepository {
  constructor(private readonly dataSource: DataSource) {}

  private openInvoices(): string {
    return `SELECT i.id, i.due_date, COALESCE(n.level, 0) AS level, i.total_minor - COALESCE(p.paid, 0) AS open_minor,
                   ${daysSince(this.dataSource, 'i.due_date')} AS days
            FROM invoices i
            LEFT JOIN (SELECT invoice_id, SUM(amount_minor) AS paid FROM payments WHERE received_at < ? GROUP BY invoice_id) p
              ON p.invoice_id = i.id
            LEFT JOIN (SELECT invoice_id, MAX(level) AS level FROM dunning_notices WHERE issued_on <= ? GROUP BY invoice_id) n
              ON n.invoice_id = i.id
            WHERE i.status NOT IN ('CANCELLED', 'WRITTEN_OFF') AND i.issue_date <= ?`;
  }

  private params(asOf: string): unknown[] {
    const endOfDay = sqlInstant(this.dataSource, new Date(`${addDaysUtc(asOf, 1)}T00:00:00.000Z`));
    // Order of the `?` in openInvoices(): days' date, payments cut-off, notices cut-off, issue cut-off.
    return [asOf, endOfDay, asOf, asOf];
  }

  /**
   * Today (or later) the rollup is the state as of the date (billing.rollups.ts):
   * totals and journal per (due date, level), less the invoices with money
   * open that are issued only after the date (the issue-date index finds
   * them). An earlier date needs the payments and notices up to then.
   */
  private source(asOf: string, today: string): { sql: string; params: unknown[] } {
    if (asOf >= today) {
      const days = daysSince(this.dataSource, 'due_date');
      const rollup = totalsAndJournal(RECEIVABLE_DAYS, `${days} AS days, level, invoices, open_minor`, undefined, [asOf]);
      return {
        sql: `${rollup.sql}
              UNION ALL SELECT ${days}, dunning_level, -1, paid_minor - total_minor FROM invoices
                WHERE issue_date > ? AND status IN ('OPEN', 'PARTIALLY_PAID', 'IN_COLLECTION') AND total_minor > paid_minor`,
        params: [...rollup.params, asOf, asOf],
      };
    }
    return { sql: `SELECT days, level, 1 AS invoices, open_minor FROM (${this.openInvoices()}) o WHERE open_minor > 0`, params: this.params(asOf) };
  }

  /**
   * Open invoices grouped by aging bucket (index into AGING_BUCKETS) and
   * dunning level at once: one scan serves both partitions.
   */
  async buckets(asOf: string, today: string): Promise<{ bucket: number; level: number; count: number; amountMinor: number }[]> {
    const source = this.source(asOf, today);
    const bucket = 'CASE WHEN days <= 0 THEN 0 WHEN days <= 30 THEN 1 WHEN days <= 60 THEN 2 WHEN days <= 90 THEN 3 ELSE 4 END';
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT ${bucket} AS b, level AS l, SUM(invoices) AS n, SUM(open_minor) AS amount
       FROM (${source.sql}) o GROUP BY ${bucket}, level HAVING SUM(invoices) <> 0`,
      source.params,
    );
    return rows.map((r) => ({ bucket: Number(r.b), level: Number(r.l), count: Number(r.n), amountMinor: Number(r.amount) }));
  }

  /** Totals invoiced (not cancelled) in the 90 days up to and including asOf, from the rollup (totals and journal). */
  async invoicedLast90Days(asOf: string): Promise<number> {
    const rollup = totalsAndJournal(INVOICED_DAYS, 'invoiced_minor', 'issue_date > ? AND issue_date <= ?', [addDaysUtc(asOf, -90), asOf]);
    const [row] = await this.dataSource.query(`SELECT SUM(invoiced_minor) AS s FROM (${rollup.sql}) t`, rollup.params);
    return Number(row?.s ?? 0);
  }
}
