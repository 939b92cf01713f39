import { In, type EntityManager } from 'typeorm';
import { and, countPerKey, nextInSequence, firstRowsPerKey, placeholders, readInstant, readNumber, whereCustomerIds, whereIn, type Where } from '../platform';
import { ClaimEntity, ClaimEventEntity, ComplaintEntity, ComplaintEventEntity } from './claims.entity';

/** Position after which a newest-first page continues. */
export interface TimeCursor {
  at: string;
  id: string;
}

/** A customer's open claims and open complaints. */
export interface OpenCounts {
  claims: number;
  complaints: number;
}

function statuses(list: string[] | undefined): Where | undefined {
  return list && { sql: `status IN (${placeholders(list.length)})`, params: list };
}

function after(column: string, cursor: TimeCursor | undefined, instant: (d: Date) => unknown): Where | undefined {
  if (!cursor) return undefined;
  const at = instant(new Date(cursor.at));
  return { sql: `(${column} < ? OR (${column} = ? AND id < ?))`, params: [at, at, cursor.id] };
}

function claimFromRow(r: Record<string, unknown>): ClaimEntity {
  return Object.assign(new ClaimEntity(), {
    id: r.id,
    claimNumber: r.claim_number,
    numberSeq: Number(r.number_seq),
    customerId: r.customer_id,
    type: r.type,
    status: r.status,
    decision: r.decision ?? null,
    reportedAt: readInstant(r.reported_at),
    incidentDate: r.incident_date == null ? null : String(r.incident_date),
    description: r.description,
    claimedMinor: readNumber(r.claimed_minor),
    settledMinor: readNumber(r.settled_minor),
    currency: r.currency,
    version: Number(r.version),
    updatedAt: readInstant(r.updated_at),
  });
}

function complaintFromRow(r: Record<string, unknown>): ComplaintEntity {
  const maybe = (v: unknown) => (v == null ? null : readInstant(v));
  return Object.assign(new ComplaintEntity(), {
    id: r.id,
    customerId: r.customer_id,
    channel: r.channel,
    category: r.category,
    priority: r.priority,
    status: r.status,
    competenceLevel: r.competence_level,
    receivedAt: readInstant(r.received_at),
    firstResponseDueAt: readInstant(r.first_response_due_at),
    resolutionDueAt: readInstant(r.resolution_due_at),
    firstResponseAt: maybe(r.first_response_at),
    resolvedAt: maybe(r.resolved_at),
    description: r.description,
    resolution: r.resolution ?? null,
    invoiceId: r.invoice_id ?? null,
    updatedAt: readInstant(r.updated_at),
  });
}

/** All SQL on claims and complaints; read methods are one statement for any number of keys. */
export class ClaimsRepository {
  constructor(
    readonly manager: EntityManager,
    /** Binds an instant for raw SQL on this database. */
    private readonly instant: (d: Date) => unknown,
  ) {}

  claimsByIds(ids: readonly string[]): Promise<ClaimEntity[]> {
    return this.manager.find(ClaimEntity, { where: { id: In([...ids]) } });
  }

  complaintsByIds(ids: readonly string[]): Promise<ComplaintEntity[]> {
    return this.manager.find(ComplaintEntity, { where: { id: In([...ids]) } });
  }

  eventsByClaimIds(ids: readonly string[]): Promise<ClaimEventEntity[]> {
    return this.manager.find(ClaimEventEntity, { where: { claimId: In([...ids]) }, order: { seq: 'ASC' } });
  }

  async claimPages(customerIds: readonly string[], status: string[] | undefined, cursor: TimeCursor | undefined, limit: number) {
    const where = whereIn('customer_id', customerIds, statuses(status), after('reported_at', cursor, this.instant));
    return (await firstRowsPerKey(this.manager, 'claims', 'customer_id', 'reported_at DESC, id DESC', where, limit)).map(claimFromRow);
  }

  claimCounts(customerIds: readonly string[], status: string[] | undefined): Promise<Map<string, number>> {
    return countPerKey(this.manager, 'claims', 'customer_id', whereIn('customer_id', customerIds, statuses(status)));
  }

  /**
   * Open claims and open complaints per customer (Customer.openClaimCount and
   * openComplaintCount), both in one statement.
   */
  async openCounts(customerIds: readonly string[], claimStatuses: readonly string[], complaintStatuses: readonly string[]): Promise<Map<string, OpenCounts>> {
    const ids = whereCustomerIds('customer_id', customerIds);
    const rows: { kind: string; k: string; n: unknown }[] = await this.manager.query(
      `SELECT 'claims' AS kind, customer_id AS k, COUNT(*) AS n FROM claims
         WHERE ${ids.sql} AND status IN (${placeholders(claimStatuses.length)}) GROUP BY customer_id
       UNION ALL
       SELECT 'complaints', customer_id, COUNT(*) FROM complaints
         WHERE ${ids.sql} AND status IN (${placeholders(complaintStatuses.length)}) GROUP BY customer_id`,
      [...ids.params, ...claimStatuses, ...ids.params, ...complaintStatuses],
    );
    const counts = new Map<string, OpenCounts>();
    for (const row of rows) {
      const entry = counts.get(row.k) ?? { claims: 0, complaints: 0 };
      entry[row.kind === 'claims' ? 'claims' : 'complaints'] = Number(row.n);
      counts.set(row.k, entry);
    }
    return counts;
  }

  async complaintPages(customerIds: readonly string[], status: string[] | undefined, cursor: TimeCursor | undefined, limit: number) {
    const where = whereIn('customer_id', customerIds, statuses(status), after('received_at', cursor, this.instant));
    return (await firstRowsPerKey(this.manager, 'complaints', 'customer_id', 'received_at DESC, id DESC', where, limit)).map(complaintFromRow);
  }

  complaintCounts(customerIds: readonly string[], status: string[] | undefined): Promise<Map<string, number>> {
    return countPerKey(this.manager, 'complaints', 'customer_id', whereIn('customer_id', customerIds, statuses(status)));
  }

  /** Complaints naming each invoice, oldest first. */
  complaintsByInvoiceIds(invoiceIds: readonly string[]): Promise<ComplaintEntity[]> {
    return this.manager.find(ComplaintEntity, { where: { invoiceId: In([...invoiceIds]) }, order: { receivedAt: 'ASC', id: 'ASC' } });
  }

  /** How many open complaints name each invoice (Invoice.disputed). */
  openComplaintsPerInvoice(invoiceIds: readonly string[], open: string[]): Promise<Map<string, number>> {
    return countPerKey(this.manager, 'complaints', 'invoice_id', and(whereIn('invoice_id', invoiceIds), statuses(open)!));
  }

  /** The next claim number: never fails, never repeats (platform/sequence.ts). */
  nextClaimSeq(): Promise<number> {
    return nextInSequence(this.manager, 'claim_number_seq');
  }

  async insertClaimEvent(event: ClaimEventEntity): Promise<void> {
    await this.manager.insert(ClaimEventEntity, event);
  }

  async insertComplaintEvent(event: ComplaintEventEntity): Promise<void> {
    await this.manager.insert(ComplaintEventEntity, event);
  }
}
