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

  private async grouped(asOf: string, keySql: string): Promise<BucketRow[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT ${keySql} AS k, COUNT(*) AS n, SUM(open_minor) AS amount
       FROM (${this.openInvoices()}) o WHERE open_minor > 0 GROUP BY ${keySql}`,
      this.params(asOf),
    );
    return rows.map((r) => ({ key: Number(r.k), count: Number(r.n), amountMinor: Number(r.amount) }));
  }

  /** Open invoices per aging bucket (index into AGING_BUCKETS). */
  aging(asOf: string): Promise<BucketRow[]> {
    return this.grouped(asOf, 'CASE WHEN days <= 0 THEN 0 WHEN days <= 30 THEN 1 WHEN days <= 60 THEN 2 WHEN days <= 90 THEN 3 ELSE 4 END');
  }

  /** Open invoices per dunning level reached. */
  byDunningLevel(asOf: string): Promise<BucketRow[]> {
    return this.grouped(asOf, 'level');
  }

  /** Totals invoiced (not cancelled) in the 90 days up to and including asOf. */
  async invoicedLast90Days(asOf: string): Promise<number> {
    const [row] = await this.dataSource.query(
      "SELECT SUM(total_minor) AS s FROM invoices WHERE status <> 'CANCELLED' AND issue_date > ? AND issue_date <= ?",
      [addDaysUtc(asOf, -90), asOf],
    );
    return Number(row?.s ?? 0);
  }
}
