import { In, type DataSource } from 'typeorm';
import { placeholders, readBoolean, readInstant, readNumber, monthOf, sqlInstant } from '../platform';
import { InteractionEntity } from './interaction.entity';
import { InteractionDimension } from './contacts.types';

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

const DIMENSION_COLUMN: Record<Exclude<InteractionDimension, InteractionDimension.MONTH>, string> = {
  [InteractionDimension.CHANNEL]: 'channel',
  [InteractionDimension.SERVICE_AREA]: 'service_area',
  [InteractionDimension.COMPETENCE_LEVEL]: 'competence_level',
};

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
export class InteractionRepository {
  constructor(private readonly dataSource: DataSource) {}

  findByIds(ids: readonly string[]): Promise<InteractionEntity[]> {
    return this.dataSource.manager.find(InteractionEntity, { where: { id: In([...ids]) } });
  }

  async insert(interaction: InteractionEntity): Promise<void> {
    await this.dataSource.manager.insert(InteractionEntity, interaction);
  }

  private where(customerIds: readonly string[], filter: InteractionFilter): { sql: string; params: unknown[] } {
    const clauses = [`customer_id IN (${placeholders(customerIds.length)})`];
    const params: unknown[] = [...customerIds];
    if (filter.channels) {
      clauses.push(`channel IN (${placeholders(filter.channels.length)})`);
      params.push(...filter.channels);
    }
    if (filter.since) {
      clauses.push('occurred_at >= ?');
      params.push(sqlInstant(this.dataSource, filter.since));
    }
    return { sql: clauses.join(' AND '), params };
  }

  /**
   * Up to `limit` interactions of each customer, newest first, after the
   * cursor: one statement for all customers, ranked by a window function.
   */
  async pages(
    customerIds: readonly string[],
    filter: InteractionFilter,
    after: InteractionCursor | undefined,
    limit: number,
  ): Promise<InteractionEntity[]> {
    const where = this.where(customerIds, filter);
    let sql = where.sql;
    const params = [...where.params];
    if (after) {
      const at = sqlInstant(this.dataSource, new Date(after.occurredAt));
      sql += ' AND (occurred_at < ? OR (occurred_at = ? AND id < ?))';
      params.push(at, at, after.id);
    }
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT * FROM (
         SELECT i.*, ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY occurred_at DESC, id DESC) AS rn
         FROM interactions i WHERE ${sql}
       ) ranked WHERE rn <= ? ORDER BY customer_id, rn`,
      [...params, limit],
    );
    return rows.map(fromRow);
  }

  /** How many interactions each customer has under the filter. */
  async counts(customerIds: readonly string[], filter: InteractionFilter): Promise<Map<string, number>> {
    const where = this.where(customerIds, filter);
    const rows: { customer_id: string; n: unknown }[] = await this.dataSource.query(
      `SELECT customer_id, COUNT(*) AS n FROM interactions WHERE ${where.sql} GROUP BY customer_id`,
      where.params,
    );
    return new Map(rows.map((r) => [r.customer_id, Number(r.n)]));
  }

  /** The newest occurredAt of each customer that has any interaction. */
  async lastContacts(customerIds: readonly string[]): Promise<Map<string, Date>> {
    const rows: { customer_id: string; last: unknown }[] = await this.dataSource.query(
      `SELECT customer_id, MAX(occurred_at) AS last FROM interactions
       WHERE customer_id IN (${placeholders(customerIds.length)}) GROUP BY customer_id`,
      [...customerIds],
    );
    return new Map(rows.map((r) => [r.customer_id, readInstant(r.last)]));
  }

  /**
   * Interactions in [start, end) grouped by one dimension, aggregated in SQL.
   * Averages are returned as sum and count so that MySQL (DECIMAL AVG) and
   * SQLite (float AVG) give the very same figures.
   */
  async stats(start: Date, end: Date, dimension: InteractionDimension): Promise<StatRow[]> {
    const key = dimension === InteractionDimension.MONTH ? monthOf(this.dataSource, 'occurred_at') : DIMENSION_COLUMN[dimension];
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT ${key} AS k, COUNT(*) AS n,
              SUM(CASE WHEN resolved_on_first_contact = 1 THEN 1 ELSE 0 END) AS resolved,
              COUNT(satisfaction) AS rated, SUM(satisfaction) AS rated_sum
       FROM interactions WHERE occurred_at >= ? AND occurred_at < ?
       GROUP BY ${key} ORDER BY ${key}`,
      [sqlInstant(this.dataSource, start), sqlInstant(this.dataSource, end)],
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
