import { createHash } from 'node:crypto';
import {
  GraphQLError,
  Kind,
  TypeInfo,
  getNamedType,
  isListType,
  isNonNullType,
  parse,
  print,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
} from 'graphql';
import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import { PSEUDONYM_FIELDS, WITHHELD_TEXT, notAllowed, satisfies, scopesOf, type Principal, type Scopes } from '../subgraphs/platform';

/**
 * The schema's `@requiresScopes` rules (scopes are role names, see
 * platform/access.ts), enforced at the gateway before planning:
 * - a root field the caller may not use is FORBIDDEN, and nothing is asked;
 * - any other field the caller may not see (personal data) is taken out of
 *   the operation before it is planned, so no subgraph is asked for it, and
 *   put back into the response as null, an empty list, or a pseudonym for
 *   a non-null field (`Customer.displayName` shows the customer number,
 *   other text `[withheld]`). `extensions.withheldFields` lists each
 *   withheld field once (Type.field), however many rows it withheld.
 */
export type AccessRules = Map<string, Scopes>;

const REQUIRES_SCOPES_LINK = /(@link\(url: "https:\/\/specs\.apollo\.dev\/requiresScopes\/v0\.\d+")(, for: SECURITY)(\))/;

/**
 * @apollo/gateway refuses a supergraph that links a `for: SECURITY` feature
 * it does not implement, and @requiresScopes is one. The committed
 * supergraph keeps the standard link (Apollo Router and Hive Router load and
 * enforce it); this gateway loads a copy without `for: SECURITY` and
 * enforces the directive itself (guardGateway).
 */
export function supergraphForGateway(sdl: string): string {
  return sdl.replace(REQUIRES_SCOPES_LINK, '$1$3');
}

/** Every `@requiresScopes` of the supergraph, by schema coordinate (Type.field). */
export function accessRules(supergraphSdl: string): AccessRules {
  const rules: AccessRules = new Map();
  for (const definition of parse(supergraphSdl).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    for (const field of definition.fields ?? []) {
      const scopes = scopesOf(field);
      if (scopes) rules.set(`${definition.name.value}.${field.name.value}`, scopes);
    }
  }
  return rules;
}

const PREFIX = '__c360_withheld_';

/** What a withheld field becomes in the response: a value, or the value of its stand-in (a pseudonym). */
type Restore = { key: string; value: unknown } | { key: string; fromStandIn: true };

export interface OperationAccess {
  forbidden: GraphQLError | null;
  /** The coordinate refused, for the audit trail. */
  deniedField: string | null;
  /** The operation to plan, when fields were withheld. */
  document: DocumentNode | null;
  /** The rewritten operation's hash (the query-plan cache key), computed once with it. */
  documentHash: string | null;
  restore: Map<string, Restore>;
  withheld: string[];
}

/** Checks and rewrites one operation for the caller's roles. Pure. */
export function analyzeOperation(schema: GraphQLSchema, document: DocumentNode, roles: readonly string[], rules: AccessRules): OperationAccess {
  const typeInfo = new TypeInfo(schema);
  const restore = new Map<string, Restore>();
  const withheld = new Set<string>();
  let denied: GraphQLError | null = null;
  let deniedField: string | null = null;
  const roots = new Set([schema.getMutationType()?.name, schema.getQueryType()?.name, schema.getSubscriptionType()?.name].filter(Boolean));
  const rewritten = visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node: FieldNode) {
        const parent = typeInfo.getParentType();
        const definition = typeInfo.getFieldDef();
        if (!parent || !definition) return undefined;
        const coordinate = `${parent.name}.${node.name.value}`;
        const scopes = rules.get(coordinate);
        if (!scopes || satisfies(roles, scopes)) return undefined;
        if (roots.has(parent.name)) {
          denied ??= notAllowed(coordinate);
          deniedField ??= coordinate;
          return undefined;
        }
        withheld.add(coordinate);
        const alias = `${PREFIX}${restore.size}`;
        const key = node.alias?.value ?? node.name.value;
        // A stand-in has the withheld field's shape (a list column's stand-in is a list column).
        const standIn = isNonNullType(definition.type) ? PSEUDONYM_FIELDS[coordinate] : undefined;
        if (standIn) restore.set(alias, { key, fromStandIn: true });
        else {
          const type = isNonNullType(definition.type) ? definition.type.ofType : null;
          restore.set(alias, { key, value: type === null ? null : isListType(type) ? [] : getNamedType(type).name === 'String' ? WITHHELD_TEXT : null });
        }
        // __typename (or the pseudonym's field) instead: resolved without the personal field, @skip/@include kept.
        return {
          kind: Kind.FIELD,
          alias: { kind: Kind.NAME, value: alias },
          name: { kind: Kind.NAME, value: standIn ?? '__typename' },
          directives: node.directives,
        };
      },
    }),
  );
  const planned = restore.size > 0 ? rewritten : null;
  return {
    forbidden: denied,
    deniedField,
    document: planned,
    documentHash: planned ? createHash('sha256').update(print(planned)).digest('hex') : null,
    restore,
    withheld: [...withheld].sort(),
  };
}

/** Puts withheld fields back into a response, in place. */
export function restoreWithheld(value: unknown, restore: Map<string, Restore>): void {
  if (Array.isArray(value)) {
    for (const item of value) restoreWithheld(item, restore);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const object = value as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    const spec = key.startsWith(PREFIX) ? restore.get(key) : undefined;
    if (spec) {
      object[spec.key] = 'fromStandIn' in spec ? object[key] : spec.value;
      delete object[key];
    } else restoreWithheld(object[key], restore);
  }
}

/** The caller, from the context the gateway's context function built. */
function principalOf(context: unknown): Principal | undefined {
  return (context as { principal?: Principal }).principal;
}

/**
 * The gateway as Apollo Server sees it, with the access rules applied to
 * each operation before the wrapped gateway plans it.
 */
export function guardGateway(
  gateway: GatewayInterface,
  rules: AccessRules,
  onDenied: (principal: Principal | undefined, field: string) => void = () => {},
): GatewayInterface {
  let schema: GraphQLSchema | undefined;
  const cache = new Map<string, OperationAccess>();
  const guard =
    (executor: GatewayExecutor): GatewayExecutor =>
    async (requestContext) => {
      if (!schema) return executor(requestContext);
      const principal = principalOf(requestContext.context);
      const roles = principal?.roles ?? [];
      const key = `${roles.join(',')}\n${requestContext.queryHash}`;
      let access = cache.get(key);
      if (!access) {
        access = analyzeOperation(schema, requestContext.document, roles, rules);
        // Bounded: a client sending endless distinct operations cannot grow it.
        if (cache.size >= 1000) cache.clear();
        cache.set(key, access);
      }
      if (access.forbidden) {
        onDenied(principal, access.deniedField!);
        return { errors: [access.forbidden] };
      }
      if (!access.document) return executor(requestContext);
      const result = await executor({ ...requestContext, document: access.document, queryHash: access.documentHash! });
      if (result.data) restoreWithheld(result.data, access.restore);
      return { ...result, extensions: { ...result.extensions, withheldFields: access.withheld } };
    };
  return {
    onSchemaLoadOrUpdate(callback) {
      return gateway.onSchemaLoadOrUpdate((update) => {
        schema = update.apiSchema;
        callback(update);
      });
    },
    async load(options) {
      const { executor } = await gateway.load(options);
      return { executor: executor ? guard(executor) : null };
    },
    stop: () => gateway.stop(),
  };
}
