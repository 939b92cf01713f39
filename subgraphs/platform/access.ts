import { Kind, type FieldDefinitionNode, type GraphQLError } from 'graphql';
import type { Role } from './auth';
import { forbidden } from './errors';

/**
 * Who may see and do what, declared in the schema with Federation's standard
 * `@requiresScopes`, the scopes being role names: a field is allowed when
 * the caller holds every role of at least one listed set. schema/ thus shows
 * every rule; the gateway enforces them before planning (gateway/access.ts)
 * and each subgraph again on its own resolvers (guardSchema), as defence in
 * depth. `admin` is in every rule.
 */
export type Scopes = readonly (readonly string[])[];

/** Every role but analyst: who may see personal data (README, "Field-level privacy"). */
export const PERSONAL_DATA_ROLES: readonly Role[] = ['agent', 'collections', 'claims_handler', 'key_account_manager', 'supervisor', 'admin'];

/** What each kind of write needs, from the issue's role table. */
export const WRITE_ROLES = {
  agent: ['agent', 'collections', 'claims_handler', 'key_account_manager', 'supervisor', 'admin'],
  collections: ['collections', 'supervisor', 'admin'],
  claims: ['claims_handler', 'supervisor', 'admin'],
  keyAccounts: ['key_account_manager', 'supervisor', 'admin'],
  supervisor: ['supervisor', 'admin'],
  admin: ['admin'],
  /** The internal replication mutations: only a service principal (one subgraph calling another). */
  service: ['service'],
} as const satisfies Record<string, readonly string[]>;

export type WriteRule = keyof typeof WRITE_ROLES;

function directive(roles: readonly string[]): string {
  return `@requiresScopes(scopes: [${roles.map((r) => `["${r}"]`).join(', ')}])`;
}

/** The directive for a personal-data field: withheld from callers without PERSONAL_DATA_ROLES. */
export const PERSONAL_DATA = directive(PERSONAL_DATA_ROLES);

/** The directive for a mutation: FORBIDDEN to callers without one of the rule's roles. */
export function writeRule(rule: WriteRule): string {
  return directive(WRITE_ROLES[rule]);
}

/** Whether the roles satisfy the scopes: every role of at least one set. */
export function satisfies(roles: readonly string[], scopes: Scopes): boolean {
  return scopes.some((set) => set.every((r) => roles.includes(r)));
}

/** What a withheld non-null String shows (a pseudonym where the field has none of its own). */
export const WITHHELD_TEXT = '[withheld]';

/** The field of the same object, of the same shape, that a withheld non-null field shows instead (a pseudonym). */
export const PSEUDONYM_FIELDS: Readonly<Record<string, string>> = {
  'Customer.displayName': 'customerNumber',
  'CustomerColumns.displayName': 'customerNumber',
};

/** A field definition's `@requiresScopes` rule, read from its AST (the supergraph's at the gateway, the subgraph's own in guardSchema). */
export function scopesOf(node: FieldDefinitionNode | null | undefined): Scopes | undefined {
  const argument = node?.directives?.find((d) => d.name.value === 'requiresScopes')?.arguments?.find((a) => a.name.value === 'scopes');
  if (argument?.value.kind !== Kind.LIST) return undefined;
  return argument.value.values.map((set) => (set.kind === Kind.LIST ? set.values.map((v) => (v.kind === Kind.STRING ? v.value : '')) : []));
}

/** FORBIDDEN for a root field (Type.field) the caller's roles do not allow. */
export function notAllowed(coordinate: string): GraphQLError {
  return forbidden(`Your roles do not allow ${coordinate}`);
}
