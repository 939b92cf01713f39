import { defaultFieldResolver, getNamedType, isListType, isNonNullType, isObjectType, type GraphQLSchema } from 'graphql';
import { PSEUDONYM_FIELDS, WITHHELD_TEXT, notAllowed, satisfies, scopesOf } from './access';
import type { RequestContext } from './context';
import { createLogger, safeError } from './logger';

const auditLogger = createLogger('audit');

function rolesOf(context: unknown): readonly string[] {
  return (context as { identity?: { roles?: readonly string[] } } | undefined)?.identity?.roles ?? [];
}

/**
 * Defence in depth: the subgraph enforces its own `@requiresScopes` rules on
 * its resolvers, whatever the gateway did. A root field (a mutation, an
 * admin-only query) the caller may not use is FORBIDDEN before its resolver
 * runs, so nothing is written; any other field the caller may not see
 * answers null, an empty list, its pseudonym (PSEUDONYM_FIELDS) or
 * `[withheld]`, as its type allows. Changes the schema's resolvers in place.
 */
export function guardSchema(schema: GraphQLSchema): GraphQLSchema {
  const roots = new Set([schema.getQueryType()?.name, schema.getMutationType()?.name].filter(Boolean));
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const scopes = scopesOf(field.astNode);
      if (!scopes) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      const coordinate = `${type.name}.${field.name}`;
      if (roots.has(type.name)) {
        field.resolve = async (source, args, context, info) => {
          if (!satisfies(rolesOf(context), scopes)) {
            // The refusal is part of the trail too (in a transaction of its own: nothing else is written).
            // A trail that cannot be written must not turn the refusal into an error of another kind.
            await (context as Partial<RequestContext<unknown>>)
              .auditAlone?.({ action: 'DENIED', entityType: coordinate, entityId: null, outcome: 'FORBIDDEN' })
              .catch((error: unknown) => auditLogger.error({ err: safeError(error), field: coordinate }, 'refusal not recorded'));
            throw notAllowed(coordinate);
          }
          return resolve(source, args, context, info);
        };
        continue;
      }
      const nonNull = isNonNullType(field.type);
      const inner = isNonNullType(field.type) ? field.type.ofType : field.type;
      const pseudonym = PSEUDONYM_FIELDS[coordinate];
      const withheld = (source: Record<string, unknown>) =>
        !nonNull ? null : pseudonym ? source[pseudonym] : isListType(inner) ? [] : getNamedType(inner).name === 'String' ? WITHHELD_TEXT : null;
      field.resolve = (source, args, context, info) => (satisfies(rolesOf(context), scopes) ? resolve(source, args, context, info) : withheld(source));
    }
  }
  return schema;
}
