import { In, type DataSource, type EntityManager } from 'typeorm';
import {
  and,
  countPerKey,
  firstRowsPerKey,
  placeholders,
  readBoolean,
  readInstant,
  readNumber,
  monthOf,
  sqlInstant,
  whereCustomerIds,
  whereIn,
  type Where,
} from '../platform';
import { InteractionEntity } from './interaction.entity';
import { InteractionDimension } from './contacts.types';
import { INTERACTION_STAT_DAYS } from './contacts.rollups';
import { totalsAndJournal } from '../platform/rollup';

/** Filters of Customer.interactions, shared by the page and its count. */
export interface InteractionFilter {
  channels?: string[];
  since?: Date;
}

/** Position after which a newest-first page continues. */
export interface InteractionCursor {
  occurredAt: string;
  id: string;
}

export interface StatRow {
  key: string;
  count: number;
  resolved: number;
  ratedCount: number;
  ratedSum: number;
}

function fromRow(row: Record<string, unknown>): InteractionEntity {
  return Object.assign(new InteractionEntity(), {
    id: row.id,
    customerId: row.customer_id,
    channel: row.channel,
    direction: row.direction,
    serviceArea: row.service_area,
    occurredAt: readInstant(row.occurred_at),
    subject: row.subject,
    summary: row.summary ?? null,
    handledBy: row.handled_by,
    competenceLevel: row.competence_level,
    resolvedOnFirstContact: readBoolean(row.resolved_on_first_contact),
    satisfaction: readNumber(row.satisfaction),
    createdAt: readInstant(row.created_at),
  });
}

/** All SQL on interactions; every method is one statement, whatever the number of customers. */
/** What one statement tells about a customer's interactions (InteractionRepository.figures). */
export interface CustomerFigureRow {
  lastContactAt: Date;
  ratingSum: number;
  ratingCount: number;
}

export class InteractionRepository {
  constructor(private readonly dataSource: DataSource) {}

  findByIds(ids: readonly string[]): Promise<InteractionEntity[]> {
    return this.dataSource.manager.find(InteractionEntity, { where: { id: In([...ids]) } });
  }

  /** Inserts, then `alsoInTransaction` (the audit row) in the same transaction; SQLite writes only through its writer queue. */
  async insert(interaction: InteractionEntity, alsoInTransaction: (manager: EntityManager) => Promise<void>): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.insert(InteractionEntity, interaction);
      await alsoInTransaction(manager);
    });
  }

  private where(customerIds: readonly string[], filter: InteractionFilter): Where {
    return whereIn(
      'customer_id',
      customerIds,
      filter.channels && { sql: `channel IN (${placeholders(filter.channels.length)})`, params: filter.channels },
      filter.since && { sql: 'occurred_at >= ?', params: [sqlInstant(this.dataSource, filter.since)] },
    );
  }

  /**
   * Up to `limit` interactions of each customer, newest first, after the
   * cursor: one statement for all customers, ranked by a window function.
   */
  async pages(customerIds: readonly string[], filter: InteractionFilter, after: InteractionCursor | undefined, limit: number): Promise<InteractionEntity[]> {
    const at = after && sqlInstant(this.dataSource, new Date(after.occurredAt));
    const rows = await firstRowsPerKey(
      this.dataSource.manager,
      'interactions',
      'customer_id',
      'occurred_at DESC, id DESC',
      after
        ? and(this.where(customerIds, filter), { sql: '(occurred_at < ? OR (occurred_at = ? AND id < ?))', params: [at, at, after.id] })
        : this.where(customerIds, filter),
      limit,
    );
    return rows.map(fromRow);
  }

  /** How many interactions each customer has under the filter. */
  counts(customerIds: readonly string[], filter: InteractionFilter): Promise<Map<string, number>> {
    return countPerKey(this.dataSource.manager, 'interactions', 'customer_id', this.where(customerIds, filter));
  }

  /**
   * Per customer with any interaction: the newest occurredAt, and the sum and
   * count of the ratings since `since`. One statement for both figures, read
   * from ix_interactions_customer_figures alone (no interaction row).
   */
  async figures(customerIds: readonly string[], since: Date): Promise<Map<string, CustomerFigureRow>> {
    const from = sqlInstant(this.dataSource, since);
    const ids = whereCustomerIds('customer_id', customerIds);
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT customer_id, MAX(occurred_at) AS last,
              SUM(CASE WHEN occurred_at >= ? THEN satisfaction END) AS rated_sum,
              COUNT(CASE WHEN occurred_at >= ? THEN satisfaction END) AS rated
       FROM interactions WHERE ${ids.sql} GROUP BY customer_id`,
      [from, from, ...ids.params],
    );
    return new Map(
      rows.map((r) => [String(r.customer_id), { lastContactAt: readInstant(r.last), ratingSum: Number(r.rated_sum ?? 0), ratingCount: Number(r.rated) }]),
    );
  }

  /**
   * Interactions on the UTC days [fromDay, toDay) grouped by one dimension,
   * from the rollup (contacts.rollups.ts): folded totals and the journal not
   * yet folded, in one statement, so one consistent snapshot. By MONTH it
   * reads the CHANNEL rows, where each interaction is counted once. Averages
   * are returned as sum and count so that both dialects give the very same
   * figures.
   */
  async stats(fromDay: string, toDay: string, dimension: InteractionDimension): Promise<StatRow[]> {
    const month = dimension === InteractionDimension.MONTH;
    const key = month ? monthOf(this.dataSource, 'day') : 'value';
    const rollup = totalsAndJournal(INTERACTION_STAT_DAYS, 'day, value, interactions, resolved, rated, rating_sum', 'dimension = ? AND day >= ? AND day < ?', [
      month ? InteractionDimension.CHANNEL : dimension,
      fromDay,
      toDay,
    ]);
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT ${key} AS k, SUM(interactions) AS n, SUM(resolved) AS resolved, SUM(rated) AS rated, SUM(rating_sum) AS rated_sum
       FROM (${rollup.sql}) t
       GROUP BY ${key} HAVING SUM(interactions) > 0 ORDER BY ${key}`,
      rollup.params,
    );
    return rows.map((r) => ({
      key: String(r.k),
      count: Number(r.n),
      resolved: Number(r.resolved),
      ratedCount: Number(r.rated),
      ratedSum: Number(r.rated_sum ?? 0),
    }));
  }
}
