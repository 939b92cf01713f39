import { Directive, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PERSONAL_DATA } from '../platform/access';
import { Channel, DateScalar, DateTimeScalar, DecimalScalar, Money, PageInfo, CUSTOMER_COLUMNS_KEY, CustomerColumnsRef } from '../platform';

export enum InvoiceStatus {
  OPEN = 'OPEN',
  PARTIALLY_PAID = 'PARTIALLY_PAID',
  PAID = 'PAID',
  CANCELLED = 'CANCELLED',
  IN_COLLECTION = 'IN_COLLECTION',
  WRITTEN_OFF = 'WRITTEN_OFF',
}
registerEnumType(InvoiceStatus, {
  name: 'InvoiceStatus',
  valuesConfig: { IN_COLLECTION: { description: 'Handed over to a collection agency (Inkasso) after the final notice.' } },
});

export enum PaymentMethodType {
  SEPA_DIRECT_DEBIT = 'SEPA_DIRECT_DEBIT',
  BANK_TRANSFER = 'BANK_TRANSFER',
  CREDIT_CARD = 'CREDIT_CARD',
}
registerEnumType(PaymentMethodType, { name: 'PaymentMethodType' });

/** Owned by the customers subgraph; billing only reads it through @requires. */
export enum CustomerSegment {
  A = 'A',
  B = 'B',
  C = 'C',
}
registerEnumType(CustomerSegment, { name: 'CustomerSegment', description: 'ABC value segment: A holds the most valuable customers.' });

/** The customers subgraph's entity, with the two fields lifetimeValue needs from it. */
@Directive('@key(fields: "id")')
@ObjectType()
export class Customer {
  @Field(() => ID)
  id!: string;

  @Directive('@external')
  @Field(() => CustomerSegment)
  segment?: CustomerSegment;

  @Directive('@external')
  @Field(() => DateScalar)
  customerSince?: string;
}

@ObjectType()
export class Payment {
  @Field(() => ID)
  id!: string;

  @Field(() => DateTimeScalar)
  receivedAt!: Date;

  @Field(() => PaymentMethodType)
  method!: PaymentMethodType;

  @Field(() => String, { nullable: true })
  reference!: string | null;

  // `amount` is a field resolver (minor units → Money).
}

@ObjectType({ description: 'A dunning letter: 1 payment reminder, 2 first dunning notice, 3 final notice.' })
export class DunningNotice {
  @Field(() => ID)
  id!: string;

  @Field(() => Int)
  level!: number;

  @Field(() => DateScalar)
  issuedOn!: string;

  @Field(() => DateScalar)
  payBy!: string;

  @Field(() => Channel)
  channel!: Channel;

  // `fee` and `interest` (default interest accrued up to issuedOn) are field resolvers.
}

@Directive('@key(fields: "id")')
@ObjectType()
export class Invoice {
  @Field(() => ID)
  id!: string;

  @Field()
  invoiceNumber!: string;

  @Field(() => DateScalar)
  issueDate!: string;

  @Field(() => DateScalar)
  dueDate!: string;

  @Field(() => InvoiceStatus)
  status!: InvoiceStatus;

  @Field(() => Int, { description: 'Highest dunning level reached; 0 when no notice was sent.' })
  dunningLevel!: number;

  // customer, total, openAmount, daysOverdue, dunningNotices, payments: field resolvers.
}

@ObjectType()
export class InvoiceConnection {
  @Field(() => [Invoice])
  nodes!: Invoice[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  // `totalCount` is a field resolver, counted only when asked for.
}

@ObjectType()
export class PaymentMethod {
  @Field(() => PaymentMethodType)
  type!: PaymentMethodType;

  @Directive(PERSONAL_DATA)
  @Field(() => String, { nullable: true, description: 'IBAN with all but the country code and the last four characters masked.' })
  ibanMasked!: string | null;

  @Field(() => DateScalar)
  validFrom!: string;
}

@ObjectType()
export class AgingBucket {
  @Field({ description: 'e.g. "current", "1-30", "31-60", "61-90", "90+".' })
  label!: string;

  @Field(() => Int)
  minDaysOverdue!: number;

  @Field(() => Int, { nullable: true })
  maxDaysOverdue!: number | null;

  @Field(() => Int)
  invoiceCount!: number;

  @Field(() => Money)
  amount!: Money;
}

@ObjectType()
export class DunningLevelStat {
  @Field(() => Int)
  level!: number;

