import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import {
  actorOf,
  auditChanges,
  badUserInput,
  reportRange,
  forUpdate,
  invalidTransition,
  money,
  notFound,
  optionalText,
  pageRequest,
  parseMoney,
  requireCustomer,
  requiredText,
  sqlInstant,
  toPage,
  utcDate,
  versionConflict,
  type Page,
  type RequestContext,
} from '../platform';
import { ClaimEntity, ClaimEventEntity } from './claims.entity';
import type { ClaimsLoaders } from './claims.loaders';
import { canTransition, type ClaimStatusName } from './claims.policy';
import { ClaimsReportRepository } from './claims-report.repository';
import { ClaimsRepository, type TimeCursor } from './claims.repository';
import type { ClaimDimension, ClaimStat, ClaimStatus, ReportClaimInput } from './claims.types';

export type ClaimsContext = RequestContext<ClaimsLoaders>;

export interface CountedPage<T> extends Page<T> {
  count: () => Promise<number>;
}

export const isTimeCursor = (v: unknown): v is TimeCursor =>
  typeof v === 'object' && v !== null && typeof (v as TimeCursor).id === 'string' && !Number.isNaN(Date.parse((v as TimeCursor).at));

export function formatClaimNumber(seq: number): string {
  return `CL-${String(seq).padStart(7, '0')}`;
}

/** The claim under a row lock: the version read is the stored one (platform `forUpdate`). */
function lockedClaim(manager: EntityManager, id: string): Promise<ClaimEntity | null> {
  return forUpdate(manager.createQueryBuilder(ClaimEntity, 'c').where('c.id = :id', { id })).getOne();
}

/** Claims handling: report, the lifecycle with its history, and the statistics. */
export class ClaimService {
  constructor(private readonly ctx: ClaimsContext) {}

  get(id: string): Promise<ClaimEntity | null> {
    return this.ctx.loaders.claimById.load(id);
  }

  async customerPage(
    customerId: string,
    args: { first?: number | null; after?: string | null; statuses?: ClaimStatus[] | null },
  ): Promise<CountedPage<ClaimEntity>> {
    const page = pageRequest('claims', args.first, args.after, isTimeCursor);
    const statuses = args.statuses?.length ? [...new Set(args.statuses)].sort() : undefined;
    const rows =
      page.first === 0 ? [] : await this.ctx.loaders.claimPages.for(JSON.stringify({ statuses, after: page.after, limit: page.first + 1 })).load(customerId);
    return {
      ...toPage(rows, page.first, 'claims', (c) => ({ at: c.reportedAt.toISOString(), id: c.id })),
      count: () => this.ctx.loaders.claimCounts.for(JSON.stringify(statuses ?? null)).load(customerId),
    };
  }

  async report(input: ReportClaimInput): Promise<ClaimEntity> {
    const now = this.ctx.clock.now();
    const description = requiredText('description', input.description, 4000);
    if (input.incidentDate && input.incidentDate > utcDate(now)) throw badUserInput('incidentDate', 'incidentDate must not lie in the future');
    const claimedMinor = input.claimedAmount == null ? null : parseMoney('claimedAmount', input.claimedAmount);
    if (claimedMinor !== null && claimedMinor <= 0) throw badUserInput('claimedAmount', 'claimedAmount must be greater than 0');
    await requireCustomer(this.ctx.customerDirectory, input.customerId, this.ctx.identity);
    return this.ctx.dataSource.transaction(async (manager) => {
      const repository = new ClaimsRepository(manager, (d) => sqlInstant(this.ctx.dataSource, d));
      const numberSeq = await repository.nextClaimSeq();
      const claim = Object.assign(new ClaimEntity(), {
        id: randomUUID(),
        claimNumber: formatClaimNumber(numberSeq),
        numberSeq,
        customerId: input.customerId,
        type: input.type,
        status: 'REPORTED',
        decision: null,
        reportedAt: now,
        incidentDate: input.incidentDate ?? null,
        description,
        claimedMinor,
        settledMinor: null,
        currency: this.ctx.loaders.settings.currency,
        version: 1,
        updatedAt: now,
      });
      await manager.insert(ClaimEntity, claim);
      await repository.insertClaimEvent(this.event(claim.id, 1, null, 'REPORTED', null, now));
      await this.ctx.audit(manager, {
        action: 'reportClaim',
        entityType: 'Claim',
        entityId: claim.id,
        changes: auditChanges(null, { ...claim }, ['description']),
      });
      return claim;
    });
  }

