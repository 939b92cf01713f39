import { Directive, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PERSONAL_DATA } from '../platform/access';
import { Channel, CompetenceLevel, DateScalar, DateTimeScalar, DecimalScalar, Money, PageInfo, CUSTOMER_COLUMNS_KEY, CustomerColumnsRef } from '../platform';

export enum ClaimType {
  DAMAGE = 'DAMAGE',
  TECHNICAL_DEFECT = 'TECHNICAL_DEFECT',
  WARRANTY = 'WARRANTY',
  SERVICE_FAILURE = 'SERVICE_FAILURE',
}
registerEnumType(ClaimType, { name: 'ClaimType' });

export enum ClaimStatus {
  REPORTED = 'REPORTED',
  IN_REVIEW = 'IN_REVIEW',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
  SETTLED = 'SETTLED',
  CLOSED = 'CLOSED',
}
registerEnumType(ClaimStatus, {
  name: 'ClaimStatus',
  description:
    'REPORTED -> IN_REVIEW -> APPROVED | REJECTED; APPROVED -> SETTLED -> CLOSED;\nREJECTED -> CLOSED; CLOSED -> IN_REVIEW (reopen, a note is required).',
});

export enum ComplaintStatus {
  OPEN = 'OPEN',
  IN_PROGRESS = 'IN_PROGRESS',
  ESCALATED = 'ESCALATED',
  RESOLVED = 'RESOLVED',
  CLOSED = 'CLOSED',
}
registerEnumType(ComplaintStatus, { name: 'ComplaintStatus' });

export enum Priority {
  LOW = 'LOW',
  MEDIUM = 'MEDIUM',
  HIGH = 'HIGH',
  CRITICAL = 'CRITICAL',
}
registerEnumType(Priority, { name: 'Priority' });

export enum SlaDimension {
  PRIORITY = 'PRIORITY',
  COMPETENCE_LEVEL = 'COMPETENCE_LEVEL',
  CHANNEL = 'CHANNEL',
  MONTH = 'MONTH',
}
registerEnumType(SlaDimension, { name: 'SlaDimension' });

export enum ClaimDimension {
  TYPE = 'TYPE',
  STATUS = 'STATUS',
  MONTH = 'MONTH',
}
registerEnumType(ClaimDimension, { name: 'ClaimDimension' });

@Directive('@key(fields: "id")')
@ObjectType()
export class Customer {
  @Field(() => ID)
  id!: string;
}

/** Billing's invoice; claims adds whether complaints dispute it. */
@Directive('@key(fields: "id")')
@ObjectType()
export class Invoice {
  @Field(() => ID)
  id!: string;
}

@ObjectType()
export class ClaimEvent {
  @Field(() => DateTimeScalar)
  at!: Date;

  @Field(() => ClaimStatus, { nullable: true })
  from!: ClaimStatus | null;

  @Field(() => ClaimStatus)
  to!: ClaimStatus;

  @Directive(PERSONAL_DATA)
  @Field(() => String, { nullable: true })
  note!: string | null;

  @Field()
  actor!: string;
}

@Directive('@key(fields: "id")')
@ObjectType()
export class Claim {
  @Field(() => ID)
  id!: string;

  @Field()
  claimNumber!: string;

  @Field(() => ClaimType)
  type!: ClaimType;

  @Field(() => ClaimStatus)
  status!: ClaimStatus;

  @Field(() => DateTimeScalar)
  reportedAt!: Date;

  @Field(() => DateScalar, { nullable: true })
  incidentDate!: string | null;

  @Directive(PERSONAL_DATA)
  @Field()
  description!: string;

  @Field(() => Int)
  version!: number;

  // customer, claimedAmount, settledAmount, history: field resolvers.
}

@ObjectType()
export class ClaimConnection {
  @Field(() => [Claim])
  nodes!: Claim[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@ObjectType({ description: "Service level of one complaint; due times follow the priority's policy." })
export class Sla {
  @Field(() => DateTimeScalar)
  firstResponseDueAt!: Date;

  @Field(() => DateTimeScalar)
  resolutionDueAt!: Date;

  @Field({ description: 'Answered late, or still unanswered after the due time.' })
  firstResponseBreached!: boolean;

  @Field()
  resolutionBreached!: boolean;
}

@Directive('@key(fields: "id")')
@ObjectType()
export class Complaint {
  @Field(() => ID)
  id!: string;

  @Field(() => Channel)
  channel!: Channel;

  @Field()
  category!: string;

  @Field(() => Priority)
  priority!: Priority;

  @Field(() => ComplaintStatus)
  status!: ComplaintStatus;

  @Field(() => CompetenceLevel)
  competenceLevel!: CompetenceLevel;

  @Field(() => DateTimeScalar)
  receivedAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true })
  firstResponseAt!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  resolvedAt!: Date | null;

  @Directive(PERSONAL_DATA)
  @Field()
  description!: string;

  @Directive(PERSONAL_DATA)
  @Field(() => String, { nullable: true })
  resolution!: string | null;

  // customer, sla, invoice: field resolvers.
}

@ObjectType()
export class ComplaintConnection {
  @Field(() => [Complaint])
  nodes!: Complaint[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@ObjectType()
export class SlaStat {
  @Field()
  key!: string;

  @Field(() => Int)
  complaintCount!: number;

  @Field(() => Float, { description: 'Share (0-1) answered in time, among those answered or already past due.' })
  firstResponseComplianceRate!: number;

  @Field(() => Float, { description: 'Share (0-1) resolved in time, among those resolved or already past due.' })
  resolutionComplianceRate!: number;

  @Field(() => Float, { nullable: true })
  averageResolutionHours!: number | null;
}

@ObjectType()
export class ClaimStat {
  @Field()
  key!: string;

  @Field(() => Int)
  count!: number;

  @Field(() => Money)
  claimedTotal!: Money;

  @Field(() => Money)
  settledTotal!: Money;

  @Field(() => Float, { nullable: true, description: 'approved / (approved + rejected) among decided claims; null when none was decided.' })
  approvalRate!: number | null;
}

@InputType()
export class ReportClaimInput {
  @Field(() => ID)
  customerId!: string;

  @Field(() => ClaimType)
  type!: ClaimType;

  @Field()
  description!: string;

  @Field(() => DateScalar, { nullable: true })
  incidentDate?: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  claimedAmount?: string | null;
}

@InputType()
export class FileComplaintInput {
  @Field(() => ID)
  customerId!: string;

  @Field(() => Channel)
  channel!: Channel;

  @Field()
  category!: string;

  @Field(() => Priority)
  priority!: Priority;

  @Field()
  description!: string;

  @Field(() => ID, { nullable: true })
  invoiceId?: string | null;
}

/** Owned by the customers subgraph; named here because SegmentReport's key uses it. */
export enum CustomerSegment {
  A = 'A',
  B = 'B',
  C = 'C',
}
registerEnumType(CustomerSegment, { name: 'CustomerSegment', description: 'ABC value segment: A holds the most valuable customers.' });

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

/** The customers subgraph's page of customers as columns (`@key(fields: "ids")`); claims adds open complaint and claim counts. */
@Directive(CUSTOMER_COLUMNS_KEY)
@ObjectType()
export class CustomerColumns extends CustomerColumnsRef {}
