import { randomUUID } from 'node:crypto';
import {
  addDaysUtc,
  auditChanges,
  badUserInput,
  isDeadlock,
  isUniqueViolation,
  retryConflicts,
  money,
  requireCustomer,
  requiredText,
  serviceUnavailable,
} from '../platform';
import { BillingAccountEntity, DunningRunEntity } from './billing.entity';
import { nextDunningAction, type CustomerKind } from './billing.policy';
import type { DunningRun, ReceivablesReport } from './billing.types';
import { DunningRepository, type DunningCandidate, type HandOverRow, type NoticeRow } from './dunning.repository';
import { rememberKind, type BillingContext } from './invoice.service';
import { AGING_BUCKETS, ReceivablesRepository, type BucketRow } from './receivables.repository';
import { dunningRunCounter } from './billing.metrics';

/** How long a second request for a date waits for the request running it (it then answers retryable IN_PROGRESS). */
const RUN_WAIT_MS = 30_000;
const RUN_POLL_MS = 100;
/** A RUNNING run whose owner has not recorded a batch for this long is taken to have died and is taken over. */
const STALE_MS = 120_000;
/** Attempts at one batch when InnoDB breaks a deadlock by rolling it back (every write in it is conditional, so a rerun is safe). */
const BATCH_ATTEMPTS = 3;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function toRun(run: DunningRunEntity): DunningRun {
  return {
    asOf: run.asOf,
    noticesIssued: run.noticesIssued,
    handedToCollection: run.handedToCollection,
    skippedDisputed: run.skippedDisputed,
    skippedBlocked: run.skippedBlocked,
  };
}

/** Dunning runs, dunning blocks and the receivables report. */
export class DunningService {
  constructor(private readonly ctx: BillingContext) {}

  /**
   * One dunning run as of a date (not after today). Each dunnable invoice
   * moves at most one step; blocked customers and disputed invoices are
   * skipped. The date is claimed first (its primary key), then the invoices
   * are worked in batches of `runBatchSize`, each read, checked with claims
   * and written in its own short transaction, with the run's progress. A
   * notice or handover is written only if the invoice is still open and
   * unchanged when it is written. A repeat for a finished date answers what
   * that run did and changes nothing; a run that failed part-way is resumed
   * by the next call for its date.
   */
  async run(asOf: string): Promise<DunningRun> {
    if (asOf > this.ctx.loaders.today) throw badUserInput('asOf', 'asOf must not lie after today');
    const owner = randomUUID();
    const claimed = await this.claim(asOf, owner);
    if (claimed.status === 'DONE') return toRun(claimed);
    const ended = dunningRunCounter(this.ctx.metrics);
    try {
      await this.work(claimed, owner);
      await this.ctx.dataSource.transaction(async (m) => {
        const repository = new DunningRepository(m);
        await repository.finish(asOf, owner, 'DONE', this.ctx.clock.now());
        // The run's figures, in the transaction that completes it (each notice is a row of dunning_notices already).
        const run = toRun((await repository.findRun(asOf))!);
        await this.ctx.audit(m, { action: 'runDunning', entityType: 'DunningRun', entityId: asOf, changes: auditChanges(null, { ...run }) });
      });
    } catch (error) {
      // Leave it resumable: the next run for this date takes over where this one stopped.
      await this.ctx.dataSource.transaction((m) => new DunningRepository(m).finish(asOf, owner, 'FAILED', this.ctx.clock.now())).catch(() => undefined);
      ended.inc({ outcome: 'failed' });
      throw error;
    }
    ended.inc({ outcome: 'done' });
    return toRun((await new DunningRepository(this.ctx.dataSource.manager).findRun(asOf))!);
  }

