import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import type { DataSource } from 'typeorm';
import { effectiveStatus, type StoredChangeRequest } from './change-request';
import { DateTimeScalar } from './scalars';
import { eventKey, type TimelineBranch, type TimelineRawRow } from './timeline';

export enum ChangeRequestStatus {
  PENDING = 'PENDING',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
  SUPERSEDED = 'SUPERSEDED',
  EXPIRED = 'EXPIRED',
}
registerEnumType(ChangeRequestStatus, {
  name: 'ChangeRequestStatus',
  description: 'PENDING until decided or expired; SUPERSEDED: approved, but the data had changed since the request, so nothing was written.',
});

export enum ChangeRequestEntity {
  CUSTOMER = 'CUSTOMER',
  PAYMENT_METHOD = 'PAYMENT_METHOD',
}
registerEnumType(ChangeRequestEntity, {
  name: 'ChangeRequestEntity',
  description: 'What a change request changes: customer master data, or the payment method.',
});

@Directive('@shareable')
@ObjectType({ description: 'One requested field: its value when requested and the value asked for, personal values masked for roles that may not see them.' })
export class RequestedChange {
  @Field()
  field!: string;

  @Field(() => String, { nullable: true })
  oldValue!: string | null;

  @Field(() => String, { nullable: true })
  newValue!: string | null;
}

@Directive('@shareable')
@ObjectType({ description: 'A change that needs a second person (four-eyes): see README, "Change requests".' })
export class ChangeRequest {
  @Field(() => ID)
  id!: string;

  @Field(() => ChangeRequestEntity)
  entity!: ChangeRequestEntity;

  @Field(() => ID)
  customerId!: string;

  @Field(() => [RequestedChange])
  changes!: RequestedChange[];

  @Field({ description: 'Who asked for it (the signed principal).' })
  requestedBy!: string;

  @Field()
  reason!: string;

  @Field(() => ChangeRequestStatus, { description: 'As of now: a PENDING request past expiresAt is EXPIRED.' })
  status!: ChangeRequestStatus;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => DateTimeScalar)
  expiresAt!: Date;

  @Field(() => String, { nullable: true })
  decidedBy!: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  decidedAt!: Date | null;

  @Field(() => String, { nullable: true })
  decisionReason!: string | null;
}

/** How a stored value shows: text as it is, anything else as JSON; null stays null. */
function shown(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The API view of a stored request as of `now`, each value through the owning subgraph's `mask`. */
export function toChangeRequest(request: StoredChangeRequest, now: Date, mask: (field: string, value: string | null) => string | null): ChangeRequest {
  return {
    id: request.id,
    entity: request.entity as ChangeRequestEntity,
    customerId: request.customerId,
    changes: request.changes.map((c) => ({ field: c.field, oldValue: mask(c.field, shown(c.before)), newValue: mask(c.field, shown(c.after)) })),
    requestedBy: request.requestedBy,
    reason: request.reason,
    status: effectiveStatus(request, now) as ChangeRequestStatus,
    createdAt: request.createdAt,
    expiresAt: request.expiresAt,
    decidedBy: request.decidedBy,
    decidedAt: request.decidedAt,
    decisionReason: request.decisionReason,
  };
}

/** A request as it travels between subgraphs (JSON): instants as ISO text. */
export function readChangeRequest(
  json: Omit<ChangeRequest, 'createdAt' | 'expiresAt' | 'decidedAt'> & { createdAt: string; expiresAt: string; decidedAt: string | null },
): ChangeRequest {
  return { ...json, createdAt: new Date(json.createdAt), expiresAt: new Date(json.expiresAt), decidedAt: json.decidedAt ? new Date(json.decidedAt) : null };
}

/** The timeline events of the change_requests table: each request made, and each decided (or stored as expired). */
export function changeRequestTimelineBranches(ds: DataSource): TimelineBranch[] {
  const common = {
    from: 'change_requests r',
    customer: 'r.customer_id',
    entityType: 'ChangeRequest',
    entityId: 'r.id',
    ref: 'r.entity',
  };
  return [
    { ...common, kind: 'CHANGE_REQUESTED', at: 'r.created_at', key: eventKey('crq', 'r.id', ds) },
    { ...common, kind: 'CHANGE_DECIDED', at: 'r.decided_at', key: eventKey('crd', 'r.id', ds), detail: 'r.status', where: 'r.decided_at IS NOT NULL' },
  ];
}

export function summarizeChangeRequestEvent(row: TimelineRawRow): string | undefined {
  const what = row.ref === 'PAYMENT_METHOD' ? 'Payment-method change' : 'Master-data change';
  if (row.kind === 'CHANGE_REQUESTED') return `${what} requested`;
  if (row.kind === 'CHANGE_DECIDED') return `${what} ${String(row.detail).toLowerCase()}`;
  return undefined;
}
