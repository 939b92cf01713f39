import { Field, ID, ObjectType } from 'type-graphql';
import { DateTimeScalar, PageInfo } from '../platform';

@ObjectType({ description: 'One changed field; values as JSON text, personal values masked as "[masked]".' })
export class AuditChange {
  @Field()
  field!: string;

  @Field(() => String, { nullable: true })
  before!: string | null;

  @Field(() => String, { nullable: true })
  after!: string | null;
}

@ObjectType({ description: 'One row of the audit trail: a write, a refused request or an export, recorded by the subgraph that owns the data.' })
export class AuditEvent {
  @Field(() => ID, { description: 'Unique per service: service and id together identify the row.' })
  id!: string;

  @Field(() => DateTimeScalar)
  at!: Date;

  @Field({ description: 'The subgraph that recorded it.' })
  service!: string;

  @Field({ description: "The caller's sub, apikey:<name> or service:<subgraph>." })
  actor!: string;

  @Field({ description: 'user, api_key or service.' })
  actorKind!: string;

  @Field({ description: 'The mutation, or DENIED / EXPORT.' })
  action!: string;

  @Field()
  entityType!: string;

  @Field(() => String, { nullable: true })
  entityId!: string | null;

  @Field({ description: 'OK, FORBIDDEN or UNAUTHENTICATED.' })
  outcome!: string;

  @Field(() => [AuditChange])
  changes!: AuditChange[];
}

@ObjectType()
export class AuditEventConnection {
  @Field(() => [AuditEvent])
  nodes!: AuditEvent[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}
