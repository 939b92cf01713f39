import { addDaysUtc, isRetryableConflict, money, requireCustomer, requiredText } from '../platform';
import { BillingAccountEntity, DunningRunEntity } from './billing.entity';
import { nextDunningAction, type CustomerKind } from './billing.policy';
import type { DunningRun, ReceivablesReport } from './billing.types';
import { DunningRepository, type DunningCandidate, type NoticeRow } from './dunning.repository';
import { rememberKind, type BillingContext } from './invoice.service';
import { AGING_BUCKETS, ReceivablesRepository, type BucketRow } from './receivables.repository';

/** Dunning runs, dunning blocks and the receivables report. */
export class DunningService {
  constructor(private readonly ctx: BillingContext) {}

  /**
   * One dunning run as of a date. Each dunnable invoice moves at most one
   * step; blocked customers and disputed invoices are skipped; the run is
   * recorded under its date, and a second run for that date does nothing.
   */
  async run(asOf: string): Promise<DunningRun> {
    const { policy, disputes } = this.ctx.loaders.settings;
    const nothing: DunningRun = { asOf, noticesIssued: 0, handedToCollection: 0, skippedDisputed: 0, skippedBlocked: 0 };
    const repository = new DunningRepository(this.ctx.dataSource.manager);
    if (await repository.findRun(asOf)) return nothing;

    const candidates = await repository.candidates(addDaysUtc(asOf, -policy.steps[0]!.daysOverdue));
    await this.fillMissingKinds(candidates);
    const due = candidates
      .map((invoice) => ({ invoice, action: nextDunningAction(invoice, invoice.kind ?? 'PERSON', asOf, policy) }))
      .filter((d) => d.action !== null);
    const unblocked = due.filter((d) => !d.invoice.blocked);
    // Ask claims only about invoices the run would actually touch.
    const disputed = await disputes.disputed(unblocked.map((d) => d.invoice.id));
    const act = unblocked.filter((d) => !disputed.has(d.invoice.id));

    const notices: NoticeRow[] = [];
    const handOver: string[] = [];
    for (const { invoice, action } of act) {
      if (action!.type === 'collection') {
        handOver.push(invoice.id);
      } else {
        notices.push({
          invoiceId: invoice.id,
          fromLevel: invoice.dunningLevel,
          level: action!.step.level,
          issuedOn: asOf,
          feeMinor: action!.step.feeMinor,
          interestMinor: action!.interestMinor,
          payBy: addDaysUtc(asOf, policy.payByDays),
          channel: action!.step.channel,
        });
      }
    }
    try {
      return await this.ctx.dataSource.transaction(async (manager) => {
        const tx = new DunningRepository(manager);
        // Insert the run first: a concurrent run for the same date fails on its key here.
        const run = Object.assign(new DunningRunEntity(), {
          asOf,
          noticesIssued: 0,
          handedToCollection: 0,
          skippedDisputed: unblocked.length - act.length,
          skippedBlocked: due.length - unblocked.length,
          ranAt: this.ctx.clock.now(),
        });
        await tx.insertRun(run);
        run.noticesIssued = await tx.issueNotices(notices);
        run.handedToCollection = await tx.handOver(handOver);
        await manager.update(DunningRunEntity, { asOf }, { noticesIssued: run.noticesIssued, handedToCollection: run.handedToCollection });
        return { asOf, noticesIssued: run.noticesIssued, handedToCollection: run.handedToCollection, skippedDisputed: run.skippedDisputed, skippedBlocked: run.skippedBlocked };
      });
    } catch (error) {
      if (isRetryableConflict(error)) return nothing;
      throw error;
    }
  }

  /** Invoices created before billing kept the kind: ask the customers subgraph once, in one batch. */
  private async fillMissingKinds(candidates: DunningCandidate[]): Promise<void> {
    const missing = [...new Set(candidates.filter((c) => c.kind === null).map((c) => c.customerId))];
    if (missing.length === 0) return;
    const found = await this.ctx.customerDirectory.find(missing, this.ctx.identity);
    const now = this.ctx.clock.now();
    for (const [id, info] of found) await rememberKind(this.ctx.dataSource.manager, id, info.kind, now);
    for (const c of candidates) if (c.kind === null) c.kind = (found.get(c.customerId)?.kind as CustomerKind | undefined) ?? null;
  }

  async setBlock(customerId: string, blocked: boolean, reason: string): Promise<{ id: string }> {
    const why = requiredText('reason', reason, 500);
    const customer = await requireCustomer(this.ctx.customerDirectory, customerId, this.ctx.identity);
    const now = this.ctx.clock.now();
    await this.ctx.dataSource.transaction(async (manager) => {
      await rememberKind(manager, customer.id, customer.kind, now);
      await manager.update(BillingAccountEntity, { customerId }, { dunningBlocked: blocked, blockReason: why, updatedAt: now });
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
