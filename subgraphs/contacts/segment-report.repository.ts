import type { DataSource } from 'typeorm';
import { placeholders, sqlInstant } from '../platform';

/**
 * SegmentReport's contacts figure: the segments' customers come from this
 * subgraph's replica (customer_segments), so it is one JOIN here and no
 * customer id crosses the gateway.
 */
export class SegmentReportRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Interactions with occurredAt at or after `since`, per segment of their
   * customer: a range over ix_interactions_recent (occurred_at, customer_id),
   * which covers the read, joined to the replica by its primary key.
   */
  async interactionsSince(segments: readonly string[], since: Date): Promise<Map<string, number>> {
    const rows: { segment: string; n: unknown }[] = await this.dataSource.query(
      `SELECT s.segment AS segment, COUNT(*) AS n
       FROM interactions i JOIN customer_segments s ON s.customer_id = i.customer_id
       WHERE s.segment IN (${placeholders(segments.length)}) AND i.occurred_at >= ?
       GROUP BY s.segment`,
      [...segments, sqlInstant(this.dataSource, since)],
    );
    return new Map(rows.map((r) => [String(r.segment), Number(r.n)]));
  }
}
