import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Money columns hold integer minor units (cents); BIGINT comes back as a string from MySQL. */
const minor = { type: 'bigint' as const, transformer: { to: (v: number) => v, from: (v: string | number | null) => (v === null ? null : Number(v)) } };

@Entity({ name: 'invoices' })
export class InvoiceEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'invoice_number', type: 'varchar', length: 20 })
  invoiceNumber!: string;

  @Column({ name: 'number_seq', type: 'int' })
  numberSeq!: number;

  @Column({ name: 'customer_id', type: 'varchar', length: 36 })
  customerId!: string;

  @Column({ name: 'issue_date', type: 'date' })
  issueDate!: string;

  @Column({ name: 'due_date', type: 'date' })
  dueDate!: string;

  @Column({ name: 'total_minor', ...minor })
  totalMinor!: number;

  /** Sum of the payments received, kept in step with `payments` in the same transaction. */
  @Column({ name: 'paid_minor', ...minor })
  paidMinor!: number;

  @Column({ type: 'varchar', length: 3 })
  currency!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: string;

  /** Highest dunning notice level sent, 0 when none. */
  @Column({ name: 'dunning_level', type: 'int' })
  dunningLevel!: number;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  /** The customer's segment, kept by triggers from the replica (migration 1764600000000-SegmentBalances); never written here. */
  @Column({ type: 'varchar', length: 1, nullable: true, select: false, insert: false, update: false })
  segment?: string | null;
}

@Entity({ name: 'payments' })
export class PaymentEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'invoice_id', type: 'varchar', length: 36 })
  invoiceId!: string;

  @Column({ name: 'amount_minor', ...minor })
  amountMinor!: number;

  @Column({ type: 'varchar', length: 3 })
  currency!: string;

  @Column({ name: 'received_at', type: 'datetime', precision: 3 })
  receivedAt!: Date;

  @Column({ type: 'varchar', length: 20 })
  method!: string;

  @Column({ type: 'varchar', length: 140, nullable: true })
  reference!: string | null;

  /** Unique: a retry with the same key finds the first payment instead of booking again. */
  @Column({ name: 'idempotency_key', type: 'varchar', length: 100 })
  idempotencyKey!: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;
}

@Entity({ name: 'dunning_notices' })
export class DunningNoticeEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'invoice_id', type: 'varchar', length: 36 })
  invoiceId!: string;

  @Column({ type: 'int' })
  level!: number;

  @Column({ name: 'issued_on', type: 'date' })
  issuedOn!: string;

  @Column({ name: 'fee_minor', ...minor })
  feeMinor!: number;

  @Column({ name: 'interest_minor', ...minor })
  interestMinor!: number;

  @Column({ name: 'pay_by', type: 'date' })
  payBy!: string;

  @Column({ type: 'varchar', length: 16 })
  channel!: string;
}

export type DunningRunStatus = 'RUNNING' | 'DONE' | 'FAILED';

/** One row per asOf: the record that makes a second run for the same date do nothing, and the run's progress. */
@Entity({ name: 'dunning_runs' })
export class DunningRunEntity {
  @PrimaryColumn({ name: 'as_of', type: 'date' })
  asOf!: string;

  @Column({ name: 'notices_issued', type: 'int' })
  noticesIssued!: number;

  @Column({ name: 'handed_to_collection', type: 'int' })
  handedToCollection!: number;

  @Column({ name: 'skipped_disputed', type: 'int' })
  skippedDisputed!: number;

  @Column({ name: 'skipped_blocked', type: 'int' })
  skippedBlocked!: number;

  @Column({ name: 'ran_at', type: 'datetime', precision: 3 })
  ranAt!: Date;

  @Column({ type: 'varchar', length: 16 })
  status!: DunningRunStatus;

  /** A token of the request running it: only the owner may record progress. */
  @Column({ type: 'varchar', length: 36, nullable: true })
  owner!: string | null;

  /** Invoices are taken in id order; the batches so far ended here. */
  @Column({ name: 'last_invoice_id', type: 'varchar', length: 36, nullable: true })
  lastInvoiceId!: string | null;

  @Column({ name: 'heartbeat_at', type: 'datetime', precision: 3, nullable: true })
  heartbeatAt!: Date | null;
}

/** What billing keeps of a customer: the kind (for interest), the dunning block. */
@Entity({ name: 'billing_accounts' })
export class BillingAccountEntity {
  @PrimaryColumn({ name: 'customer_id', type: 'varchar', length: 36 })
  customerId!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: string;

  @Column({ name: 'dunning_blocked', type: 'boolean' })
  dunningBlocked!: boolean;

  @Column({ name: 'block_reason', type: 'varchar', length: 500, nullable: true })
  blockReason!: string | null;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;
}

/** Payment methods over time; the current one is the latest validFrom up to today. */
@Entity({ name: 'payment_methods' })
export class PaymentMethodEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'customer_id', type: 'varchar', length: 36 })
  customerId!: string;

  @Column({ type: 'varchar', length: 20 })
  type!: string;

  /** Full IBAN, needed to collect a direct debit; it never leaves this subgraph unmasked. */
  @Column({ type: 'varchar', length: 34, nullable: true })
  iban!: string | null;

  @Column({ name: 'valid_from', type: 'date' })
  validFrom!: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;
}