  /**
   * The run row for `asOf`, owned by `owner` unless it is DONE. A run another
   * request is working on is waited for (up to RUN_WAIT_MS); one that failed,
   * or whose owner has not moved for STALE_MS, is taken over.
   */
  private async claim(asOf: string, owner: string): Promise<DunningRunEntity> {
    const now = () => this.ctx.clock.now();
    const read = () => new DunningRepository(this.ctx.dataSource.manager).findRun(asOf);
    const waitUntil = Date.now() + RUN_WAIT_MS;
    for (;;) {
      const seen = await read();
      if (!seen) {
        const run = Object.assign(new DunningRunEntity(), {
          asOf,
          noticesIssued: 0,
          handedToCollection: 0,
          skippedDisputed: 0,
          skippedBlocked: 0,
          ranAt: now(),
          status: 'RUNNING',
          owner,
          lastInvoiceId: null,
          heartbeatAt: now(),
        });
        try {
          await this.ctx.dataSource.transaction((m) => new DunningRepository(m).insertRun(run));
          return run;
        } catch (error) {
          if (isUniqueViolation(error)) continue; // another request claimed the date first: look again
          throw error;
        }
      }
      if (seen.status === 'DONE') return seen;
      const stale = seen.status === 'RUNNING' && now().getTime() - (seen.heartbeatAt?.getTime() ?? 0) > STALE_MS;
      if (seen.status === 'FAILED' || stale) {
        if (await this.ctx.dataSource.transaction((m) => new DunningRepository(m).takeOver(seen, owner, now()))) {
          return Object.assign(seen, { status: 'RUNNING', owner });
        }
        continue;
      }
      if (Date.now() > waitUntil) throw serviceUnavailable('billing', 'IN_PROGRESS', true);
      await sleep(RUN_POLL_MS);
    }
  }

  /** The batches: candidates after the run's last invoice, in id order, until none is left. */
  private async work(run: DunningRunEntity, owner: string): Promise<void> {
    const { policy, disputes } = this.ctx.loaders.settings;
    const asOf = run.asOf;
    const dueBy = addDaysUtc(asOf, -policy.steps[0]!.daysOverdue);
    let after = run.lastInvoiceId;
    for (;;) {
      const candidates = await new DunningRepository(this.ctx.dataSource.manager).candidates(dueBy, after, policy.runBatchSize);
      if (candidates.length === 0) return;
      // Network calls before the transaction: the customers' kinds, then which invoices claims says are disputed.
      await this.fillMissingKinds(candidates);
      const due = candidates
        .map((invoice) => ({ invoice, action: nextDunningAction(invoice, invoice.kind ?? 'PERSON', asOf, policy) }))
        .filter((d) => d.action !== null);
      const unblocked = due.filter((d) => !d.invoice.blocked);
      const disputed = unblocked.length > 0 ? await disputes.disputed(unblocked.map((d) => d.invoice.id)) : new Set<string>();
      const act = unblocked.filter((d) => !disputed.has(d.invoice.id));
      const notices: NoticeRow[] = [];
      const handOver: HandOverRow[] = [];
      for (const { invoice, action } of act) {
        const seen = { invoiceId: invoice.id, fromLevel: invoice.dunningLevel, seenPaidMinor: invoice.paidMinor };
        if (action!.type === 'collection') handOver.push({ ...seen, handedOverOn: asOf });
        else {
          notices.push({
            ...seen,
            level: action!.step.level,
            issuedOn: asOf,
            feeMinor: action!.step.feeMinor,
            interestMinor: action!.interestMinor,
            payBy: addDaysUtc(asOf, policy.payByDays),
            channel: action!.step.channel,
          });
        }
      }
      const lastInvoiceId = candidates[candidates.length - 1]!.id;
      await retryConflicts(
        () =>
          this.ctx.dataSource.transaction(async (manager) => {
            const tx = new DunningRepository(manager);
            // Progress first: it locks the run row, and fails if another request took the run over.
            const progress = {
              lastInvoiceId,
              noticesIssued: 0,
              handedToCollection: 0,
              skippedDisputed: unblocked.length - act.length,
              skippedBlocked: due.length - unblocked.length,
            };
            if (!(await tx.recordProgress(asOf, owner, progress, this.ctx.clock.now()))) throw serviceUnavailable('billing', 'IN_PROGRESS', true);
            const issued = await tx.issueNotices(notices);
            const handed = await tx.handOver(handOver);
            await tx.recordProgress(
              asOf,
              owner,
              { ...progress, skippedDisputed: 0, skippedBlocked: 0, noticesIssued: issued, handedToCollection: handed },
              this.ctx.clock.now(),
            );
          }),
        BATCH_ATTEMPTS,
        isDeadlock,
      );
      after = lastInvoiceId;
    }
  }

