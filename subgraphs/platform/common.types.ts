import { GraphQLEnumType } from 'graphql';
import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { DecimalScalar } from './scalars';

/**
 * Shared by every subgraph that pages; identical everywhere, hence
 * @shareable. Costs nothing (`@cost(weight: 0)`): no row stands behind it.
 */
@Directive('@shareable')
@Directive('@cost(weight: 0)')
@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

/** A value, not a row: costs nothing, like a scalar. */
@Directive('@shareable')
@Directive('@cost(weight: 0)')
@ObjectType()
export class Money {
  @Field(() => DecimalScalar)
  amount!: string;

  @Field({ description: 'ISO-4217 code, e.g. EUR.' })
  currency!: string;
}

export enum Channel {
  PHONE = 'PHONE',
  LETTER = 'LETTER',
  FAX = 'FAX',
  EMAIL = 'EMAIL',
  WEB = 'WEB',
  CHAT = 'CHAT',
  SOCIAL_MEDIA = 'SOCIAL_MEDIA',
  SELF_SERVICE = 'SELF_SERVICE',
  BRANCH = 'BRANCH',
}

export enum CompetenceLevel {
  E_LEVEL = 'E_LEVEL',
  FIRST_LEVEL = 'FIRST_LEVEL',
  SECOND_LEVEL = 'SECOND_LEVEL',
  THIRD_LEVEL = 'THIRD_LEVEL',
}

export enum ServiceArea {
  HELPDESK = 'HELPDESK',
  SALES_SUPPORT = 'SALES_SUPPORT',
  COLLECTIONS = 'COLLECTIONS',
  ADMINISTRATION = 'ADMINISTRATION',
  CUSTOMER_INSIGHTS = 'CUSTOMER_INSIGHTS',
  CLAIMS = 'CLAIMS',
  COMPLAINTS = 'COMPLAINTS',
}

/**
 * The enums of 00-common.graphql. Every subgraph declares them (see
 * buildFederatedSchema), so the shared vocabulary exists in the graph even
 * before a subgraph uses it, and is defined in exactly one place.
 */
export const COMMON_ENUMS = [
  { values: Channel, name: 'Channel', description: 'The ways a customer and the company reach each other (multichannel).' },
  {
    values: CompetenceLevel,
    name: 'CompetenceLevel',
    description:
      'Support tiers. E_LEVEL is handled by automation (self-service, bots, process automation) with no person involved; ' +
      'the higher the level, the deeper the request went into the service organisation.',
  },
  { values: ServiceArea, name: 'ServiceArea', description: 'The customer-service task a contact belongs to.' },
] as const;
for (const { values, name, description } of COMMON_ENUMS) registerEnumType(values, { name, description });

/** The same enum as a plain graphql-js type, for subgraphs whose resolvers do not use it. */
export function commonEnumType(entry: (typeof COMMON_ENUMS)[number]): GraphQLEnumType {
  return new GraphQLEnumType({
    name: entry.name,
    description: entry.description,
    values: Object.fromEntries(Object.values(entry.values).map((v) => [v, { value: v }])),
  });
}

/** `enum` values as a list, for validating stored strings and building seeds. */
export function enumValues<E extends Record<string, string>>(e: E): E[keyof E][] {
  return Object.values(e) as E[keyof E][];
}

/** The key of CustomerColumns, a page of customers as columns: its customer ids. */
export const CUSTOMER_COLUMNS_KEY = '@key(fields: "ids")';

/**
 * What every subgraph's CustomerColumns holds at least: the ids that key it.
 * Each subgraph's class extends it with its own columns (and the key
 * directive, which type-graphql does not inherit).
 */
// Never in a schema itself: type-graphql emits only types a schema reaches, and none names this one.
@ObjectType()
export abstract class CustomerColumnsKey {
  @Field(() => [ID])
  ids!: string[];
}

/**
 * The other subgraphs' CustomerColumns: the key, and what the customers
 * subgraph says about the page's ids (idRangeDense, platform id-range.ts),
 * which every field that reads a column asks for with REQUIRES_ID_RANGE.
 */
@ObjectType()
export abstract class CustomerColumnsRef extends CustomerColumnsKey {
  @Directive('@external')
  @Field(() => Boolean, { nullable: true })
  idRangeDense?: boolean | null;
}

/** On a column field of a CustomerColumnsRef: the gateway sends idRangeDense with the ids. */
export const REQUIRES_ID_RANGE = '@requires(fields: "idRangeDense")';
