import { Directive, Field, ID, InterfaceType, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar, PageInfo } from '../platform';
import { TIMELINE_KINDS, type TimelineRow } from '../platform/timeline';
import { ChangeRequest } from '../platform/change-request.types';
import { Customer } from './customer.types';

export const TimelineKind = Object.fromEntries(TIMELINE_KINDS.map((k) => [k, k])) as { [K in (typeof TIMELINE_KINDS)[number]]: K };
registerEnumType(TimelineKind, { name: 'TimelineKind', description: 'What happened: one kind per thing the timeline records.' });

export enum TimelineDomain {
  CUSTOMERS = 'customers',
  CONTACTS = 'contacts',
  BILLING = 'billing',
  CLAIMS = 'claims',
  KEY_ACCOUNTS = 'key-accounts',
}
registerEnumType(TimelineDomain, { name: 'TimelineDomain', description: 'The subgraph that owns the event and its entity.' });

/** References to the owning subgraphs' entities: this subgraph knows only their ids. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType()
export class Interaction {
  @Field(() => ID)
  id!: string;
}

@Directive('@key(fields: "id", resolvable: false)')
@ObjectType()
export class Invoice {
  @Field(() => ID)
  id!: string;
}

@Directive('@key(fields: "id", resolvable: false)')
@ObjectType()
export class Complaint {
  @Field(() => ID)
  id!: string;
}

@Directive('@key(fields: "id", resolvable: false)')
@ObjectType()
export class Claim {
  @Field(() => ID)
  id!: string;
}

@Directive('@key(fields: "id", resolvable: false)')
@ObjectType()
export class KeyAccount {
  @Field(() => ID)
  id!: string;
}

/** The event types by the entity their source names; the timeline's __resolveType. */
const TYPE_OF_ENTITY: Record<string, string> = {
  Customer: 'CustomerTimelineEvent',
  ChangeRequest: 'ChangeRequestTimelineEvent',
  Interaction: 'InteractionTimelineEvent',
  Invoice: 'InvoiceTimelineEvent',
  Complaint: 'ComplaintTimelineEvent',
  Claim: 'ClaimTimelineEvent',
  KeyAccount: 'KeyAccountTimelineEvent',
};

@InterfaceType({
  description: 'One thing that happened to a customer, in any domain.',
  resolveType: (event: TimelineRow) => TYPE_OF_ENTITY[event.entityType],
})
export abstract class TimelineEvent {
  @Field(() => ID, { description: 'Unique over all domains: the source and its key.' })
  id!: string;

  @Field(() => TimelineKind)
  kind!: string;

  @Field(() => DateTimeScalar)
  occurredAt!: Date;

  @Field(() => TimelineDomain)
  domain!: string;

  @Field({ description: 'One line; codes, numbers and amounts only, never personal data (README, "Customer timeline").' })
  summary!: string;

  @Field({ description: 'The type of the entity the event is about.' })
  entityType!: string;

  @Field(() => ID)
  entityId!: string;
}

@ObjectType({ implements: TimelineEvent, description: 'The customer record itself: created, master data changed.' })
export class CustomerTimelineEvent extends TimelineEvent {
  @Field(() => Customer)
  customer!: Customer;
}

@ObjectType({ implements: TimelineEvent, description: 'A change request of the customer: requested, decided (README, "Change requests").' })
export class ChangeRequestTimelineEvent extends TimelineEvent {
  @Field(() => ChangeRequest, { nullable: true, description: 'Null for roles that may not read change requests.' })
  changeRequest!: ChangeRequest | null;
}

@ObjectType({ implements: TimelineEvent })
export class InteractionTimelineEvent extends TimelineEvent {
  @Field(() => Interaction)
  interaction!: Interaction;
}

@ObjectType({ implements: TimelineEvent, description: 'An invoice issued, a payment, a dunning notice or a handover to collection.' })
export class InvoiceTimelineEvent extends TimelineEvent {
  @Field(() => Invoice)
  invoice!: Invoice;
}

@ObjectType({ implements: TimelineEvent })
export class ComplaintTimelineEvent extends TimelineEvent {
  @Field(() => Complaint)
  complaint!: Complaint;
}

@ObjectType({ implements: TimelineEvent })
export class ClaimTimelineEvent extends TimelineEvent {
  @Field(() => Claim)
  claim!: Claim;
}

@ObjectType({ implements: TimelineEvent })
export class KeyAccountTimelineEvent extends TimelineEvent {
  @Field(() => KeyAccount)
  keyAccount!: KeyAccount;
}

@ObjectType({ description: 'A page of the timeline, newest first.' })
export class TimelineConnection {
  @Field(() => [TimelineEvent])
  nodes!: TimelineRow[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

/** The GraphQL object of a row: the generic fields plus the reference its type declares. */
export function toTimelineEvent(row: TimelineRow) {
  const ref = { id: row.entityId };
  return {
    ...row,
    id: `${row.source}:${row.key}`,
    occurredAt: row.at,
    domain: row.source,
    customer: ref,
    interaction: ref,
    invoice: ref,
    complaint: ref,
    claim: ref,
    keyAccount: ref,
  };
}

export const TIMELINE_EVENT_TYPES = [
  CustomerTimelineEvent,
  ChangeRequestTimelineEvent,
  InteractionTimelineEvent,
  InvoiceTimelineEvent,
  ComplaintTimelineEvent,
  ClaimTimelineEvent,
  KeyAccountTimelineEvent,
  Interaction,
  Invoice,
  Complaint,
  Claim,
  KeyAccount,
];
