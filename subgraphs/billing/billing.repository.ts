import { In, type DataSource, type EntityManager } from 'typeorm';
import { and, countPerKey, firstRowsPerKey, nextInSequence, placeholders, whereCustomerIds, whereIn, type Where } from '../platform';
import { BillingAccountEntity, DunningNoticeEntity, InvoiceEntity, PaymentEntity, PaymentMethodEntity } from './billing.entity';

/** SQL for an invoice's open amount: nothing is owed on CANCELLED and WRITTEN_OFF invoices. */
export const OPEN_SQL = "(CASE WHEN status IN ('CANCELLED', 'WRITTEN_OFF') THEN 0 ELSE total_minor - paid_minor END)";

/**
 * SQL for what an invoice earned: its total, except that a CANCELLED invoice
 * earned nothing and a WRITTEN_OFF one only what was paid before the write-off
 * (the rest was never received and never will be). Lifetime revenue, CLV and
 * key-account revenue all sum this.
 */
export const EARNED_SQL = "(CASE WHEN status = 'CANCELLED' THEN 0 WHEN status = 'WRITTEN_OFF' THEN paid_minor ELSE total_minor END)";

export interface InvoiceFilter {
  statuses?: string[];
  /** Only invoices with an open amount whose due date lies before this date. */
  overdueBefore?: string;
}

export interface InvoiceCursor {
  issueDate: string;
  seq: number;
}

/** Per-customer sums, all from one GROUP BY. */
export interface AccountSummary {
  openMinor: number;
  overdueMinor: number;
  dunningLevel: number;
  revenueMinor: number;
}

export const EMPTY_SUMMARY: AccountSummary = { openMinor: 0, overdueMinor: 0, dunningLevel: 0, revenueMinor: 0 };

function invoiceFromRow(row: Record<string, unknown>): InvoiceEntity {
  return Object.assign(new InvoiceEntity(), {
    id: row.id,
    invoiceNumber: row.invoice_number,
    numberSeq: Number(row.number_seq),
    customerId: row.customer_id,
    issueDate: String(row.issue_date),
    dueDate: String(row.due_date),
    totalMinor: Number(row.total_minor),
    paidMinor: Number(row.paid_minor),
    currency: row.currency,
    status: row.status,
    dunningLevel: Number(row.dunning_level),
    createdAt: row.created_at,
  });
}

/** All SQL of the billing subgraph; read methods are one statement for any number of keys. */
export class BillingRepository {
  constructor(readonly manager: EntityManager) {}

  static of(source: DataSource | EntityManager): BillingRepository {
    return new BillingRepository('manager' in source ? source.manager : source);
  }

  invoicesByIds(ids: readonly string[]): Promise<InvoiceEntity[]> {
    return this.manager.find(InvoiceEntity, { where: { id: In([...ids]) } });
  }

  paymentsByInvoiceIds(ids: readonly string[]): Promise<PaymentEntity[]> {
    return this.manager.find(PaymentEntity, { where: { invoiceId: In([...ids]) }, order: { receivedAt: 'ASC', id: 'ASC' } });
  }

  noticesByInvoiceIds(ids: readonly string[]): Promise<DunningNoticeEntity[]> {
    return this.manager.find(DunningNoticeEntity, { where: { invoiceId: In([...ids]) }, order: { level: 'ASC' } });
  }

  accountsByCustomerIds(ids: readonly string[]): Promise<BillingAccountEntity[]> {
    return this.manager.find(BillingAccountEntity, { where: { customerId: In([...ids]) } });
  }

  private invoiceWhere(customerIds: readonly string[], filter: InvoiceFilter): Where {
    return whereIn(
      'customer_id',
      customerIds,
      filter.statuses && { sql: `status IN (${placeholders(filter.statuses.length)})`, params: filter.statuses },
      filter.overdueBefore ? { sql: `${OPEN_SQL} > 0 AND due_date < ?`, params: [filter.overdueBefore] } : undefined,
    );
  }

