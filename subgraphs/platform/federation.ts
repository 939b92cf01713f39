import 'reflect-metadata';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { GraphQLSchema, lexicographicSortSchema, parse } from 'graphql';
import { buildSchema, createResolversMap, type BuildSchemaOptions, type ResolversMap } from 'type-graphql';
import { COMMON_ENUMS, Money, PageInfo, commonEnumType } from './common.types';
import { guardSchema } from './guard';

/**
 * The one place that pins the Federation version every subgraph links to and
 * the directives it imports. v2.7 is understood by @apollo/gateway 2.x and by
 * Hive Gateway's composition alike.
 */
export const FEDERATION_LINK_URL = 'https://specs.apollo.dev/federation/v2.7';
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
] as const;

export const FEDERATION_LINK_SDL = `extend schema @link(url: "${FEDERATION_LINK_URL}", import: [${FEDERATION_IMPORTS.map((d) => `"${d}"`).join(', ')}])`;

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