  private event(claimId: string, seq: number, from: string | null, to: string, note: string | null, at: Date): ClaimEventEntity {
    return Object.assign(new ClaimEventEntity(), {
      id: randomUUID(),
      claimId,
      seq,
      at,
      fromStatus: from,
      toStatus: to,
      note,
      actor: actorOf(this.ctx.identity),
    });
  }

  /**
   * Moves a claim along its lifecycle under optimistic locking: the UPDATE
   * only applies to the version the caller read, and the history entry is
   * written in the same transaction.
   */
  async transition(id: string, to: ClaimStatusName, expectedVersion: number, noteInput?: string | null, settledAmount?: string | null): Promise<ClaimEntity> {
    const note = optionalText('note', noteInput, 2000);
    const now = this.ctx.clock.now();
    const claim = await this.ctx.dataSource.transaction(async (manager) => {
      // Locked, so the version compared (and reported on a conflict) is the stored one.
      const current = await lockedClaim(manager, id);
      if (!current) throw notFound('Claim', id);
      if (current.version !== expectedVersion) throw versionConflict('Claim', id, expectedVersion, current.version);
      const from = current.status as ClaimStatusName;
      if (!canTransition(from, to)) throw invalidTransition(`a ${from} claim cannot move to ${to}`);
      if (from === 'CLOSED' && !note) throw badUserInput('note', 'reopening a closed claim needs a note');
      let settledMinor = current.settledMinor;
      if (to === 'SETTLED') {
        if (settledAmount == null) throw badUserInput('settledAmount', 'SETTLED needs a settledAmount');
        settledMinor = parseMoney('settledAmount', settledAmount);
        if (settledMinor <= 0) throw badUserInput('settledAmount', 'settledAmount must be greater than 0');
        if (current.claimedMinor !== null && settledMinor > current.claimedMinor) {
          throw badUserInput('settledAmount', 'settledAmount must not exceed the claimed amount');
        }
      } else if (settledAmount != null) {
        throw badUserInput('settledAmount', 'settledAmount belongs to the SETTLED transition only');
      }
      const decision = to === 'APPROVED' || to === 'REJECTED' ? to : to === 'IN_REVIEW' ? null : current.decision;
      const result = await manager
        .createQueryBuilder()
        .update(ClaimEntity)
        .set({ status: to, decision, settledMinor, updatedAt: now, version: () => 'version + 1' })
        .where('id = :id AND version = :expectedVersion', { id, expectedVersion })
        .execute();
      if (result.affected !== 1) {
        const stored = await lockedClaim(manager, id);
        throw versionConflict('Claim', id, expectedVersion, stored?.version ?? expectedVersion);
      }
      await manager.insert(ClaimEventEntity, this.event(id, expectedVersion + 1, from, to, note, now));
      const stored = (await manager.findOne(ClaimEntity, { where: { id } }))!;
      await this.ctx.audit(manager, {
        action: 'transitionClaim',
        entityType: 'Claim',
        entityId: id,
        changes: auditChanges(
          { status: current.status, decision: current.decision, settledMinor: current.settledMinor, version: current.version, note: null },
          { status: stored.status, decision: stored.decision, settledMinor: stored.settledMinor, version: stored.version, note },
          ['note'],
        ),
      });
      return stored;
    });
    this.ctx.loaders.claimById.clear(id).prime(id, claim);
    this.ctx.loaders.historyByClaim.clear(id);
    return claim;
  }

  async stats(from: string, to: string, groupBy: ClaimDimension): Promise<ClaimStat[]> {
    const { start, end } = reportRange(from, to);
    const rows = await new ClaimsReportRepository(this.ctx.dataSource).claims(start, end, groupBy);
    return rows.map((r) => ({
      key: r.key,
      count: r.count,
      claimedTotal: money(r.claimedMinor, this.ctx.loaders.settings.currency),
      settledTotal: money(r.settledMinor, this.ctx.loaders.settings.currency),
      approvalRate: r.approved + r.rejected === 0 ? null : r.approved / (r.approved + r.rejected),
    }));
  }
}
