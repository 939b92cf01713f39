import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { execute, placeholders, sqlInstant } from '../platform';
import { DunningRunEntity } from './billing.entity';
import { DUNNABLE_STATUSES, type CustomerKind } from './billing.policy';

export interface DunningCandidate {
  id: string;
  customerId: string;
  dueDate: string;
  dunningLevel: number;
  status: string;
  paidMinor: number;
  openMinor: number;
  kind: CustomerKind | null;
  blocked: boolean;
}

export interface NoticeRow {
  invoiceId: string;
  fromLevel: number;
  /** paid_minor when the run read the invoice: the notice is only sent if no payment came in since. */
  seenPaidMinor: number;
  level: number;
  issuedOn: string;
  feeMinor: number;
  interestMinor: number;
  payBy: string;
  channel: string;
}

export interface HandOverRow {
  invoiceId: string;
  fromLevel: number;
  seenPaidMinor: number;
  /** The run's day, recorded as the handover's (the customer timeline shows it). */
  handedOverOn: string;
}

/** What one batch adds to the run's figures. */
export interface RunProgress {
  lastInvoiceId: string;
  noticesIssued: number;
  handedToCollection: number;
  skippedDisputed: number;
  skippedBlocked: number;
}

const DUNNABLE = `status IN (${placeholders(DUNNABLE_STATUSES.length)})`;

/** The SQL of a dunning run. */
export class DunningRepository {
  constructor(private readonly manager: EntityManager) {}

  findRun(asOf: string): Promise<DunningRunEntity | null> {
    return this.manager.findOne(DunningRunEntity, { where: { asOf } });
  }

  /** Claims the date; the primary key on as_of makes a second claim fail here. */
  async insertRun(run: DunningRunEntity): Promise<void> {
    await this.manager.insert(DunningRunEntity, run);
  }

  /**
   * Takes over a run that failed or whose owner stopped moving: only if the
   * row still has the status and owner it was read with (every owner is a
   * fresh token), so of two callers one wins.
   */
  async takeOver(seen: DunningRunEntity, owner: string, now: Date): Promise<boolean> {
    const { affected } = await execute(
      this.manager,
      "UPDATE dunning_runs SET status = 'RUNNING', owner = ?, heartbeat_at = ? WHERE as_of = ? AND status = ? AND owner = ?",
      [owner, sqlInstant(this.manager.connection, now), seen.asOf, seen.status, seen.owner ?? ''],
    );
    return affected === 1;
  }

  /**
   * The next batch of open, dunnable invoices due on or before `dueBy`, in id
   * order after `afterId`, with what billing knows of their customer.
   */
  async candidates(dueBy: string, afterId: string | null, limit: number): Promise<DunningCandidate[]> {
    const rows: Record<string, unknown>[] = await this.manager.query(
      `SELECT i.id, i.customer_id, i.due_date, i.dunning_level, i.status, i.paid_minor, i.total_minor - i.paid_minor AS open_minor,
              a.kind, a.dunning_blocked
       FROM invoices i LEFT JOIN billing_accounts a ON a.customer_id = i.customer_id
       WHERE i.${DUNNABLE} AND i.due_date <= ? AND i.total_minor > i.paid_minor AND i.id > ?
       ORDER BY i.id LIMIT ?`,
      [...DUNNABLE_STATUSES, dueBy, afterId ?? '', limit],
    );
    return rows.map((r) => ({
      id: String(r.id),
      customerId: String(r.customer_id),
      dueDate: String(r.due_date),
      dunningLevel: Number(r.dunning_level),
      status: String(r.status),
      paidMinor: Number(r.paid_minor),
      openMinor: Number(r.open_minor),
      kind: (r.kind as CustomerKind | null) ?? null,
      blocked: r.dunning_blocked === true || Number(r.dunning_blocked) === 1,
    }));
  }

  /**
   * Adds a batch's figures to the run, if this caller still owns it. Runs
   * first in the batch's transaction: it locks the run row, so an owner that
   * lost the run cannot write a batch.
   */
  async recordProgress(asOf: string, owner: string, progress: RunProgress, now: Date): Promise<boolean> {
    const { affected } = await execute(
      this.manager,
      `UPDATE dunning_runs SET last_invoice_id = ?, notices_issued = notices_issued + ?, handed_to_collection = handed_to_collection + ?,
         skipped_disputed = skipped_disputed + ?, skipped_blocked = skipped_blocked + ?, heartbeat_at = ?
       WHERE as_of = ? AND owner = ? AND status = 'RUNNING'`,
      [
        progress.lastInvoiceId,
        progress.noticesIssued,
        progress.handedToCollection,
        progress.skippedDisputed,
        progress.skippedBlocked,
        sqlInstant(this.manager.connection, now),
        asOf,
        owner,
      ],
    );
    return affected === 1;
  }

  async finish(asOf: string, owner: string, status: 'DONE' | 'FAILED', now: Date): Promise<void> {
    await execute(this.manager, 'UPDATE dunning_runs SET status = ?, heartbeat_at = ? WHERE as_of = ? AND owner = ?', [
      status,
      sqlInstant(this.manager.connection, now),
      asOf,
      owner,
    ]);
  }

  /**
   * Sends the notices: one row each, and the invoice's level raised only if
   * it is still open, dunnable, at the level the run saw and without a
   * payment since the run read it, checked in the same UPDATE (a payment
   * holds the row lock, so the check sees it). A concurrent run cannot raise
   * a level twice, and a paid invoice gets no notice.
   */
  async issueNotices(notices: NoticeRow[]): Promise<number> {
    let issued = 0;
    for (const n of notices) {
      const { affected } = await execute(
        this.manager,
        `UPDATE invoices SET dunning_level = ? WHERE id = ? AND dunning_level = ? AND paid_minor = ? AND total_minor > paid_minor AND ${DUNNABLE}`,
        [n.level, n.invoiceId, n.fromLevel, n.seenPaidMinor, ...DUNNABLE_STATUSES],
      );
      if (affected !== 1) continue;
      await this.manager.query(
        `INSERT INTO dunning_notices (id, invoice_id, level, issued_on, fee_minor, interest_minor, pay_by, channel)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [randomUUID(), n.invoiceId, n.level, n.issuedOn, n.feeMinor, n.interestMinor, n.payBy, n.channel],
      );
      issued++;
    }
    return issued;
  }

  /** Hands invoices to the collection agency (IN_COLLECTION), under the same conditions as a notice. */
  async handOver(rows: HandOverRow[]): Promise<number> {
    let handed = 0;
    for (const r of rows) {
      const { affected } = await execute(
        this.manager,
        `UPDATE invoices SET status = 'IN_COLLECTION' WHERE id = ? AND dunning_level = ? AND paid_minor = ? AND total_minor > paid_minor AND ${DUNNABLE}`,
        [r.invoiceId, r.fromLevel, r.seenPaidMinor, ...DUNNABLE_STATUSES],
      );
      if (affected !== 1) continue;
      await this.manager.query('INSERT INTO collection_handovers (invoice_id, handed_over_on) VALUES (?, ?)', [r.invoiceId, r.handedOverOn]);
      handed++;
    }
    return handed;
  }
}
