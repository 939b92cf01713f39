import 'reflect-metadata';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { GraphQLSchema, lexicographicSortSchema, parse } from 'graphql';
import { buildSchema, createResolversMap, type BuildSchemaOptions, type ResolversMap } from 'type-graphql';
import { COMMON_ENUMS, Money, PageInfo, commonEnumType } from './common.types';
import { guardSchema } from './guard';
import { DEFAULT_PAGE_SIZE } from './pagination';

/**
 * The one place that pins the Federation version every subgraph links to and
 * the directives it imports. v2.9 is the first with the demand-control
 * directives `@cost` and `@listSize`, which composition carries into the
 * supergraph for every router that estimates cost (ours: gateway/cost.ts).
 */
export const FEDERATION_LINK_URL = 'https://specs.apollo.dev/federation/v2.9';
export const FEDERATION_IMPORTS = [
  '@key',
  '@shareable',
  '@external',
  '@requires',
  '@provides',
  '@inaccessible',
  '@override',
  '@tag',
  '@requiresScopes',
  '@cost',
  '@listSize',
] as const;

export const FEDERATION_LINK_SDL = `extend schema @link(url: "${FEDERATION_LINK_URL}", import: [${FEDERATION_IMPORTS.map((d) => `"${d}"`).join(', ')}])`;

/**
 * `@listSize` of a connection field: `first` slices its `nodes`; without
 * `first`, the page the service returns (DEFAULT_PAGE_SIZE) is assumed.
 */
export const CONNECTION_LIST_SIZE = `@listSize(slicingArguments: ["first"], sizedFields: ["nodes"], assumedSize: ${DEFAULT_PAGE_SIZE}, requireOneSlicingArgument: false)`;

/** `@listSize` of a plain list field that holds about `assumedSize` items. */
export function listSize(assumedSize: number): string {
  return `@listSize(assumedSize: ${assumedSize})`;
}

/** `@cost` of a field whose work is not one row per object, such as an aggregate over a date range. */
export function cost(weight: number): string {
  return `@cost(weight: ${weight})`;
}

/**
 * A BI report scans a range of rows into a few groups: it costs more than
 * the objects it returns (cost(25) per group), and returns at most about 20
 * groups (the largest dimension, channels, has 9).
 */
export const REPORT_COST = cost(25);
export const REPORT_LIST_SIZE = listSize(20);

/** Resolvers that type-graphql cannot express, such as `__resolveReference`. */
export type ReferenceResolvers = Record<string, { __resolveReference: (reference: never, context: never) => unknown }>;

export interface FederatedSchemaOptions {
  resolvers: NonNullable<BuildSchemaOptions['resolvers']>;
  /**
   * Types no resolver returns directly but the subgraph must still declare,
   * above all entity stubs such as `Customer @key(fields: "id")` in a subgraph
   * that only extends it: type-graphql silently drops them otherwise.
   */
  orphanedTypes?: BuildSchemaOptions['orphanedTypes'];
  referenceResolvers?: ReferenceResolvers;
}

function mergeResolvers(base: ResolversMap, extra: ReferenceResolvers | undefined): ResolversMap {
  const merged: Record<string, unknown> = { ...base };
  for (const [typeName, resolvers] of Object.entries(extra ?? {})) {
    merged[typeName] = { ...(base[typeName] as object | undefined), ...resolvers };
  }
  return merged as ResolversMap;
}

/** Adds the common enums the subgraph's own types do not already use. */
function withCommonEnums(schema: GraphQLSchema): GraphQLSchema {
  const config = schema.toConfig();
  const present = new Set(config.types.map((t) => t.name));
  const missing = COMMON_ENUMS.filter((e) => !present.has(e.name)).map(commonEnumType);
  return missing.length === 0 ? schema : new GraphQLSchema({ ...config, types: [...config.types, ...missing] });
}

/**
 * type-graphql classes → a Federation 2 subgraph schema. type-graphql builds
 * a plain schema (with `@key` and friends as AST directives); printing it with
 * directives and handing that SDL to `buildSubgraphSchema` adds `_entities`,
 * `_service` and the `@link`.
 */
export async function buildFederatedSchema(options: FederatedSchemaOptions): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: options.resolvers,
    // The shared object types of 00-common.graphql are in every subgraph (they are @shareable).
    orphanedTypes: [Money, PageInfo, ...(options.orphanedTypes ?? [])],
    validate: false,
    // A subgraph may have no Query of its own; buildSubgraphSchema adds one.
    skipCheck: true,
    emitSchemaFile: false,
  });
  // Sorted, so that the SDL (and schema/ with it) does not depend on the order modules were loaded in.
  const typeDefs = parse(`${FEDERATION_LINK_SDL}\n\n${printSchemaWithDirectives(lexicographicSortSchema(withCommonEnums(schema)))}`);
  return guardSchema(buildSubgraphSchema([{ typeDefs, resolvers: mergeResolvers(createResolversMap(schema), options.referenceResolvers) as never }]));
}
