import { randomUUID } from 'node:crypto';
import {
  CompetenceLevel,
  actorOf,
  auditChanges,
  badUserInput,
  reportRange,
  forUpdate,
  invalidTransition,
  notFound,
  pageRequest,
  requireCustomer,
  requiredText,
  toPage,
  type Channel,
} from '../platform';
import { ComplaintEntity, ComplaintEventEntity } from './claims.entity';
import { OPEN_COMPLAINT_STATUSES, breached, dueTimes, escalated, type PriorityName } from './claims.policy';
import { ClaimsReportRepository } from './claims-report.repository';
import { isTimeCursor, type ClaimsContext, type CountedPage } from './claim.service';
import type { ComplaintStatus, FileComplaintInput, Sla, SlaDimension, SlaStat } from './claims.types';

/** Complaint management: file, respond, escalate, resolve, each measured against its SLA. */
export class ComplaintService {
  constructor(private readonly ctx: ClaimsContext) {}

  get(id: string): Promise<ComplaintEntity | null> {
    return this.ctx.loaders.complaintById.load(id);
  }

  sla(complaint: ComplaintEntity): Sla {
    const now = this.ctx.clock.now();
    return {
      firstResponseDueAt: complaint.firstResponseDueAt,
      resolutionDueAt: complaint.resolutionDueAt,
      firstResponseBreached: breached(complaint.firstResponseAt, complaint.firstResponseDueAt, now),
      resolutionBreached: breached(complaint.resolvedAt, complaint.resolutionDueAt, now),
    };
  }

  async customerPage(
    customerId: string,
    args: { first?: number | null; after?: string | null; statuses?: ComplaintStatus[] | null },
  ): Promise<CountedPage<ComplaintEntity>> {
    const page = pageRequest('complaints', args.first, args.after, isTimeCursor);
    const statuses = args.statuses?.length ? [...new Set(args.statuses)].sort() : undefined;
    const rows =
      page.first === 0
        ? []
        : await this.ctx.loaders.complaintPages.for(JSON.stringify({ statuses, after: page.after, limit: page.first + 1 })).load(customerId);
    return {
      ...toPage(rows, page.first, 'complaints', (c) => ({ at: c.receivedAt.toISOString(), id: c.id })),
      count: () => this.ctx.loaders.complaintCounts.for(JSON.stringify(statuses ?? null)).load(customerId),
    };
  }

  async file(input: FileComplaintInput): Promise<ComplaintEntity> {
    const now = this.ctx.clock.now();
    const complaint = Object.assign(new ComplaintEntity(), {
      id: randomUUID(),
      customerId: input.customerId,
      channel: input.channel as Channel,
      category: requiredText('category', input.category, 100),
      priority: input.priority,
      status: 'OPEN',
      competenceLevel: CompetenceLevel.FIRST_LEVEL,
      receivedAt: now,
      ...dueTimes(now, input.priority as PriorityName, this.ctx.loaders.settings.sla),
      firstResponseAt: null,
      resolvedAt: null,
      description: requiredText('description', input.description, 4000),
      resolution: null,
      invoiceId: input.invoiceId?.trim() || null,
      updatedAt: now,
    });
    await requireCustomer(this.ctx.customerDirectory, input.customerId, this.ctx.identity);
    if (complaint.invoiceId) {
      // The invoice must exist in billing and belong to this customer.
      const invoice = (await this.ctx.loaders.settings.invoices.find([complaint.invoiceId])).get(complaint.invoiceId);
      if (!invoice) throw notFound('Invoice', complaint.invoiceId);
      if (invoice.customerId !== input.customerId) throw badUserInput('invoiceId', 'the invoice belongs to another customer');
    }
    await this.ctx.dataSource.transaction(async (manager) => {
      await manager.insert(ComplaintEntity, complaint);
      await this.ctx.audit(manager, {
        action: 'fileComplaint',
        entityType: 'Complaint',
        entityId: complaint.id,
        changes: auditChanges(null, { ...complaint }, ['description', 'resolution']),
      });
    });
    return complaint;
  }