  @Field(() => Int)
  invoiceCount!: number;

  @Field(() => Money)
  amount!: Money;
}

@ObjectType({ description: 'Over all invoices with openAmount > 0, as of asOf.' })
export class ReceivablesReport {
  @Field(() => DateScalar)
  asOf!: string;

  @Field(() => Money)
  openTotal!: Money;

  @Field(() => Money, { description: 'Part of openTotal whose due date lies before asOf.' })
  overdueTotal!: Money;

  @Field(() => [AgingBucket], { description: 'Partitions the open invoices by days overdue at asOf: current (0), 1-30, 31-60, 61-90, 90+.' })
  aging!: AgingBucket[];

  @Field(() => [DunningLevelStat], { description: 'Partitions the open invoices by dunning level, 0 included.' })
  byDunningLevel!: DunningLevelStat[];

  @Field(() => Float, { description: 'Days sales outstanding: openTotal / (sum of totals invoiced, not cancelled, in the 90 days up to asOf) x 90.' })
  daysSalesOutstanding!: number;
}

@ObjectType({ description: 'What one dunning run did. Running it again for the same asOf changes nothing.' })
export class DunningRun {
  @Field(() => DateScalar)
  asOf!: string;

  @Field(() => Int)
  noticesIssued!: number;

  @Field(() => Int)
  handedToCollection!: number;

  @Field(() => Int)
  skippedDisputed!: number;

  @Field(() => Int)
  skippedBlocked!: number;
}

@InputType()
export class CreateInvoiceInput {
  @Field(() => ID)
  customerId!: string;

  @Field(() => DateScalar)
  issueDate!: string;

  @Field(() => DateScalar)
  dueDate!: string;

  @Field(() => DecimalScalar)
  total!: string;

  @Field(() => String, { nullable: true, description: "Defaults to the deployment's currency; no other is accepted." })
  currency?: string | null;
}

@InputType()
export class RecordPaymentInput {
  @Field(() => ID)
  invoiceId!: string;

  @Field(() => DecimalScalar)
  amount!: string;

  @Field(() => PaymentMethodType)
  method!: PaymentMethodType;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Defaults to now.' })
  receivedAt?: Date | null;

  @Field(() => String, { nullable: true })
  reference?: string | null;

  @Field({ description: 'A retry with the same key returns the first result and books nothing twice.' })
  idempotencyKey!: string;
}

@InputType()
export class PaymentMethodInput {
  @Field(() => PaymentMethodType)
  type!: PaymentMethodType;

  @Field(() => String, { nullable: true })
  iban?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Defaults to today.' })
  validFrom?: string | null;
}

/**
 * The key-accounts subgraph's entity. Billing adds the revenue figures; it
 * needs the member ids (an @inaccessible field of key-accounts) and the
 * target, fetched first through @requires.
 */
@Directive('@key(fields: "id")')
@ObjectType()
export class KeyAccount {
  @Field(() => ID)
  id!: string;

  @Directive('@external')
  @Field(() => [ID])
  memberIds?: string[];

  @Directive('@external')
  @Field(() => Money)
  annualRevenueTarget?: Money;
}

/**
 * The customers subgraph's per-segment report; this subgraph adds its figures
 * for the segment's customers, found in its own replica (customer_segments):
 * the key is all the gateway sends.
 */
@Directive('@key(fields: "segment")')
@ObjectType()
export class SegmentReport {
  @Field(() => CustomerSegment)
  segment!: CustomerSegment;
}

/** One segment change delivered by the customers subgraph's outbox; not part of the public API. */
@Directive('@inaccessible')
@InputType()
export class CustomerSegmentInput {
  @Field(() => ID)
  customerId!: string;

  @Field(() => CustomerSegment)
  segment!: CustomerSegment;

  @Field(() => Int, { description: "The customer's version: a row only replaces a stored row of a lower version." })
  version!: number;
}

/** The customers subgraph's page of customers as columns (`@key(fields: "ids")`); billing adds balances, dunning level and CLV. */
@Directive(CUSTOMER_COLUMNS_KEY)
@ObjectType()
export class CustomerColumns extends CustomerColumnsRef {
  @Directive('@external')
  @Field(() => [CustomerSegment])
  segment?: CustomerSegment[];

  @Directive('@external')
  @Field(() => [DateScalar])
  customerSince?: string[];
}
