import type { EntityManager } from 'typeorm';
import { placeholders } from '../platform';

/**
 * SegmentReport's claims figure: the segments' customers come from this
 * subgraph's replica (customer_segments), so it is one JOIN here and no
 * customer id crosses the gateway.
 */
export class SegmentReportRepository {
  constructor(private readonly manager: EntityManager) {}

  /** Complaints in one of the `open` statuses per segment: the sum of Customer.openComplaintCount over its customers. */
  async openComplaints(segments: readonly string[], open: readonly string[]): Promise<Map<string, number>> {
    const rows: { segment: string; n: unknown }[] = await this.manager.query(
      `SELECT s.segment AS segment, COUNT(*) AS n
       FROM customer_segments s JOIN complaints c ON c.customer_id = s.customer_id
       WHERE s.segment IN (${placeholders(segments.length)}) AND c.status IN (${placeholders(open.length)})
       GROUP BY s.segment`,
      [...segments, ...open],
    );
    return new Map(rows.map((r) => [String(r.segment), Number(r.n)]));
  }
}
