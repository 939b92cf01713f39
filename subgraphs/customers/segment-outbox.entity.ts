import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A segment change still to be delivered to one peer (billing, claims,
 * contacts): written in the same transaction as the customer, so a change is
 * recorded exactly when it commits; deleted once the peer has acknowledged it.
 */
@Entity({ name: 'segment_outbox' })
@Index('ix_segment_outbox_peer', ['peer', 'id'])
export class SegmentOutboxEntity {
  /** Insertion order: each peer receives its rows oldest first. */
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'varchar', length: 16 })
  peer!: string;

  @Column({ name: 'customer_id', type: 'varchar', length: 36 })
  customerId!: string;

  @Column({ type: 'varchar', length: 1 })
  segment!: string;

  /** The customer's version after the change: the peer's version guard compares it. */
  @Column({ type: 'int' })
  version!: number;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;
}
