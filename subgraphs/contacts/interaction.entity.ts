import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One touchpoint. Enum values are stored as their names. */
@Entity({ name: 'interactions' })
export class InteractionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'customer_id', type: 'varchar', length: 36 })
  customerId!: string;

  @Column({ type: 'varchar', length: 16 })
  channel!: string;

  @Column({ type: 'varchar', length: 8 })
  direction!: string;

  @Column({ name: 'service_area', type: 'varchar', length: 20 })
  serviceArea!: string;

  @Column({ name: 'occurred_at', type: 'datetime', precision: 3 })
  occurredAt!: Date;

  @Column({ type: 'varchar', length: 200 })
  subject!: string;

  @Column({ type: 'varchar', length: 4000, nullable: true })
  summary!: string | null;

  @Column({ name: 'handled_by', type: 'varchar', length: 100 })
  handledBy!: string;

  @Column({ name: 'competence_level', type: 'varchar', length: 16 })
  competenceLevel!: string;

  @Column({ name: 'resolved_on_first_contact', type: 'boolean' })
  resolvedOnFirstContact!: boolean;

  /** 1-5, null when the customer did not rate the contact. */
  @Column({ type: 'smallint', nullable: true })
  satisfaction!: number | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  /** The customer's segment, kept by triggers from the replica (migration 1764600000000-SegmentInteractionDays); never written here. */
  @Column({ type: 'varchar', length: 1, nullable: true, select: false, insert: false, update: false })
  segment?: string | null;
}
