import { Column, Entity, PrimaryColumn } from 'typeorm';

const minor = {
  type: 'bigint' as const,
  nullable: true,
  transformer: { to: (v: number | null) => v, from: (v: string | number | null) => (v === null ? null : Number(v)) },
};

@Entity({ name: 'claims' })
export class ClaimEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'claim_number', type: 'varchar', length: 20 })
  claimNumber!: string;

  @Column({ name: 'number_seq', type: 'int' })
  numberSeq!: number;

  @Column({ name: 'customer_id', type: 'varchar', length: 36 })
  customerId!: string;

  @Column({ type: 'varchar', length: 20 })
  type!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: string;

  /** APPROVED or REJECTED once decided, NULL while undecided (and again after a reopen). */
  @Column({ type: 'varchar', length: 10, nullable: true })
  decision!: string | null;

  @Column({ name: 'reported_at', type: 'datetime', precision: 3 })
  reportedAt!: Date;

  @Column({ name: 'incident_date', type: 'date', nullable: true })
  incidentDate!: string | null;

  @Column({ type: 'varchar', length: 4000 })
  description!: string;

  @Column({ name: 'claimed_minor', ...minor })
  claimedMinor!: number | null;

  @Column({ name: 'settled_minor', ...minor })
  settledMinor!: number | null;

  @Column({ type: 'varchar', length: 3 })
  currency!: string;

  @Column({ type: 'int' })
  version!: number;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;
}

/** Every status change of a claim, appended, never changed. */
@Entity({ name: 'claim_events' })
export class ClaimEventEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'claim_id', type: 'varchar', length: 36 })
  claimId!: string;

  /** The claim's version this event produced: orders the history, one event per version. */
  @Column({ type: 'int' })
  seq!: number;

  @Column({ type: 'datetime', precision: 3 })
  at!: Date;

  @Column({ name: 'from_status', type: 'varchar', length: 16, nullable: true })
  fromStatus!: string | null;

  @Column({ name: 'to_status', type: 'varchar', length: 16 })
  toStatus!: string;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  note!: string | null;

  @Column({ type: 'varchar', length: 100 })
  actor!: string;
}

@Entity({ name: 'complaints' })
export class ComplaintEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'customer_id', type: 'varchar', length: 36 })
  customerId!: string;

  @Column({ type: 'varchar', length: 16 })
  channel!: string;

  @Column({ type: 'varchar', length: 100 })
  category!: string;

  @Column({ type: 'varchar', length: 10 })
  priority!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: string;

  @Column({ name: 'competence_level', type: 'varchar', length: 16 })
  competenceLevel!: string;

  @Column({ name: 'received_at', type: 'datetime', precision: 3 })
  receivedAt!: Date;

  /** Due times are fixed when the complaint arrives, by the policy then in force. */
  @Column({ name: 'first_response_due_at', type: 'datetime', precision: 3 })
  firstResponseDueAt!: Date;

  @Column({ name: 'resolution_due_at', type: 'datetime', precision: 3 })
  resolutionDueAt!: Date;

  @Column({ name: 'first_response_at', type: 'datetime', precision: 3, nullable: true })
  firstResponseAt!: Date | null;

  @Column({ name: 'resolved_at', type: 'datetime', precision: 3, nullable: true })
  resolvedAt!: Date | null;

  @Column({ type: 'varchar', length: 4000 })
  description!: string;

  @Column({ type: 'varchar', length: 4000, nullable: true })
  resolution!: string | null;

  /** The disputed invoice (billing's Invoice id), if any. */
  @Column({ name: 'invoice_id', type: 'varchar', length: 36, nullable: true })
  invoiceId!: string | null;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;
}

/** Responses, escalations and resolutions of a complaint, with who and when: what complaints teach. */
@Entity({ name: 'complaint_events' })
export class ComplaintEventEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'complaint_id', type: 'varchar', length: 36 })
  complaintId!: string;

  @Column({ type: 'datetime', precision: 3 })
  at!: Date;

  @Column({ type: 'varchar', length: 16 })
  kind!: string;

  @Column({ type: 'varchar', length: 4000 })
  message!: string;

  @Column({ type: 'varchar', length: 100 })
  actor!: string;
}
