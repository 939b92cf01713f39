import { Directive, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateScalar, DateTimeScalar, DecimalScalar, Money, PageInfo, CUSTOMER_COLUMNS_KEY, CustomerColumnsRef } from '../platform';

export enum KeyAccountTier {
  STRATEGIC = 'STRATEGIC',
  KEY = 'KEY',
  DEVELOPMENT = 'DEVELOPMENT',
}
registerEnumType(KeyAccountTier, { name: 'KeyAccountTier' });

/**
 * The customers subgraph's entity. healthScore needs four figures that other
 * subgraphs own; they are @external here and fetched first (@requires).
 */
@Directive('@key(fields: "id")')
@ObjectType()
export class Customer {
  @Field(() => ID)
  id!: string;

  // Nullable like every field another subgraph adds to Customer: null when that subgraph could not answer.
  @Directive('@external')
  @Field(() => Money, { nullable: true })
  overdueBalance?: Money | null;

  @Directive('@external')
  @Field(() => Int, { nullable: true })
  openComplaintCount?: number | null;

  @Directive('@external')
  @Field(() => DateTimeScalar, { nullable: true })
  lastContactAt?: string | null;

  @Directive('@external')
  @Field(() => Float, { nullable: true })
  recentSatisfaction?: number | null;

  /** contacts' marker: true when contacts answered (lastContactAt and recentSatisfaction may be null either way). */
  @Directive('@external')
  @Field(() => Boolean, { nullable: true })
  contactDataAvailable?: boolean | null;
}

@ObjectType()
export class KeyAccountManager {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field()
  email!: string;

  @Field()
  region!: string;

  // `keyAccounts` is a field resolver.
}

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A large customer (often a group of customer records) cared for by one manager.' })
export class KeyAccount {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => KeyAccountTier)
  tier!: KeyAccountTier;

  @Field(() => DateScalar)
  since!: string;

  // manager, members, annualRevenueTarget, memberIds: field resolvers.
  // revenueYearToDate and targetAttainment come from billing (it extends KeyAccount).
}

@ObjectType()
export class KeyAccountConnection {
  @Field(() => [KeyAccount])
  nodes!: KeyAccount[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  // `totalCount` is a field resolver.
}

@InputType()
export class CreateKeyAccountInput {
  @Field()
  name!: string;

  @Field(() => KeyAccountTier)
  tier!: KeyAccountTier;

  @Field(() => ID)
  managerId!: string;

  @Field(() => DecimalScalar)
  annualRevenueTarget!: string;

  @Field(() => [ID])
  memberIds!: string[];
}

@InputType()
export class CreateKeyAccountManagerInput {
  @Field()
  name!: string;

  @Field()
  email!: string;

  @Field()
  region!: string;
}

/**
 * The customers subgraph's page of customers as columns (`@key(fields:
 * "ids")`). As on Customer, healthScore needs columns other subgraphs own:
 * @external here, fetched first (@requires).
 */
@Directive(CUSTOMER_COLUMNS_KEY)
@ObjectType()
export class CustomerColumns extends CustomerColumnsRef {
  @Directive('@external')
  @Field(() => [DecimalScalar], { nullable: true })
  overdueBalance?: string[] | null;

  @Directive('@external')
  @Field(() => [Int], { nullable: true })
  openComplaintCount?: number[] | null;

  @Directive('@external')
  @Field(() => [DateTimeScalar], { nullable: 'itemsAndList' })
  lastContactAt?: (string | null)[] | null;

  @Directive('@external')
  @Field(() => [Float], { nullable: 'itemsAndList' })
  recentSatisfaction?: (number | null)[] | null;

  @Directive('@external')
  @Field(() => Boolean, { nullable: true })
  contactDataAvailable?: boolean | null;
}