  /**
   * Locks the complaint, checks it is still open, changes it and records why,
   * in one transaction. The UPDATE is also conditional on the status it was
   * read with, so two concurrent moves (say resolve and escalate) cannot both
   * apply: the loser gets INVALID_TRANSITION and writes nothing.
   */
  private async act(
    id: string,
    action: string,
    kind: string,
    message: string,
    change: (c: ComplaintEntity, now: Date) => Partial<ComplaintEntity>,
  ): Promise<ComplaintEntity> {
    const now = this.ctx.clock.now();
    const updated = await this.ctx.dataSource.transaction(async (manager) => {
      const complaint = await forUpdate(manager.createQueryBuilder(ComplaintEntity, 'c').where('c.id = :id', { id })).getOne();
      if (!complaint) throw notFound('Complaint', id);
      if (!OPEN_COMPLAINT_STATUSES.includes(complaint.status)) throw invalidTransition(`a ${complaint.status} complaint cannot be changed any more`);
      const changes = { ...change(complaint, now), updatedAt: now };
      const result = await manager.update(ComplaintEntity, { id, status: complaint.status }, changes);
      if (result.affected !== 1) throw invalidTransition('the complaint was changed by someone else meanwhile; reload it');
      await manager.insert(ComplaintEventEntity, { id: randomUUID(), complaintId: id, at: now, kind, message, actor: actorOf(this.ctx.identity) });
      const before = Object.fromEntries(Object.keys(changes).map((k) => [k, complaint[k as keyof ComplaintEntity]]));
      await this.ctx.audit(manager, {
        action,
        entityType: 'Complaint',
        entityId: id,
        changes: auditChanges({ ...before, message: null }, { ...changes, message }, ['resolution', 'message']),
      });
      return Object.assign(complaint, changes);
    });
    this.ctx.loaders.complaintById.clear(id).prime(id, updated);
    return updated;
  }

  /** The first response is recorded once; it moves an OPEN complaint IN_PROGRESS. */
  respond(id: string, message: string): Promise<ComplaintEntity> {
    const text = requiredText('message', message, 4000);
    return this.act(id, 'respondToComplaint', 'RESPONSE', text, (c, now) => ({
      firstResponseAt: c.firstResponseAt ?? now,
      status: c.status === 'OPEN' ? 'IN_PROGRESS' : c.status,
    }));
  }

  /** One competence level up (THIRD_LEVEL at most), status ESCALATED. */
  escalate(id: string, reason: string): Promise<ComplaintEntity> {
    const text = requiredText('reason', reason, 4000);
    return this.act(id, 'escalateComplaint', 'ESCALATION', text, (c) => ({
      competenceLevel: escalated(c.competenceLevel as CompetenceLevel),
      status: 'ESCALATED',
    }));
  }

  /** RESOLVED with the resolution; a resolution also answers a complaint that had no response yet. */
  resolve(id: string, resolution: string): Promise<ComplaintEntity> {
    const text = requiredText('resolution', resolution, 4000);
    return this.act(id, 'resolveComplaint', 'RESOLUTION', text, (c, now) => ({
      status: 'RESOLVED',
      resolvedAt: now,
      resolution: text,
      firstResponseAt: c.firstResponseAt ?? now,
    }));
  }

  async slaReport(from: string, to: string, groupBy: SlaDimension): Promise<SlaStat[]> {
    const { start, end } = reportRange(from, to);
    const rows = await new ClaimsReportRepository(this.ctx.dataSource).sla(start, end, this.ctx.clock.now(), groupBy);
    return rows.map((r) => ({
      key: r.key,
      complaintCount: r.count,
      // Nothing measurable yet (nothing answered, nothing past due) breaches nothing: 1.
      firstResponseComplianceRate: r.firstMeasured === 0 ? 1 : r.firstOk / r.firstMeasured,
      resolutionComplianceRate: r.resolutionMeasured === 0 ? 1 : r.resolutionOk / r.resolutionMeasured,
      averageResolutionHours: r.resolvedCount === 0 ? null : r.resolutionMsSum / r.resolvedCount / 3_600_000,
    }));
  }
}
