import { In, type DataSource, type EntityManager } from 'typeorm';
import { SEGMENT_REPLICA_PEERS, type CustomerSegmentRow, type SegmentReplicaPeer } from '../platform/segment-replica';
import { SegmentOutboxEntity } from './segment-outbox.entity';

/** All SQL of the segment outbox. */
export class SegmentOutboxRepository {
  constructor(private readonly manager: EntityManager) {}

  static of(source: DataSource | EntityManager): SegmentOutboxRepository {
    return new SegmentOutboxRepository('manager' in source ? source.manager : source);
  }

  /** One row per peer, in one statement; `manager` must be the customer write's transaction. */
  async record(change: CustomerSegmentRow, at: Date): Promise<void> {
    await this.manager.insert(
      SegmentOutboxEntity,
      SEGMENT_REPLICA_PEERS.map((peer) => ({ peer, customerId: change.customerId, segment: change.segment, version: change.version, createdAt: at })),
    );
  }

  /** The peer's oldest undelivered rows. */
  pending(peer: SegmentReplicaPeer, limit: number): Promise<SegmentOutboxEntity[]> {
    return this.manager.find(SegmentOutboxEntity, { where: { peer }, order: { id: 'ASC' }, take: limit });
  }

  async remove(ids: readonly number[]): Promise<void> {
    if (ids.length > 0) await this.manager.delete(SegmentOutboxEntity, { id: In([...ids]) });
  }

  /** Undelivered rows per peer (for tests and operators). */
  async backlog(): Promise<Record<SegmentReplicaPeer, number>> {
    const rows: { peer: string; n: unknown }[] = await this.manager.query('SELECT peer, COUNT(*) AS n FROM segment_outbox GROUP BY peer');
    const counts = Object.fromEntries(SEGMENT_REPLICA_PEERS.map((p) => [p, 0])) as Record<SegmentReplicaPeer, number>;
    for (const row of rows) if (row.peer in counts) counts[row.peer as SegmentReplicaPeer] = Number(row.n);
    return counts;
  }
}