  /** Invoices created before billing kept the kind: ask the customers subgraph once per batch. */
  private async fillMissingKinds(candidates: DunningCandidate[]): Promise<void> {
    const missing = [...new Set(candidates.filter((c) => c.kind === null).map((c) => c.customerId))];
    if (missing.length === 0) return;
    const found = await this.ctx.customerDirectory.find(missing, this.ctx.identity);
    const now = this.ctx.clock.now();
    await this.ctx.dataSource.transaction(async (manager) => {
      for (const [id, info] of found) await rememberKind(manager, id, info.kind, now);
    });
    for (const c of candidates) if (c.kind === null) c.kind = (found.get(c.customerId)?.kind as CustomerKind | undefined) ?? null;
  }

  async setBlock(customerId: string, blocked: boolean, reason: string): Promise<{ id: string }> {
    const why = requiredText('reason', reason, 500);
    const customer = await requireCustomer(this.ctx.customerDirectory, customerId, this.ctx.identity);
    const now = this.ctx.clock.now();
    await this.ctx.dataSource.transaction(async (manager) => {
      await rememberKind(manager, customer.id, customer.kind, now);
      const before = await manager.findOne(BillingAccountEntity, { where: { customerId } });
      await manager.update(BillingAccountEntity, { customerId }, { dunningBlocked: blocked, blockReason: why, updatedAt: now });
      await this.ctx.audit(manager, {
        action: 'setDunningBlock',
        entityType: 'Customer',
        entityId: customerId,
        changes: auditChanges(
          { dunningBlocked: before?.dunningBlocked ?? false, blockReason: before?.blockReason ?? null },
          { dunningBlocked: blocked, blockReason: why },
        ),
      });
    });
    this.ctx.loaders.accountByCustomer.clear(customerId);
    return { id: customerId };
  }

  async receivables(asOf: string | null | undefined): Promise<ReceivablesReport> {
    const date = asOf ?? this.ctx.loaders.today;
    const currency = this.ctx.loaders.settings.policy.currency;
    const repository = new ReceivablesRepository(this.ctx.dataSource);
    const [cells, invoiced] = await Promise.all([repository.buckets(date, this.ctx.loaders.today), repository.invoicedLast90Days(date)]);
    const sum = (key: 'bucket' | 'level') => {
      const totals = new Map<number, BucketRow>();
      for (const c of cells) {
        const row = totals.get(c[key]) ?? { key: c[key], count: 0, amountMinor: 0 };
        row.count += c.count;
        row.amountMinor += c.amountMinor;
        totals.set(c[key], row);
      }
      return [...totals.values()];
    };
    const aging = sum('bucket');
    const levels = sum('level');
    const openMinor = aging.reduce((sum, b) => sum + b.amountMinor, 0);
    const overdueMinor = aging.filter((b) => b.key > 0).reduce((sum, b) => sum + b.amountMinor, 0);
    const maxLevel = Math.max(3, ...levels.map((l) => l.key));
    return {
      asOf: date,
      openTotal: money(openMinor, currency),
      overdueTotal: money(overdueMinor, currency),
      aging: AGING_BUCKETS.map(([label, min, max], i) => {
        const row = aging.find((b) => b.key === i);
        return { label, minDaysOverdue: min, maxDaysOverdue: max, invoiceCount: row?.count ?? 0, amount: money(row?.amountMinor ?? 0, currency) };
      }),
      byDunningLevel: Array.from({ length: maxLevel + 1 }, (_, level) => {
        const row = levels.find((l) => l.key === level);
        return { level, invoiceCount: row?.count ?? 0, amount: money(row?.amountMinor ?? 0, currency) };
      }),
      daysSalesOutstanding: invoiced === 0 ? 0 : (openMinor / invoiced) * 90,
    };
  }
}
