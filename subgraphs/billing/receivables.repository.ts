import type { DataSource } from 'typeorm';
import { addDaysUtc, daysSince, sqlInstant } from '../platform';

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
   * Today (or later) the invoices' own paid and level columns are the state
   * as of the date, and the status index narrows the scan to invoices with
   * money open. An earlier date needs the payments and notices up to then.
   */
  private source(asOf: string, today: string): { sql: string; params: unknown[] } {
    if (asOf >= today) {
      return {
        sql: `SELECT due_date, dunning_level AS level, total_minor - paid_minor AS open_minor, ${daysSince(this.dataSource, 'due_date')} AS days
              FROM invoices WHERE status IN ('OPEN', 'PARTIALLY_PAID', 'IN_COLLECTION') AND total_minor > paid_minor AND issue_date <= ?`,
        params: [asOf, asOf],
      };
    }
    return { sql: this.openInvoices(), params: this.params(asOf) };
  }

  /**
   * Open invoices grouped by aging bucket (index into AGING_BUCKETS) and
   * dunning level at once: one scan serves both partitions.
   */
  async buckets(asOf: string, today: string): Promise<{ bucket: number; level: number; count: number; amountMinor: number }[]> {
    const source = this.source(asOf, today);
    const bucket = 'CASE WHEN days <= 0 THEN 0 WHEN days <= 30 THEN 1 WHEN days <= 60 THEN 2 WHEN days <= 90 THEN 3 ELSE 4 END';
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT ${bucket} AS b, level AS l, COUNT(*) AS n, SUM(open_minor) AS amount
       FROM (${source.sql}) o WHERE open_minor > 0 GROUP BY ${bucket}, level`,
      source.params,
    );
    return rows.map((r) => ({ bucket: Number(r.b), level: Number(r.l), count: Number(r.n), amountMinor: Number(r.amount) }));
  }

  /** Totals invoiced (not cancelled) in the 90 days up to and including asOf. */
  async invoicedLast90Days(asOf: string): Promise<number> {
    const [row] = await this.dataSource.query("SELECT SUM(total_minor) AS s FROM invoices WHERE status <> 'CANCELLED' AND issue_date > ? AND issue_date <= ?", [
      addDaysUtc(asOf, -90),
      asOf,
    ]);
    return Number(row?.s ?? 0);
  }
}