  /** Up to `limit` invoices per customer, newest first, after the cursor: one windowed statement. */
  async invoicePages(customerIds: readonly string[], filter: InvoiceFilter, after: InvoiceCursor | undefined, limit: number) {
    const where = this.invoiceWhere(customerIds, filter);
    const page = after
      ? and(where, { sql: '(issue_date < ? OR (issue_date = ? AND number_seq < ?))', params: [after.issueDate, after.issueDate, after.seq] })
      : where;
    const rows = await firstRowsPerKey(this.manager, 'invoices', 'customer_id', 'issue_date DESC, number_seq DESC', page, limit);
    return rows.map(invoiceFromRow);
  }

  invoiceCounts(customerIds: readonly string[], filter: InvoiceFilter): Promise<Map<string, number>> {
    return countPerKey(this.manager, 'invoices', 'customer_id', this.invoiceWhere(customerIds, filter));
  }

  /** Open and overdue balance, dunning level and lifetime revenue of each customer, in one GROUP BY. */
  async summaries(customerIds: readonly string[], today: string): Promise<Map<string, AccountSummary>> {
    const ids = whereCustomerIds('customer_id', customerIds);
    const rows: Record<string, unknown>[] = await this.manager.query(
      `SELECT customer_id,
              SUM(${OPEN_SQL}) AS open_minor,
              SUM(CASE WHEN ${OPEN_SQL} > 0 AND due_date < ? THEN ${OPEN_SQL} ELSE 0 END) AS overdue_minor,
              MAX(CASE WHEN ${OPEN_SQL} > 0 THEN dunning_level ELSE 0 END) AS dunning_level,
              SUM(${EARNED_SQL}) AS revenue_minor
       FROM invoices WHERE ${ids.sql} GROUP BY customer_id`,
      [today, ...ids.params],
    );
    return new Map(
      rows.map((r) => [
        String(r.customer_id),
        {
          openMinor: Number(r.open_minor),
          overdueMinor: Number(r.overdue_minor),
          dunningLevel: Number(r.dunning_level),
          revenueMinor: Number(r.revenue_minor),
        },
      ]),
    );
  }

  /** Per customer: what the invoices issued from `from` to `to` (inclusive) earned (EARNED_SQL). */
  async revenueBetween(customerIds: readonly string[], from: string, to: string): Promise<Map<string, number>> {
    const rows: { customer_id: string; s: unknown }[] = await this.manager.query(
      `SELECT customer_id, SUM(${EARNED_SQL}) AS s FROM invoices
       WHERE customer_id IN (${placeholders(customerIds.length)}) AND issue_date >= ? AND issue_date <= ?
       GROUP BY customer_id`,
      [...customerIds, from, to],
    );
    return new Map(rows.map((r) => [String(r.customer_id), Number(r.s)]));
  }

  /** Each customer's payment method in force on `today`: the latest validFrom up to then. */
  async currentPaymentMethods(customerIds: readonly string[], today: string): Promise<PaymentMethodEntity[]> {
    const rows: Record<string, unknown>[] = await this.manager.query(
      `SELECT * FROM (
         SELECT p.*, ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY valid_from DESC, created_at DESC, id DESC) AS rn
         FROM payment_methods p WHERE customer_id IN (${placeholders(customerIds.length)}) AND valid_from <= ?
       ) ranked WHERE rn = 1`,
      [...customerIds, today],
    );
    return rows.map((r) =>
      Object.assign(new PaymentMethodEntity(), {
        id: r.id,
        customerId: r.customer_id,
        type: r.type,
        iban: r.iban ?? null,
        validFrom: String(r.valid_from),
      }),
    );
  }

  /** The next invoice number: never fails, never repeats (platform/sequence.ts). */
  nextInvoiceSeq(): Promise<number> {
    return nextInSequence(this.manager, 'invoice_number_seq');
  }
}
