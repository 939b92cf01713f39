import { randomUUID } from 'node:crypto';
import {
  auditChanges,
  badUserInput,
  reportRange,
  pageRequest,
  requireCustomer,
  requiredText,
  optionalText,
  toPage,
  type Page,
  type RequestContext,
  utcDate,
} from '../platform';
import { InteractionEntity } from './interaction.entity';
import type { ContactsLoaders } from './contacts.loaders';
import { filterKey } from './contacts.loaders';
import { InteractionRepository, type InteractionCursor, type InteractionFilter } from './interaction.repository';
import type { InteractionDimension, InteractionStat, LogInteractionInput } from './contacts.types';

export type ContactsContext = RequestContext<ContactsLoaders>;

const CURSOR_TAG = 'interactions';

const isCursor = (value: unknown): value is InteractionCursor =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as InteractionCursor).occurredAt === 'string' &&
  !Number.isNaN(Date.parse((value as InteractionCursor).occurredAt)) &&
  typeof (value as InteractionCursor).id === 'string';

export interface InteractionPage extends Page<InteractionEntity> {
  count: () => Promise<number>;
}

/** Rules of touchpoints; SQL lives in InteractionRepository. */
export class InteractionService {
  constructor(private readonly ctx: ContactsContext) {}

  get(id: string): Promise<InteractionEntity | null> {
    return this.ctx.loaders.interactionById.load(id);
  }

  /** One customer's interactions, newest first; batched with every other customer of the fetch. */
  async customerPage(
    customerId: string,
    args: { first?: number | null; after?: string | null; channels?: string[] | null; since?: Date | null },
  ): Promise<InteractionPage> {
    const page = pageRequest(CURSOR_TAG, args.first, args.after, isCursor);
    const filter: InteractionFilter = {
      channels: args.channels && args.channels.length > 0 ? args.channels : undefined,
      since: args.since ?? undefined,
    };
    const key = filterKey(filter);
    const rows =
      page.first === 0
        ? []
        : await this.ctx.loaders.interactionPages.for(JSON.stringify({ filter: key, after: page.after, limit: page.first + 1 })).load(customerId);
    for (const row of rows) this.ctx.loaders.interactionById.prime(row.id, row);
    return {
      ...toPage(rows, page.first, CURSOR_TAG, (i) => ({ occurredAt: i.occurredAt.toISOString(), id: i.id })),
      count: () => this.ctx.loaders.interactionCounts.for(key).load(customerId),
    };
  }

  async lastContactAt(customerId: string): Promise<Date | null> {
    return (await this.ctx.loaders.figuresByCustomer.load(customerId)).lastContactAt;
  }

  async recentSatisfaction(customerId: string): Promise<number | null> {
    return (await this.ctx.loaders.figuresByCustomer.load(customerId)).recentSatisfaction;
  }

  /** interactionStats: whole UTC days from..to, grouped, from the per-day rollup. */
  async stats(from: string, to: string, groupBy: InteractionDimension): Promise<InteractionStat[]> {
    const { start, end } = reportRange(from, to);
    const rows = await new InteractionRepository(this.ctx.dataSource).stats(utcDate(start), utcDate(end), groupBy);
    return rows.map((r) => ({
      key: r.key,
      count: r.count,
      firstContactResolutionRate: r.resolved / r.count,
      averageSatisfaction: r.ratedCount === 0 ? null : r.ratedSum / r.ratedCount,
    }));
  }

  async log(input: LogInteractionInput): Promise<InteractionEntity> {
    const now = this.ctx.clock.now();
    if (input.satisfaction != null && (!Number.isInteger(input.satisfaction) || input.satisfaction < 1 || input.satisfaction > 5)) {
      throw badUserInput('satisfaction', 'satisfaction must be a whole number from 1 to 5');
    }
    const occurredAt = input.occurredAt ?? now;
    if (occurredAt.getTime() > now.getTime()) throw badUserInput('occurredAt', 'occurredAt must not lie in the future');
    const interaction = Object.assign(new InteractionEntity(), {
      id: randomUUID(),
      customerId: input.customerId,
      channel: input.channel,
      direction: input.direction,
      serviceArea: input.serviceArea,
      occurredAt,
      subject: requiredText('subject', input.subject, 200),
      summary: optionalText('summary', input.summary, 4000),
      handledBy: requiredText('handledBy', input.handledBy, 100),
      competenceLevel: input.competenceLevel,
      resolvedOnFirstContact: input.resolvedOnFirstContact,
      satisfaction: input.satisfaction ?? null,
      createdAt: now,
    });
    // Input is checked first; only then ask the customers subgraph (a network call).
    await requireCustomer(this.ctx.customerDirectory, input.customerId, this.ctx.identity);
    await new InteractionRepository(this.ctx.dataSource).insert(interaction, (manager) =>
      this.ctx.audit(manager, {
        action: 'logInteraction',
        entityType: 'Interaction',
        entityId: interaction.id,
        changes: auditChanges(null, { ...interaction }, ['subject', 'summary']),
      }),
    );
    return interaction;
  }
}
