import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { placeholders } from '../platform';
import { DunningRunEntity } from './billing.entity';
import { DUNNABLE_STATUSES, type CustomerKind } from './billing.policy';

export interface DunningCandidate {
  id: string;
  customerId: string;
  dueDate: string;
  dunningLevel: number;
  status: string;
  openMinor: number;
  kind: CustomerKind | null;
  blocked: boolean;
}

export interface NoticeRow {
  invoiceId: string;
  fromLevel: number;
  level: number;
  issuedOn: string;
  feeMinor: number;
  interestMinor: number;
  payBy: string;
  channel: string;
}

/** The SQL of a dunning run. */
export class DunningRepository {
  constructor(private readonly manager: EntityManager) {}

  findRun(asOf: string): Promise<DunningRunEntity | null> {
    return this.manager.findOne(DunningRunEntity, { where: { asOf } });
  }

  /** Open, dunnable invoices due on or before `dueBy`, with what billing knows of their customer. */
  async candidates(dueBy: string): Promise<DunningCandidate[]> {
    const rows: Record<string, unknown>[] = await this.manager.query(
      `SELECT i.id, i.customer_id, i.due_date, i.dunning_level, i.status, i.total_minor - i.paid_minor AS open_minor,
              a.kind, a.dunning_blocked
       FROM invoices i LEFT JOIN billing_accounts a ON a.customer_id = i.customer_id
       WHERE i.status IN (${placeholders(DUNNABLE_STATUSES.length)}) AND i.due_date <= ? AND i.total_minor > i.paid_minor`,
      [...DUNNABLE_STATUSES, dueBy],
    );
    return rows.map((r) => ({
      id: String(r.id),
      customerId: String(r.customer_id),
      dueDate: String(r.due_date),
      dunningLevel: Number(r.dunning_level),
      status: String(r.status),
      openMinor: Number(r.open_minor),
      kind: (r.kind as CustomerKind | null) ?? null,
      blocked: r.dunning_blocked === true || Number(r.dunning_blocked) === 1,
    }));
  }

  /** Records the run; the primary key on as_of makes a second run for the date fail here. */
  async insertRun(run: DunningRunEntity): Promise<void> {
    await this.manager.insert(DunningRunEntity, run);
  }

  /**
   * Sends the notices: one row each, and the invoice's level raised only if it
   * is still the level the run saw (a concurrent run cannot raise it twice).
   */
  async issueNotices(notices: NoticeRow[]): Promise<number> {
    let issued = 0;
    for (const n of notices) {
      const result = await this.manager.query(
        'UPDATE invoices SET dunning_level = ? WHERE id = ? AND dunning_level = ?',
        [n.level, n.invoiceId, n.fromLevel],
      );
      if (affected(result) !== 1) continue;
      await this.manager.query(
        `INSERT INTO dunning_notices (id, invoice_id, level, issued_on, fee_minor, interest_minor, pay_by, channel)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [randomUUID(), n.invoiceId, n.level, n.issuedOn, n.feeMinor, n.interestMinor, n.payBy, n.channel],
      );
      issued++;
    }
    return issued;
  }

  /** Hands invoices to the collection agency: status IN_COLLECTION. */
  async handOver(invoiceIds: string[]): Promise<number> {
    if (invoiceIds.length === 0) return 0;
    const result = await this.manager.query(
      `UPDATE invoices SET status = 'IN_COLLECTION' WHERE id IN (${placeholders(invoiceIds.length)}) AND status IN (${placeholders(DUNNABLE_STATUSES.length)})`,
      [...invoiceIds, ...DUNNABLE_STATUSES],
    );
    return affected(result);
  }
}

/** Rows changed by an UPDATE through `manager.query`: mysql2 answers a header, better-sqlite3 a run result. */
export function affected(result: unknown): number {
  const r = result as { affectedRows?: number; changes?: number } | [unknown, number];
  if (Array.isArray(r)) return Number(r[1] ?? 0);
  return Number(r?.affectedRows ?? r?.changes ?? 0);
}
