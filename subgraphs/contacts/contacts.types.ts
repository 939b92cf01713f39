import { Directive, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PERSONAL_DATA } from '../platform/access';
import { Channel, CompetenceLevel, DateTimeScalar, PageInfo, ServiceArea, CUSTOMER_COLUMNS_KEY, CustomerColumnsRef } from '../platform';

export enum Direction {
  INBOUND = 'INBOUND',
  OUTBOUND = 'OUTBOUND',
}
registerEnumType(Direction, { name: 'Direction' });

export enum InteractionDimension {
  CHANNEL = 'CHANNEL',
  SERVICE_AREA = 'SERVICE_AREA',
  COMPETENCE_LEVEL = 'COMPETENCE_LEVEL',
  MONTH = 'MONTH',
}
registerEnumType(InteractionDimension, { name: 'InteractionDimension' });

/** The customers subgraph's entity; this subgraph adds interactions and contact persons to it. */
@Directive('@key(fields: "id")')
@ObjectType()
export class Customer {
  @Field(() => ID)
  id!: string;
}

@Directive('@key(fields: "id")')
@ObjectType({ description: 'One touchpoint: a contact between customer and company on one channel.' })
export class Interaction {
  @Field(() => ID)
  id!: string;

  // `customer` is a field resolver: a Customer reference built from customerId.

  @Field(() => Channel)
  channel!: Channel;

  @Field(() => Direction)
  direction!: Direction;

  @Field(() => ServiceArea)
  serviceArea!: ServiceArea;

  @Field(() => DateTimeScalar)
  occurredAt!: Date;

  @Directive(PERSONAL_DATA)
  @Field()
  subject!: string;

  @Directive(PERSONAL_DATA)
  @Field(() => String, { nullable: true })
  summary!: string | null;

  @Field({ description: 'The agent, or the automation, that handled it.' })
  handledBy!: string;

  @Field(() => CompetenceLevel)
  competenceLevel!: CompetenceLevel;

  @Field()
  resolvedOnFirstContact!: boolean;

  @Field(() => Int, { nullable: true, description: 'Customer satisfaction 1-5, when the customer rated the contact.' })
  satisfaction!: number | null;
}

@ObjectType()
export class InteractionConnection {
  @Field(() => [Interaction])
  nodes!: Interaction[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  // `totalCount` is a field resolver: counted, batched, only when asked for.
}

@ObjectType({ description: 'A person to talk to at an organisation customer.' })
export class ContactPerson {
  @Field(() => ID)
  id!: string;

  @Directive(PERSONAL_DATA)
  @Field()
  name!: string;

  @Field(() => String, { nullable: true })
  role!: string | null;

  @Directive(PERSONAL_DATA)
  @Field(() => String, { nullable: true })
  email!: string | null;

  @Directive(PERSONAL_DATA)
  @Field(() => String, { nullable: true })
  phone!: string | null;

  // `primary` and `customer` are field resolvers.
}

@ObjectType()
export class InteractionStat {
  @Field({ description: 'The group: a Channel, ServiceArea or CompetenceLevel name, or a month as YYYY-MM.' })
  key!: string;

  @Field(() => Int)
  count!: number;

  @Field(() => Float, { description: "Share (0-1) of the group's interactions resolved on first contact." })
  firstContactResolutionRate!: number;

  @Field(() => Float, { nullable: true, description: 'Mean satisfaction (1-5) of the rated interactions; null when none was rated.' })
  averageSatisfaction!: number | null;
}

@InputType()
export class LogInteractionInput {
  @Field(() => ID)
  customerId!: string;

  @Field(() => Channel)
  channel!: Channel;

  @Field(() => Direction)
  direction!: Direction;

  @Field(() => ServiceArea)
  serviceArea!: ServiceArea;

  @Field()
  subject!: string;

  @Field(() => String, { nullable: true })
  summary?: string | null;

  @Field()
  handledBy!: string;

  @Field(() => CompetenceLevel)
  competenceLevel!: CompetenceLevel;

  @Field()
  resolvedOnFirstContact!: boolean;

  @Field(() => Int, { nullable: true })
  satisfaction?: number | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Defaults to now.' })
  occurredAt?: Date | null;
}

@InputType()
export class ContactPersonInput {
  @Field(() => ID)
  customerId!: string;

  @Field()
  name!: string;

  @Field(() => String, { nullable: true })
  role?: string | null;

  @Field(() => String, { nullable: true })
  email?: string | null;

  @Field(() => String, { nullable: true })
  phone?: string | null;

  @Field(() => Boolean, { nullable: true, description: "Default false. A new primary replaces the customer's previous one." })
  primary?: boolean | null;
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

/** The customers subgraph's page of customers as columns (`@key(fields: "ids")`); contacts adds last contact and satisfaction. */
@Directive(CUSTOMER_COLUMNS_KEY)
@ObjectType()
export class CustomerColumns extends CustomerColumnsRef {}
